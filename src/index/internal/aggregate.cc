#include "index/internal/aggregate.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "index/internal/schema.h"
#include "index/internal/stored.h"

namespace trove::index::internal {
namespace {

std::string MonthName(int year, unsigned month) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u", year, month);
  return buf;
}

// Counts every match by the month (UTC) of its own date, value slot kSlotDate: a value read per
// match, cheap enough to run over all of them, so that a timeline counts every match.
class MonthSpy final : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double /*wt*/) override {
    ++documents_;
    const std::string value = doc.get_value(kSlotDate);
    if (value.empty()) return;
    const auto seconds = std::chrono::sys_seconds(
        std::chrono::seconds(static_cast<std::int64_t>(Xapian::sortable_unserialise(value))));
    const std::chrono::year_month_day day(std::chrono::floor<std::chrono::days>(seconds));
    ++counts_[{static_cast<int>(day.year()), static_cast<unsigned>(day.month())}];
    ++dated_;
  }

  std::uint64_t documents() const { return documents_; }
  std::uint64_t undated() const { return documents_ - dated_; }

  // Oldest first.
  std::vector<MonthCount> Months() const {
    std::vector<MonthCount> out;
    for (const auto& [month, count] : counts_) {
      out.push_back(MonthCount{MonthName(month.first, month.second), count, 0});
    }
    return out;
  }

 private:
  std::uint64_t documents_ = 0;
  std::uint64_t dated_ = 0;
  std::map<std::pair<int, unsigned>, std::uint64_t> counts_;  // (year, month)
};

// Walks one document's term list prefix by prefix. The list is sorted and read forwards only:
// visit the prefixes in ascending order ("XC" < "XF" < "XK" < "XT"), one pass in all.
class TermCursor {
 public:
  explicit TermCursor(const Xapian::Document& doc)
      : it_(doc.termlist_begin()), end_(doc.termlist_end()) {}

  // Calls `each(term, wdf)` for every term that starts with `prefix`.
  template <typename Each>
  void Visit(std::string_view prefix, Each each) {
    if (it_ == end_) return;
    it_.skip_to(std::string(prefix));
    for (; it_ != end_; ++it_) {
      const std::string term = *it_;
      if (term.compare(0, prefix.size(), prefix) != 0) return;
      each(term, it_.get_wdf());
    }
  }

 private:
  Xapian::TermIterator it_;
  Xapian::TermIterator end_;
};

// "Jane Doe <Jane.Doe@Example.org>" -> {"jane.doe@example.org", "Jane Doe"}, normalised as
// PrepareDocument indexes an address (AddressOf in document_builder.cc), so that the two agree.
std::pair<std::string, std::string> SplitMailbox(std::string_view mailbox) {
  std::string_view address = mailbox;
  std::string_view name;
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    address = mailbox.substr(open + 1, close - open - 1);
    name = mailbox.substr(0, open);
  }
  std::string folded;
  for (const char ch : address) {
    if (ch == ' ' || ch == '\t') continue;
    folded += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  return {std::move(folded), std::string(name)};
}

// A correspondent's name is looked for in at most this many of its messages: a header may
// carry an address alone.
constexpr std::size_t kMaxNameReads = 3;

// The name written beside `address` in the stored headers of the first of `docids` that has
// one, or "" (also when a document cannot be read: a name only decorates a node).
std::string NameIn(const Xapian::Database& db, const std::vector<Xapian::docid>& docids,
                   const std::string& address) {
  for (const Xapian::docid docid : docids) {
    const std::string data = db.get_document(docid).get_data();
    const Result<StoredParts> parts = SplitStoredData(data);
    if (!parts.ok()) continue;
    const Result<DocumentRecord> record = DecompressRecord(parts->record);
    if (!record.ok()) continue;
    const Extraction& ex = record->extraction;
    for (const auto* list : {&ex.from, &ex.to, &ex.cc}) {
      for (const std::string& mailbox : *list) {
        auto [found, name] = SplitMailbox(mailbox);
        if (found == address && !name.empty()) return name;
      }
    }
  }
  return {};
}

// Links as a list: most documents first, then by their indexes.
std::vector<AggregateLink> SortedLinks(
    const std::map<std::pair<std::size_t, std::size_t>, std::uint64_t>& weights) {
  std::vector<AggregateLink> out;
  for (const auto& [pair, documents] : weights) {
    out.push_back(AggregateLink{pair.first, pair.second, documents});
  }
  std::stable_sort(out.begin(), out.end(), [](const AggregateLink& a, const AggregateLink& b) {
    return a.documents > b.documents;
  });
  return out;
}

// The entities of the counted documents: nodes by documents, and their co-mentions.
class EntityTally {
 public:
  EntityTally(const std::vector<EntityRule>& rules, std::set<char> codes)
      : rules_(rules), codes_(std::move(codes)) {}

  bool empty() const { return codes_.empty(); }

  // One entity key term of the current document (see EntitySpy in reader.cc).
  void Add(const EntityTerm& entity) {
    if (codes_.count(entity.field->code) == 0) return;
    const std::string type(entity.field->name);
    const std::optional<std::string> resolved = rules_.Resolve(type, entity.key);
    if (!resolved) return;  // deleted: not an entity
    auto [it, is_new] = ids_.try_emplace({type, *resolved}, entries_.size());
    if (is_new) entries_.push_back(EntityCount{type, "", 0, *resolved, {}});
    EntityCount& entry = entries_[it->second];
    // Its own written form names it rather than a form merged into it.
    if (entry.value.empty() || entity.key == *resolved) entry.value = entity.value;
    current_.push_back(it->second);
  }

  // Closes the current document: each entity counts once per document.
  void EndDocument() {
    std::sort(current_.begin(), current_.end());
    current_.erase(std::unique(current_.begin(), current_.end()), current_.end());
    for (const std::size_t id : current_) ++entries_[id].documents;
    per_document_.push_back(std::move(current_));
    current_.clear();
  }

  // The `max` entities in most documents, and the pairs of them mentioned together.
  void Finish(std::uint64_t max, AggregateResult* result) {
    std::vector<std::size_t> order(entries_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const EntityCount& x = entries_[a];
      const EntityCount& y = entries_[b];
      return x.documents != y.documents ? x.documents > y.documents
                                        : std::tie(x.type, x.value) < std::tie(y.type, y.value);
    });
    if (order.size() > max) order.resize(max);
    std::vector<std::size_t> rank(entries_.size(), kNotShown);
    for (std::size_t i = 0; i < order.size(); ++i) {
      rank[order[i]] = i;
      EntityCount entity = std::move(entries_[order[i]]);
      const std::string new_name = rules_.NewName(entity.type, entity.key);
      if (!new_name.empty()) entity.value = new_name;
      result->entities.push_back(std::move(entity));
    }
    std::map<std::pair<std::size_t, std::size_t>, std::uint64_t> weights;
    std::vector<std::size_t> shown;
    for (const std::vector<std::size_t>& ids : per_document_) {
      shown.clear();
      for (const std::size_t id : ids) {
        if (rank[id] != kNotShown) shown.push_back(rank[id]);
      }
      std::sort(shown.begin(), shown.end());
      for (std::size_t a = 0; a < shown.size(); ++a) {
        for (std::size_t b = a + 1; b < shown.size(); ++b) ++weights[{shown[a], shown[b]}];
      }
    }
    result->entity_links = SortedLinks(weights);
  }

 private:
  static constexpr std::size_t kNotShown = static_cast<std::size_t>(-1);

  EntityRules rules_;
  std::set<char> codes_;  // the entity types counted, by term code
  std::map<std::pair<std::string, std::string>, std::size_t> ids_;  // (type, key) -> entries_
  std::vector<EntityCount> entries_;
  std::vector<std::size_t> current_;  // the entities of the document being read
  // The entities of each counted document (pairs are counted once the shown ones are known:
  // counting every pair as it comes would be quadratic in a document's entities).
  std::vector<std::vector<std::size_t>> per_document_;
};

// Who wrote to whom among the counted messages, from their address terms.
class CorrespondentTally {
 public:
  // One counted document: its From addresses and its To and Cc addresses.
  void AddDocument(Xapian::docid docid, const std::set<std::string>& senders,
                   const std::set<std::string>& recipients) {
    if (senders.empty() || recipients.empty()) return;
    ++messages_;
    std::vector<std::size_t> from, to;
    for (const std::string& address : senders) {
      from.push_back(Intern(address, docid));
      ++entries_[from.back()].sent;
    }
    for (const std::string& address : recipients) {
      to.push_back(Intern(address, docid));
      ++entries_[to.back()].received;
    }
    for (const std::size_t f : from) {
      for (const std::size_t t : to) {
        if (f != t) ++pairs_[{f, t}];
      }
    }
  }

  // The `max` addresses in most messages, named, and the messages between them.
  void Finish(const Xapian::Database& db, std::uint64_t max, AggregateResult* result) {
    result->messages = messages_;
    std::vector<std::size_t> order(entries_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const Correspondent& x = entries_[a];
      const Correspondent& y = entries_[b];
      const std::uint64_t x_messages = x.sent + x.received;
      const std::uint64_t y_messages = y.sent + y.received;
      return x_messages != y_messages ? x_messages > y_messages : x.address < y.address;
    });
    if (order.size() > max) order.resize(max);
    std::map<std::size_t, std::size_t> rank;
    for (std::size_t i = 0; i < order.size(); ++i) {
      rank[order[i]] = i;
      Correspondent correspondent = std::move(entries_[order[i]]);
      // The terms hold addresses only: a name costs reading a stored document, so only the
      // shown addresses get one.
      correspondent.name = NameIn(db, docids_[order[i]], correspondent.address);
      result->correspondents.push_back(std::move(correspondent));
    }
    std::map<std::pair<std::size_t, std::size_t>, std::uint64_t> weights;
    for (const auto& [pair, messages] : pairs_) {
      const auto from = rank.find(pair.first);
      const auto to = rank.find(pair.second);
      if (from != rank.end() && to != rank.end()) weights[{from->second, to->second}] = messages;
    }
    result->correspondence = SortedLinks(weights);
  }

 private:
  std::size_t Intern(const std::string& address, Xapian::docid docid) {
    auto [it, is_new] = ids_.try_emplace(address, entries_.size());
    if (is_new) {
      entries_.push_back(Correspondent{address, "", 0, 0});
      docids_.emplace_back();
    }
    std::vector<Xapian::docid>& docids = docids_[it->second];
    if (docids.size() < kMaxNameReads) docids.push_back(docid);
    return it->second;
  }

  std::uint64_t messages_ = 0;
  std::map<std::string, std::size_t> ids_;  // address -> entries_
  std::vector<Correspondent> entries_;
  std::vector<std::vector<Xapian::docid>> docids_;  // its first counted messages, for its name
  std::map<std::pair<std::size_t, std::size_t>, std::uint64_t> pairs_;  // (from, to) -> messages
};

// The addresses among the terms of one address prefix (XF, XT, XC): the boolean terms of
// whole addresses; the words of the headers under the same prefix have no '@'.
void AddAddress(const std::string& term, std::string_view prefix, std::set<std::string>* out) {
  if (term.find('@', prefix.size()) != std::string::npos) out->insert(term.substr(prefix.size()));
}

}  // namespace

Result<AggregateResult> RunAggregate(const Xapian::Database& db, Xapian::Enquire& enquire,
                                     const AggregateRequest& request) {
  std::set<char> codes;
  for (const std::string& type : request.entity_types) {
    const EntityField* field = EntityFieldOfType(type);
    if (field == nullptr) return Status::InvalidArgument("unknown entity type '" + type + "'");
    codes.insert(field->code);
  }
  MonthSpy month_spy;
  enquire.add_matchspy(&month_spy);
  // Every match is examined (so the months count them all and the total is exact); only the
  // first `sample` are kept, in the search's order, for their term lists.
  const Xapian::doccount documents = db.get_doccount();
  Xapian::doccount sample = documents;
  if (request.sample > 0 && request.sample < sample) {
    sample = static_cast<Xapian::doccount>(request.sample);
  }
  const Xapian::MSet mset = enquire.get_mset(0, sample, documents);
  enquire.clear_matchspies();

  AggregateResult result;
  result.total = month_spy.documents();
  result.months = month_spy.Months();
  result.undated = month_spy.undated();
  result.documents_counted = mset.size();

  const bool want_entity_terms = request.want_mentioned_months || !codes.empty();
  if (!want_entity_terms && !request.want_correspondents) return result;
  struct Mentioned {
    std::uint64_t documents = 0, mentions = 0;
  };
  std::map<std::string, Mentioned> mentioned;  // by "YYYY-MM"
  std::set<std::string> document_months;
  EntityTally entities(request.entity_rules, std::move(codes));
  CorrespondentTally correspondents;
  std::set<std::string> senders, recipients;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::Document doc = it.get_document();
    TermCursor terms(doc);
    senders.clear();
    recipients.clear();
    if (request.want_correspondents) {
      terms.Visit(kPrefixCc, [&](const std::string& term, Xapian::termcount /*wdf*/) {
        AddAddress(term, kPrefixCc, &recipients);
      });
      terms.Visit(kPrefixFrom, [&](const std::string& term, Xapian::termcount /*wdf*/) {
        AddAddress(term, kPrefixFrom, &senders);
      });
    }
    if (want_entity_terms) {
      document_months.clear();
      terms.Visit(kPrefixEntity, [&](const std::string& term, Xapian::termcount wdf) {
        std::optional<EntityTerm> entity = ParseEntityTerm(term);
        if (!entity) return;
        // Mentioned dates are normalised as YYYY-MM-DD; the key term's wdf is their mentions.
        if (request.want_mentioned_months && entity->field->name == "date" &&
            entity->value.size() >= 7 && entity->value[4] == '-') {
          const std::string month = entity->value.substr(0, 7);
          mentioned[month].mentions += wdf;
          if (document_months.insert(month).second) ++mentioned[month].documents;
        }
        if (!entities.empty()) entities.Add(*entity);
      });
      if (!entities.empty()) entities.EndDocument();
    }
    if (request.want_correspondents) {
      terms.Visit(kPrefixTo, [&](const std::string& term, Xapian::termcount /*wdf*/) {
        AddAddress(term, kPrefixTo, &recipients);
      });
      correspondents.AddDocument(*it, senders, recipients);
    }
  }
  for (const auto& [month, m] : mentioned) {
    result.mentioned_months.push_back(MonthCount{month, m.documents, m.mentions});
  }
  if (!entities.empty()) entities.Finish(request.max_entities, &result);
  if (request.want_correspondents) {
    correspondents.Finish(db, request.max_correspondents, &result);
  }
  return result;
}

}  // namespace trove::index::internal
