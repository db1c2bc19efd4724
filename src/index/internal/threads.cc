#include "index/internal/threads.h"

#include <cstdlib>
#include <deque>
#include <optional>
#include <set>
#include <unordered_set>

#include "index/internal/schema.h"

namespace trove::index::internal {
namespace {

// What one message contributes to the walk, read from its term list and date value.
struct Links {
  std::string id;
  std::vector<std::string> message_ids;  // its own (normally one)
  std::vector<std::string> answers;      // In-Reply-To and References
  std::string subject;                   // normalised, without the r/o mark
  bool is_reply = false;
  std::optional<double> date;
};

Links ReadLinks(const Xapian::Database& db, Xapian::docid docid) {
  const Xapian::Document doc = db.get_document(docid);
  Links links;
  const std::vector<std::string> ids = TermsWithPrefix(doc, kPrefixId);
  if (!ids.empty()) links.id = ids.front();
  links.message_ids = TermsWithPrefix(doc, kPrefixMessageId);
  links.answers = TermsWithPrefix(doc, kPrefixReference);
  const std::vector<std::string> subjects = TermsWithPrefix(doc, kPrefixSubject);
  if (!subjects.empty() && !subjects.front().empty()) {
    links.is_reply = subjects.front().front() == kSubjectReply;
    links.subject = subjects.front().substr(1);
  }
  const std::string date = doc.get_value(kSlotDate);
  if (!date.empty()) links.date = Xapian::sortable_unserialise(date);
  return links;
}

// True when the message answers no message of the collection: it is a root, has lost its
// parent, or came without In-Reply-To and References.
bool IsUnanchored(const Xapian::Database& db, const Links& links) {
  for (const std::string& answer : links.answers) {
    if (db.term_exists(Term(kPrefixMessageId, answer))) return false;
  }
  return true;
}

bool WithinWindow(const Links& a, const Links& b) {
  if (!a.date || !b.date) return true;
  return std::abs(*a.date - *b.date) <= static_cast<double>(kSubjectWindowSeconds);
}

}  // namespace

std::vector<std::string> ThreadDocuments(const Xapian::Database& db, Xapian::docid start,
                                         std::size_t limit, bool* truncated) {
  *truncated = false;
  std::set<Xapian::docid> seen = {start};
  std::deque<Xapian::docid> queue = {start};
  std::unordered_set<std::string> followed_ids, followed_subjects;
  std::vector<std::string> out;
  // Adds the documents of a posting list to the walk.
  auto visit_term = [&](const std::string& term) {
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      if (seen.insert(*p).second) queue.push_back(*p);
    }
  };
  while (!queue.empty()) {
    if (out.size() >= limit) {
      *truncated = true;
      break;
    }
    const Xapian::docid docid = queue.front();
    queue.pop_front();
    const Links links = ReadLinks(db, docid);
    out.push_back(links.id);
    for (const std::vector<std::string>* list : {&links.message_ids, &links.answers}) {
      for (const std::string& id : *list) {
        if (!followed_ids.insert(id).second) continue;
        visit_term(ClampTerm(Term(kPrefixMessageId, id)));
        visit_term(ClampTerm(Term(kPrefixReference, id)));
      }
    }
    if (links.subject.empty() || !IsUnanchored(db, links)) continue;
    // Subject fallback, between unanchored messages only: a reply joins originals and replies,
    // an original joins replies (two originals with one subject are two conversations).
    std::vector<std::string> terms = {
        ClampTerm(std::string(kPrefixSubject) + kSubjectReply + links.subject)};
    if (links.is_reply) {
      terms.push_back(ClampTerm(std::string(kPrefixSubject) + kSubjectOriginal + links.subject));
    }
    for (const std::string& term : terms) {
      if (db.get_termfreq(term) > kMaxSubjectGroup) continue;
      const std::string key = term + (links.date ? std::to_string(*links.date) : "");
      if (!followed_subjects.insert(key).second) continue;
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        if (seen.count(*p) != 0) continue;
        const Links other = ReadLinks(db, *p);
        if (!WithinWindow(links, other) || !IsUnanchored(db, other)) continue;
        seen.insert(*p);
        queue.push_back(*p);
      }
    }
  }
  return out;
}

}  // namespace trove::index::internal
