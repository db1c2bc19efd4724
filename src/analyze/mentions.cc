#include "analyze/mentions.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>

#include <sys/stat.h>
#include <unicode/unistr.h>

#include "analyze/entities.h"
#include "analyze/ner.h"
#include "core/text.h"

namespace trove::analyze {
namespace {

// Words that come before a name without being part of it (compared folded, without a dot).
constexpr std::string_view kHonorifics[] = {
    "mr",        "mrs",      "ms",         "miss",           "dr",         "prof",
    "professor", "sir",      "dame",       "lord",           "lady",       "m",
    "mme",       "mlle",     "mm",         "monsieur",       "madame",     "mademoiselle",
    "me",        "maitre",   "pr",         "docteur",        "president",  "presidente",
    "senator",   "sen",      "rep",        "representative", "gen",        "general",
    "col",       "colonel",  "capt",       "captain",        "lt",         "adm",
    "admiral",   "minister", "ministre",   "secretary",      "ambassador", "ambassadeur",
    "judge",     "juge",     "chancellor", "premier",        "king",       "queen",
    "prince",    "princess", "mgr",        "father",         "pere",       "rev",
    "reverend",
};

// Words that open or close a letter and that the tagger, trained on news, takes for a name at
// the start of a mail line ("Hi,", "Thanks,"): never a person on their own.
constexpr std::string_view kSalutations[] = {
    "hi",      "hello", "hey",       "dear",    "thanks", "thank", "cheers",
    "regards", "best",  "sincerely", "bonjour", "salut",  "merci", "cordialement",
    "amities", "bises", "yours",     "ok",      "yes",    "no",    "please",
};

bool IsSalutation(std::string_view name) {
  const std::string folded = FoldToken(name);
  return std::find(std::begin(kSalutations), std::end(kSalutations), folded) !=
         std::end(kSalutations);
}

std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
      ++i;
    const std::size_t start = i;
    while (i < text.size() &&
           !(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
      ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::string Join(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// The folded words of a name, for comparing names whatever their case and accents.
std::vector<std::string> FoldedWords(std::string_view name) {
  std::vector<std::string> out;
  TokenIterator tokens(name);
  Token token;
  while (tokens.Next(&token)) out.push_back(FoldToken(token.text));
  return out;
}

std::string_view EntityTypeOfTag(std::string_view tag) {
  if (tag == "PER") return "person";
  if (tag == "ORG") return "org";
  if (tag == "LOC") return "place";
  return {};  // MISC and anything else: not an entity trove lists
}

// One tagger per language and process, loaded on first use; nullptr when there is no model.
const Tagger* TaggerFor(std::string_view lang) {
  static std::mutex mutex;
  static std::map<std::string, std::optional<Tagger>, std::less<>> taggers;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = taggers.find(lang);
  if (it == taggers.end()) {
    std::optional<Tagger> tagger;
    const std::string path = DefaultNerModelPath(lang);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      Result<Tagger> loaded = Tagger::Load(path);
      if (loaded.ok()) {
        tagger = std::move(loaded).value();
      } else {
        std::fprintf(stderr, "trove: no names for language %s: %s\n", std::string(lang).c_str(),
                     loaded.status().ToString().c_str());
      }
    }
    it = taggers.emplace(std::string(lang), std::move(tagger)).first;
  }
  return it->second ? &*it->second : nullptr;
}

bool Overlaps(const EntityMention& a, const EntityMention& b) {
  return a.begin < b.end && b.begin < a.end;
}

}  // namespace

bool IsHonorific(std::string_view word) {
  std::string folded = FoldToken(word);
  while (!folded.empty() && folded.back() == '.') folded.pop_back();
  return std::find(std::begin(kHonorifics), std::end(kHonorifics), folded) != std::end(kHonorifics);
}

std::string NormalisePersonName(std::string_view name) {
  std::vector<std::string_view> words = SplitSpaces(name);
  std::size_t first = 0;
  while (first + 1 < words.size() && IsHonorific(words[first])) ++first;
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(first));
  std::string joined = Join(words);
  const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(joined);
  icu::UnicodeString lower = unicode;
  lower.toLower();
  icu::UnicodeString upper = unicode;
  upper.toUpper();
  // A name written in capitals ("HOLLANDE", as French and legal texts do) is put in title case;
  // a name in mixed case is kept as written ("McDonald", "de Gaulle").
  if (unicode == upper && unicode != lower) {
    icu::UnicodeString title = unicode;
    title.toTitle(nullptr);
    joined.clear();
    title.toUTF8String(joined);
  }
  return joined;
}

void LinkShortNames(std::vector<EntityMention>& mentions) {
  std::map<std::vector<std::string>, std::string> full_names;  // folded words -> value
  for (const EntityMention& m : mentions) {
    if (m.type != "person") continue;
    std::vector<std::string> words = FoldedWords(m.value);
    if (words.size() >= 2) full_names.emplace(std::move(words), m.value);
  }
  if (full_names.empty()) return;
  for (EntityMention& m : mentions) {
    if (m.type != "person") continue;
    const std::vector<std::string> words = FoldedWords(m.value);
    if (words.empty()) continue;
    const std::string* match = nullptr;
    bool is_ambiguous = false;
    for (const auto& [full, value] : full_names) {
      if (full.size() <= words.size()) continue;
      if (!std::equal(words.begin(), words.end(),
                      full.end() - static_cast<std::ptrdiff_t>(words.size())))
        continue;
      if (match != nullptr && *match != value) is_ambiguous = true;
      match = &value;
    }
    if (match != nullptr && !is_ambiguous) m.value = *match;
  }
}

std::vector<EntityMention> FindMentions(std::string_view utf8_text, std::string_view lang,
                                        const MentionOptions& options) {
  std::vector<EntityMention> out;
  for (const Mention& m : FindPatternEntities(utf8_text, lang)) {
    out.push_back(EntityMention{std::string(EntityTypeName(m.type)), m.value, m.begin, m.end});
  }
  const std::size_t pattern_count = out.size();
  const Tagger* tagger = options.with_names && !lang.empty() ? TaggerFor(lang) : nullptr;
  if (tagger != nullptr) {
    for (const NerMention& m : tagger->TagText(utf8_text)) {
      const std::string_view type = EntityTypeOfTag(m.type);
      if (type.empty()) continue;
      EntityMention mention{std::string(type), {}, m.begin, m.end};
      // A tagged span that covers an address, a number or a date is not a name.
      const bool is_pattern =
          std::any_of(out.begin(), out.begin() + pattern_count,
                      [&](const EntityMention& p) { return Overlaps(p, mention); });
      if (is_pattern) continue;
      mention.value = type == "person" ? NormalisePersonName(m.text) : Join(SplitSpaces(m.text));
      if (mention.value.empty()) continue;
      if (type == "person" && IsSalutation(mention.value)) continue;
      out.push_back(std::move(mention));
    }
    LinkShortNames(out);
  }
  std::stable_sort(out.begin(), out.end(), [](const EntityMention& a, const EntityMention& b) {
    return a.begin < b.begin;
  });
  return out;
}

}  // namespace trove::analyze
