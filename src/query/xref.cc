#include "query/xref.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "analyze/name_matcher.h"
#include "analyze/watch_matcher.h"

namespace trove::query {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The collection's entities of one type, and their written forms indexed for matching.
struct EntityTable {
  std::string type;
  std::vector<index::EntityCount> entities;
  std::vector<std::size_t> entity_of_form;  // NameIndex number -> entities index
  analyze::NameIndex names;
};

Status Load(index::Reader& reader, const std::vector<EntityRule>& rules, EntityTable* table) {
  index::EntityQuery query;
  query.type = table->type;
  query.limit = std::numeric_limits<std::uint64_t>::max();
  query.rules = rules;
  query.with_forms = true;
  TROVE_ASSIGN_OR_RETURN(table->entities, reader.Entities(query));
  for (std::size_t e = 0; e < table->entities.size(); ++e) {
    index::EntityCount& entity = table->entities[e];
    // A renamed entity is found under its new name as well as under what the documents write.
    std::vector<std::string> forms = std::move(entity.forms);
    if (std::find(forms.begin(), forms.end(), entity.value) == forms.end()) {
      forms.push_back(entity.value);
    }
    for (const std::string& form : forms) {
      table->names.Add(form);
      table->entity_of_form.push_back(e);
    }
  }
  table->names.Build();
  return Status::Ok();
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) (out += out.empty() ? "" : " ") += word;
  return out;
}

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

Result<XrefResult> Xref(index::Reader& reader, const std::vector<WatchEntry>& entries,
                        const XrefOptions& options) {
  XrefResult result;
  XrefStats& stats = result.stats;
  stats.entries = entries.size();
  const index::EntityRules rules(options.entity_rules);

  Clock::time_point start = Clock::now();
  EntityTable people, organisations;
  people.type = "person";
  organisations.type = "org";
  TROVE_RETURN_IF_ERROR(Load(reader, options.entity_rules, &people));
  TROVE_RETURN_IF_ERROR(Load(reader, options.entity_rules, &organisations));
  index::EntityQuery email_query;
  email_query.type = "email";
  email_query.limit = std::numeric_limits<std::uint64_t>::max();
  email_query.rules = options.entity_rules;
  email_query.with_forms = true;
  TROVE_ASSIGN_OR_RETURN(const std::vector<index::EntityCount> emails,
                         reader.Entities(email_query));
  std::unordered_map<std::string, std::size_t> email_of;  // lower-case address -> emails index
  for (std::size_t e = 0; e < emails.size(); ++e) {
    for (const std::string& form : emails[e].forms) email_of.emplace(LowerAscii(form), e);
    email_of.emplace(LowerAscii(emails[e].value), e);
  }
  stats.entities = people.entities.size() + organisations.entities.size() + emails.size();
  stats.seconds_entities = SecondsSince(start);

  for (const WatchEntry& entry : entries) {
    start = Clock::now();
    const analyze::WatchSide side = analyze::SideOfSchema(entry.schema);
    // The best hit per entity: (type, entities index) -> hit.
    std::map<std::pair<std::string, std::size_t>, XrefHit> best;
    std::vector<index::NameLookup> lookups;
    for (const std::string& name : entry.names) {
      ++stats.names;
      for (EntityTable* table : {&people, &organisations}) {
        if ((table == &people && side == analyze::WatchSide::kOrganisations) ||
            (table == &organisations && side == analyze::WatchSide::kPeople)) {
          continue;
        }
        for (const analyze::NameIndex::Match& match : table->names.Find(name, options.min_score)) {
          const std::size_t e = table->entity_of_form[match.name];
          XrefHit& hit = best[{table->type, e}];
          if (hit.score >= match.comparison.score) continue;
          hit.name = name;
          hit.type = table->type;
          hit.matched = table->entities[e].value;
          hit.kind = analyze::NameMatchKindName(match.comparison.kind);
          hit.score = match.comparison.score;
        }
      }
    }
    for (const std::string& email : entry.emails) {
      const auto it = email_of.find(LowerAscii(email));
      if (it == email_of.end()) continue;
      XrefHit& hit = best[{"email", it->second}];
      hit = XrefHit{email, "email", emails[it->second].value, "exact", 1.0, 0, {}};
    }
    stats.comparisons = people.names.comparisons() + organisations.names.comparisons();
    stats.seconds_matching += SecondsSince(start);

    start = Clock::now();
    std::vector<XrefHit> hits;
    for (auto& [id, hit] : best) {
      const EntityTable* table = id.first == "person" ? &people
                                 : id.first == "org"  ? &organisations
                                                      : nullptr;
      index::NameLookup lookup;
      lookup.kind = index::NameLookup::Kind::kEntity;
      lookup.type = id.first;
      lookup.key = table != nullptr ? table->entities[id.second].key : emails[id.second].key;
      lookups.push_back(std::move(lookup));
      hits.push_back(std::move(hit));
    }
    if (options.with_text) {
      std::set<std::vector<std::string>> searched;
      for (const std::string& name : entry.names) {
        const std::vector<std::string> words = analyze::NameWords(name);
        // The same rule as the watch pass's (analyze/watch_matcher.h).
        if (!analyze::IsSearchableInText(words) || !searched.insert(words).second) continue;
        // A name that the curation says is not an entity is not looked for in the text either.
        const std::string key = index::EntityKey(name);
        if ((side != analyze::WatchSide::kOrganisations && !rules.Resolve("person", key)) ||
            (side != analyze::WatchSide::kPeople && !rules.Resolve("org", key))) {
          continue;
        }
        for (const bool is_phrase : {true, false}) {
          const double score = is_phrase ? kTextPhraseScore : kTextNearScore;
          if (score < options.min_score) continue;
          index::NameLookup lookup;
          lookup.kind =
              is_phrase ? index::NameLookup::Kind::kPhrase : index::NameLookup::Kind::kNear;
          lookup.words = words;
          lookup.window = static_cast<int>(words.size()) + options.near_slack;
          lookups.push_back(std::move(lookup));
          hits.push_back(
              XrefHit{name, "text", Join(words), is_phrase ? "phrase" : "near", score, 0, {}});
          ++stats.text_lookups;
        }
      }
    }
    if (lookups.empty()) {
      stats.seconds_documents += SecondsSince(start);
      continue;
    }
    index::NameLookupRequest request;
    request.lookups = std::move(lookups);
    request.rules = options.entity_rules;
    request.max_ids = options.max_ids;
    TROVE_ASSIGN_OR_RETURN(index::NameLookupResult found, reader.LookUpNames(request));
    stats.seconds_documents += SecondsSince(start);
    XrefMatch match;
    for (std::size_t k = 0; k < hits.size(); ++k) {
      hits[k].documents = found.found[k].documents;
      hits[k].ids = std::move(found.found[k].ids);
      if (hits[k].documents == 0) continue;
      match.hits.push_back(std::move(hits[k]));
    }
    if (match.hits.empty()) continue;
    std::stable_sort(match.hits.begin(), match.hits.end(), [](const XrefHit& a, const XrefHit& b) {
      return a.score != b.score ? a.score > b.score : a.documents > b.documents;
    });
    match.entry = entry;
    match.score = match.hits.front().score;
    match.documents = found.documents;
    result.matches.push_back(std::move(match));
  }
  std::stable_sort(result.matches.begin(), result.matches.end(),
                   [](const XrefMatch& a, const XrefMatch& b) {
                     return a.score != b.score ? a.score > b.score : a.documents > b.documents;
                   });
  return result;
}

}  // namespace trove::query
