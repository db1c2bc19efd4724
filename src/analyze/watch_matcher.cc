#include "analyze/watch_matcher.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analyze/name_matcher.h"
#include "core/text.h"

namespace trove::analyze {
namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) (out += out.empty() ? "" : " ") += word;
  return out;
}

// One place of a word in the batch: the document and the word's position in its text (from 1,
// as the index numbers them, so that a phrase here is a phrase for `trove xref`).
struct Posting {
  std::uint32_t document;
  std::uint32_t position;
  bool operator<(const Posting& other) const {
    return document != other.document ? document < other.document : position < other.position;
  }
};
using Postings = std::vector<Posting>;

// The postings of one document within a word's postings.
std::pair<Postings::const_iterator, Postings::const_iterator> OfDocument(const Postings& postings,
                                                                         std::uint32_t document) {
  return std::equal_range(
      postings.begin(), postings.end(), Posting{document, 0},
      [](const Posting& a, const Posting& b) { return a.document < b.document; });
}

// The entities of one type in the batch, their written forms indexed for matching.
struct EntityTable {
  std::string type;
  NameIndex names;
  std::vector<std::string> forms;                     // by NameIndex number
  std::vector<std::vector<std::uint32_t>> documents;  // by NameIndex number, ascending
};

}  // namespace

WatchSide SideOfSchema(std::string_view schema) {
  const std::string lower = LowerAscii(schema);
  if (lower == "person" || lower == "per" || lower == "people") return WatchSide::kPeople;
  if (lower == "organization" || lower == "organisation" || lower == "company" ||
      lower == "publicbody" || lower == "org") {
    return WatchSide::kOrganisations;
  }
  return WatchSide::kBoth;
}

bool IsSearchableInText(const std::vector<std::string>& words) {
  std::size_t whole_words = 0;
  for (const std::string& word : words) {
    const auto letters = std::count_if(word.begin(), word.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // UTF-8 lead bytes
    });
    whole_words += letters > 1 ? 1 : 0;
  }
  return whole_words >= 2;
}

struct WatchMatcher::Impl {
  struct Name {
    std::string text;                // as the list writes it
    std::vector<std::string> words;  // NameWords
  };
  struct Entry {
    WatchSide side = WatchSide::kBoth;
    std::vector<Name> names;
    std::vector<std::string> emails;  // lower case
    // Names looked for in the text: (index into names), distinct word sequences only.
    std::vector<std::size_t> text_names;
  };

  std::vector<WatchEntry> entries;
  WatchMatcherOptions options;
  std::vector<Entry> prepared;
  // Every word of a name looked for in the text: only those are kept from a batch's text.
  std::unordered_set<std::string> text_words;

  void Prepare() {
    prepared.reserve(entries.size());
    for (const WatchEntry& entry : entries) {
      Entry e;
      e.side = SideOfSchema(entry.schema);
      std::set<std::vector<std::string>> searched;
      for (const std::string& name : entry.names) {
        e.names.push_back(Name{name, NameWords(name)});
        const std::vector<std::string>& words = e.names.back().words;
        if (!options.with_text || !IsSearchableInText(words) || !searched.insert(words).second) {
          continue;
        }
        if (options.is_deleted &&
            ((e.side != WatchSide::kOrganisations && options.is_deleted("person", name)) ||
             (e.side != WatchSide::kPeople && options.is_deleted("org", name)))) {
          continue;
        }
        e.text_names.push_back(e.names.size() - 1);
        text_words.insert(words.begin(), words.end());
      }
      for (const std::string& email : entry.emails) e.emails.push_back(LowerAscii(email));
      prepared.push_back(std::move(e));
    }
  }

  // Whether `words` occur in `document` as a phrase (2), within the near window (1), or not (0).
  int FindInText(const std::vector<const Postings*>& postings, std::uint32_t document,
                 std::size_t window) const {
    std::vector<std::pair<Postings::const_iterator, Postings::const_iterator>> ranges;
    for (const Postings* p : postings) {
      ranges.push_back(OfDocument(*p, document));
      if (ranges.back().first == ranges.back().second) return 0;
    }
    for (auto it = ranges[0].first; it != ranges[0].second; ++it) {
      bool is_phrase = true;
      for (std::size_t k = 1; k < ranges.size() && is_phrase; ++k) {
        is_phrase =
            std::binary_search(ranges[k].first, ranges[k].second,
                               Posting{document, it->position + static_cast<std::uint32_t>(k)});
      }
      if (is_phrase) return 2;
    }
    // The smallest span holding every distinct word: a window slid over their merged places.
    std::vector<std::pair<std::uint32_t, std::size_t>> places;  // (position, word number)
    std::map<const Postings*, std::size_t> number_of;
    for (std::size_t k = 0; k < ranges.size(); ++k) {
      const auto [known, is_new] = number_of.emplace(postings[k], number_of.size());
      if (!is_new) continue;  // a word the name repeats is placed once
      for (auto it = ranges[k].first; it != ranges[k].second; ++it) {
        places.emplace_back(it->position, known->second);
      }
    }
    std::sort(places.begin(), places.end());
    const std::size_t distinct = number_of.size();
    std::vector<std::size_t> in_window(distinct, 0);
    std::size_t covered = 0, first = 0;
    for (std::size_t last = 0; last < places.size(); ++last) {
      if (in_window[places[last].second]++ == 0) ++covered;
      while (covered == distinct) {
        if (places[last].first - places[first].first < window) return 1;
        if (--in_window[places[first].second] == 0) --covered;
        ++first;
      }
    }
    return 0;
  }
};

WatchMatcher::WatchMatcher(std::vector<WatchEntry> entries, WatchMatcherOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->entries = std::move(entries);
  impl_->options = std::move(options);
  impl_->Prepare();
}

WatchMatcher::~WatchMatcher() = default;

const std::vector<WatchEntry>& WatchMatcher::entries() const { return impl_->entries; }

std::vector<WatchDocumentHit> WatchMatcher::Match(const std::vector<WatchDocument>& documents) {
  Impl& d = *impl_;
  const WatchMatcherOptions& options = d.options;
  // The batch's entities, by type.
  EntityTable people, organisations;
  people.type = "person";
  organisations.type = "org";
  std::unordered_map<std::string, std::vector<std::uint32_t>> email_documents;
  {
    std::unordered_map<std::string, std::size_t> person_form, org_form;
    for (std::uint32_t doc = 0; doc < documents.size(); ++doc) {
      for (const EntityMention& mention : documents[doc].entities) {
        EntityTable* table = mention.type == "person" ? &people
                             : mention.type == "org"  ? &organisations
                                                      : nullptr;
        if (table == nullptr) {
          if (mention.type != "email") continue;
          std::vector<std::uint32_t>& docs = email_documents[LowerAscii(mention.value)];
          if (docs.empty() || docs.back() != doc) docs.push_back(doc);
          continue;
        }
        auto& form_of = table == &people ? person_form : org_form;
        const auto [it, is_new] = form_of.emplace(mention.value, table->forms.size());
        if (is_new) {
          table->names.Add(mention.value);
          table->forms.push_back(mention.value);
          table->documents.emplace_back();
        }
        std::vector<std::uint32_t>& docs = table->documents[it->second];
        if (docs.empty() || docs.back() != doc) docs.push_back(doc);
      }
    }
    people.names.Build();
    organisations.names.Build();
  }
  // The batch's text: the places of the words that some name of the list holds.
  std::unordered_map<std::string, Postings> text;
  if (options.with_text && !d.text_words.empty()) {
    for (std::uint32_t doc = 0; doc < documents.size(); ++doc) {
      std::uint32_t position = 0;
      // Counted as PrepareDocument counts them (index/internal/document_builder.cc).
      ForEachFoldedWord(documents[doc].text,
                        [&](const std::string& folded, const Token& /*token*/) {
                          ++position;
                          if (const auto it = d.text_words.find(folded); it != d.text_words.end()) {
                            text[*it].push_back(Posting{doc, position});
                          }
                        });
    }
  }

  std::vector<WatchDocumentHit> out;
  std::map<std::uint32_t, WatchDocumentHit> best;  // by document, for one entry
  std::vector<const Postings*> postings;
  for (std::size_t e = 0; e < d.prepared.size(); ++e) {
    const Impl::Entry& entry = d.prepared[e];
    best.clear();
    const auto consider = [&best, e](std::uint32_t doc, WatchDocumentHit hit) {
      auto [it, is_new] = best.emplace(doc, hit);
      if (!is_new && it->second.score < hit.score) it->second = std::move(hit);
      it->second.entry = e;
      it->second.document = doc;
    };
    for (const Impl::Name& name : entry.names) {
      for (EntityTable* table : {&people, &organisations}) {
        if (table->forms.empty() || (table == &people && entry.side == WatchSide::kOrganisations) ||
            (table == &organisations && entry.side == WatchSide::kPeople)) {
          continue;
        }
        for (const NameIndex::Match& match :
             table->names.FindWords(name.words, options.min_score)) {
          for (const std::uint32_t doc : table->documents[match.name]) {
            consider(doc, WatchDocumentHit{e, doc, name.text, table->type, table->forms[match.name],
                                           NameMatchKindName(match.comparison.kind),
                                           match.comparison.score});
          }
        }
      }
    }
    for (std::size_t k = 0; k < entry.emails.size(); ++k) {
      const auto it = email_documents.find(entry.emails[k]);
      if (it == email_documents.end()) continue;
      for (const std::uint32_t doc : it->second) {
        consider(doc, WatchDocumentHit{e, doc, d.entries[e].emails[k], "email", entry.emails[k],
                                       "exact", 1.0});
      }
    }
    // The text, in the documents that none of the entry's entities was found in.
    const std::set<std::uint32_t> entity_documents = [&best] {
      std::set<std::uint32_t> docs;
      for (const auto& [doc, hit] : best) docs.insert(doc);
      return docs;
    }();
    for (const std::size_t n : entry.text_names) {
      const Impl::Name& name = entry.names[n];
      postings.clear();
      for (const std::string& word : name.words) {
        const auto it = text.find(word);
        if (it == text.end()) break;
        postings.push_back(&it->second);
      }
      if (postings.size() != name.words.size()) continue;
      // The documents of the rarest word are the candidates.
      const Postings* rarest = *std::min_element(
          postings.begin(), postings.end(),
          [](const Postings* a, const Postings* b) { return a->size() < b->size(); });
      const std::size_t window = name.words.size() + static_cast<std::size_t>(options.near_slack);
      for (std::size_t p = 0; p < rarest->size(); ++p) {
        const std::uint32_t doc = (*rarest)[p].document;
        if (p > 0 && (*rarest)[p - 1].document == doc) continue;
        if (entity_documents.count(doc) != 0) continue;
        const int found = d.FindInText(postings, doc, window);
        if (found == 0) continue;
        const double score = found == 2 ? kWatchPhraseScore : kWatchNearScore;
        if (score < options.min_score) continue;
        consider(doc, WatchDocumentHit{e, doc, name.text, "text", Join(name.words),
                                       found == 2 ? "phrase" : "near", score});
      }
    }
    for (auto& [doc, hit] : best) out.push_back(std::move(hit));
  }
  return out;
}

}  // namespace trove::analyze
