#include "analyze/mentions.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include <sys/stat.h>
#include <unicode/unistr.h>

#include "analyze/entities.h"
#include "analyze/ner.h"
#include "analyze/ner/features.h"
#include "analyze/ner/model.h"
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

// No prose is wrapped narrower than this; a column of equal table cells would otherwise look
// like text wrapped at the width of a cell.
constexpr std::size_t kMinWrapWidth = 40;

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Where a tagger sentence ends although TokenizeForNer reads on, and what it should not read.
struct Layout {
  std::vector<std::size_t> breaks;  // offsets of tabs and line ends, ascending
  std::vector<std::pair<std::size_t, std::size_t>> quote_marks;  // the "> > " opening a line
};

// Extractors write each paragraph, table cell, list item and line of a slide on a line of its
// own, and spreadsheet cells between tabs. Read as one run-on sentence, a column of "Row 1 Col 1"
// cells or "Bullet 1" items has the tagger, trained on news, find names in the capitalised words.
// So a line end is a break unless the line is wrapped prose: the next line's first word would
// not have fitted on it within the width of its block (its longest line, lines between blank
// ones), which holds for every line a greedy wrap cuts, so a name written across the break
// ("Nicolas\nSarkozy") stays one name. Every tab is a break, and a line with one is a table row.
// A reply's quote marks are left out of the sentences, so that quoted prose reads on and a name
// at the start of a quoted line comes without its mark.
Layout ReadLayout(std::string_view text) {
  struct Line {
    std::size_t begin = 0;       // of the line
    std::size_t content = 0;     // after the indent and the quote marks
    std::size_t end = 0;         // before the trailing spaces
    std::size_t size = 0;        // in code points, indent and quote marks included
    std::size_t first_word = 0;  // the size of the first word after `content`
    bool has_tab = false;
    bool has_space = false;  // holds more than one word
  };
  std::vector<Line> lines;
  for (std::size_t begin = 0; begin <= text.size();) {
    std::size_t newline = text.find('\n', begin);
    if (newline == std::string_view::npos) newline = text.size();
    Line line{begin, begin, newline};
    while (line.content < newline && (IsSpace(text[line.content]) || text[line.content] == '>')) {
      ++line.content;
    }
    while (line.end > line.content && IsSpace(text[line.end - 1])) --line.end;
    const std::string_view content = text.substr(line.content, line.end - line.content);
    const std::size_t first_word_end = std::min(content.find_first_of(" \t"), content.size());
    line.size = CodePoints(text.substr(begin, line.end - begin));
    line.first_word = CodePoints(content.substr(0, first_word_end));
    line.has_tab = text.substr(begin, line.end - begin).find('\t') != std::string_view::npos;
    line.has_space = first_word_end < content.size();
    lines.push_back(line);
    begin = newline + 1;
  }
  Layout layout;
  for (const Line& line : lines) {
    const std::string_view marks = text.substr(line.begin, line.content - line.begin);
    if (marks.find('>') != std::string_view::npos) {
      layout.quote_marks.emplace_back(line.begin, line.content);
    }
    for (std::size_t pos = line.begin; pos < line.end; ++pos) {
      if (text[pos] == '\t') layout.breaks.push_back(pos);
    }
  }
  auto is_blank = [](const Line& line) { return line.content == line.end; };
  std::size_t block_begin = 0;
  while (block_begin < lines.size()) {
    if (is_blank(lines[block_begin])) {
      // Quote marks alone make a blank line of a reply; other blank lines need no break, as
      // TokenizeForNer ends a sentence at them, but it costs nothing.
      layout.breaks.push_back(lines[block_begin++].begin);
      continue;
    }
    std::size_t block_end = block_begin;
    std::size_t width = kMinWrapWidth;
    for (; block_end < lines.size() && !is_blank(lines[block_end]); ++block_end) {
      // A table row, or a line of one word (a rule of dashes, a URL), may stick out of any wrap
      // width.
      const Line& line = lines[block_end];
      if (line.has_space && !line.has_tab) width = std::max(width, line.size);
    }
    for (std::size_t line_idx = block_begin; line_idx + 1 < block_end; ++line_idx) {
      const Line& line = lines[line_idx];
      const Line& next = lines[line_idx + 1];
      const bool is_wrapped =
          !line.has_tab && !next.has_tab && line.size + 1 + next.first_word > width;
      if (!is_wrapped) layout.breaks.push_back(line.end);
    }
    block_begin = block_end;
  }
  std::sort(layout.breaks.begin(), layout.breaks.end());
  return layout;
}

// Words that label the parts of a document rather than name anything ("Row 1 Col 1",
// "Figure 2", "Sheet1", "Heading Level 3"). Compared folded, without trailing digits.
constexpr std::string_view kLayoutWords[] = {
    "row",      "col",      "column",   "cell",         "table",      "figure",       "fig",
    "chart",    "image",    "picture",  "photo",        "diagram",    "caption",      "bullet",
    "item",     "list",     "number",   "page",         "slide",      "sheet",        "tab",
    "heading",  "title",    "subtitle", "level",        "chapter",    "section",      "appendix",
    "annex",    "note",     "notes",    "footnote",     "endnote",    "header",       "footer",
    "keyword",  "keywords", "field",    "label",        "total",      "bibliography", "references",
    "contents", "summary",  "abstract", "introduction", "conclusion",
};

bool IsLayoutWord(std::string_view word) {
  std::string folded = FoldToken(word);
  while (!folded.empty() && folded.back() >= '0' && folded.back() <= '9') folded.pop_back();
  return std::find(std::begin(kLayoutWords), std::end(kLayoutWords), folded) !=
         std::end(kLayoutWords);
}

// Whether `token` holds a letter or a digit: ASCII, or any character from U+00C0 up but for
// the Latin-1 symbols (U+0080..U+00BF: « » ° ...) and general punctuation (U+2000..U+206F:
// dashes, curly quotes).
bool HasWordCharacter(std::string_view token) {
  for (std::size_t pos = 0; pos < token.size();) {
    const auto c = static_cast<unsigned char>(token[pos]);
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    if (c < 0x80) {
      ++pos;
    } else if (c == 0xc2) {
      pos += 2;
    } else if (c == 0xe2 && pos + 1 < token.size() &&
               (static_cast<unsigned char>(token[pos + 1]) == 0x80 ||
                static_cast<unsigned char>(token[pos + 1]) == 0x81)) {
      pos += 3;
    } else {
      return c >= 0xc3;
    }
  }
  return false;
}

// The days of the week in English and French, whole or cut to three letters ("Thu", "jeu."),
// compared folded.
bool IsWeekday(std::string_view word) {
  static constexpr std::string_view kDays[] = {
      "monday", "tuesday", "wednesday", "thursday", "friday",   "saturday", "sunday",
      "mon",    "tue",     "tues",      "wed",      "thu",      "thur",     "thurs",
      "fri",    "sat",     "sun",       "lundi",    "mardi",    "mercredi", "jeudi",
      "vendredi", "samedi", "dimanche", "lun",      "mar",      "mer",      "jeu",
      "ven",    "sam",     "dim"};
  std::string folded = FoldToken(word);
  while (!folded.empty() && folded.back() == '.') folded.pop_back();
  return std::find(std::begin(kDays), std::end(kDays), folded) != std::end(kDays);
}

bool IsOnlyLowerCase(const ner::Model& model, std::string_view word) {
  std::string lower;
  ner::AppendLower(word, &lower);
  const auto it = model.casing.find(ner::WordHash(lower));
  return it != model.casing.end() && it->second == ner::WordCase::kOnlyLower;
}

bool EndsSentence(std::string_view token) {
  return token.back() == '.' || token.back() == '!' || token.back() == '?' ||
         token.ends_with("\u2026");
}

// The tagger's mentions in `text`: TokenizeForNer's sentences, cut again at the breaks of
// ReadLayout, tagged as one document (the tagger's document-wide features see every line).
// A name made of layout words alone, in a line that is not a sentence (a cell, an item, a
// heading, a caption), is dropped: there the tagger has little more than the capitals to go on.
std::vector<NerMention> TagNames(const Tagger& tagger, std::string_view text) {
  const Layout layout = ReadLayout(text);
  std::vector<std::vector<NerToken>> units;
  auto next_break = layout.breaks.begin();
  auto next_quote = layout.quote_marks.begin();
  for (const std::vector<NerToken>& sentence : TokenizeForNer(text)) {
    units.emplace_back();
    for (const NerToken& token : sentence) {
      while (next_quote != layout.quote_marks.end() && next_quote->second <= token.offset) {
        ++next_quote;
      }
      if (next_quote != layout.quote_marks.end() && next_quote->first <= token.offset) continue;
      bool is_cut = false;
      for (; next_break != layout.breaks.end() && *next_break < token.offset; ++next_break) {
        is_cut = true;
      }
      if (is_cut && !units.back().empty()) units.emplace_back();
      units.back().push_back(token);
    }
    if (units.back().empty()) units.pop_back();
  }
  std::vector<NerSentence> sentences;
  sentences.reserve(units.size());
  for (const std::vector<NerToken>& unit : units) {
    NerSentence& sentence = sentences.emplace_back();
    for (const NerToken& token : unit) sentence.push_back(token.text);
  }
  const std::vector<std::vector<NerSpan>> spans = tagger.TagDocument(sentences);
  // The words the document capitalises somewhere inside a sentence.
  std::set<std::string_view> capitalised_inside;
  for (const std::vector<NerToken>& unit : units) {
    for (std::size_t i = 1; i < unit.size(); ++i) {
      if (ner::WrittenCase(unit[i].text) == ner::WordCase::kCapitalised &&
          HasWordCharacter(unit[i - 1].text)) {
        capitalised_inside.insert(unit[i].text);
      }
    }
  }
  std::vector<NerMention> mentions;
  for (std::size_t unit_idx = 0; unit_idx < units.size(); ++unit_idx) {
    const std::vector<NerToken>& tokens = units[unit_idx];
    const bool is_sentence = EndsSentence(tokens.back().text);
    for (const NerSpan& span : spans[unit_idx]) {
      auto first = tokens.begin() + static_cast<std::ptrdiff_t>(span.begin);
      auto last = tokens.begin() + static_cast<std::ptrdiff_t>(span.end);
      // Symbols at either end are no part of a name ("> Sell", "# Allow", "'Lonnie Donnegan",
      // "=PNJx"): the tagger takes one in beside a name now and then, mostly in mail. A closing
      // bracket at the end stays: BalanceBrackets left its opener in the name.
      while (first != last && !HasWordCharacter(first->text)) ++first;
      while (last != first && !HasWordCharacter((last - 1)->text) &&
             (last - 1)->text != ")" && (last - 1)->text != "]") {
        --last;
      }
      if (first == last) continue;
      // One capitalised word that opens its sentence or line, where the casing lexicon knows it
      // as hardly ever anything but lower case ("Your", "Click", "Best" of a mail's lines), and
      // that the document never capitalises inside a sentence, has its capital from its place.
      const bool opens_unit = std::none_of(tokens.begin(), first, [](const NerToken& token) {
        return HasWordCharacter(token.text);
      });
      if (last - first == 1 && opens_unit &&
          ner::WrittenCase(first->text) == ner::WordCase::kCapitalised &&
          IsOnlyLowerCase(tagger.model(), first->text) &&
          capitalised_inside.count(first->text) == 0) {
        continue;
      }
      if (!is_sentence && std::all_of(first, last, [](const NerToken& token) {
            return IsLayoutWord(token.text) ||
                   std::all_of(token.text.begin(), token.text.end(),
                               [](char c) { return c >= '0' && c <= '9'; });
          })) {
        continue;
      }
      NerMention& mention = mentions.emplace_back();
      // A quote mark glued to the first word is no part of the name either ("'Lonnie").
      std::size_t skip = 0;
      while (skip < first->text.size() && (first->text[skip] == '\'' || first->text[skip] == '`')) {
        ++skip;
      }
      if (skip == first->text.size()) skip = 0;
      mention.begin = first->offset + skip;
      mention.end = (last - 1)->offset + (last - 1)->text.size();
      mention.type = span.type;
      // Written as in the text, but a name wrapped in a reply loses the quote marks of its
      // second line ("Michael\n> Powell").
      for (auto token = first; token != last; ++token) {
        if (token != first) {
          const std::size_t gap_begin = (token - 1)->offset + (token - 1)->text.size();
          const std::string_view gap = text.substr(gap_begin, token->offset - gap_begin);
          mention.text += gap.find('\n') == std::string_view::npos ? gap : std::string_view(" ");
        }
        mention.text += token == first ? token->text.substr(skip) : token->text;
      }
    }
  }
  return mentions;
}

// An organisation or place written in capitals ("FRONT NATIONAL", "PARIS", in a cable or a
// heading) as such names are usually written, so that its entity reads like the same name
// written normally: the tagger's casing lexicon tells the words usually capitalised ("Paris"),
// the short ones usually in lower case ("of", "de", "la": in lower case after the first word)
// and those usually in capitals ("CIA"). A word it does not know stays as written: an acronym
// is as likely as a name.
std::string OrgOrPlaceAsUsuallyWritten(const ner::Model& model, const std::string& name) {
  if (model.casing.empty()) return name;
  const std::vector<std::string_view> words = SplitSpaces(name);
  const bool is_in_capitals = std::all_of(words.begin(), words.end(), [](std::string_view word) {
    const std::optional<ner::WordCase> form = ner::WrittenCase(word);
    return !form || *form == ner::WordCase::kUpper || word.size() == 1;
  });
  if (!is_in_capitals) return name;
  std::string out;
  std::string lower;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    lower.clear();
    ner::AppendLower(words[i], &lower);
    const auto it = model.casing.find(ner::WordHash(lower));
    if (it == model.casing.end() || it->second == ner::WordCase::kUpper) {
      out += words[i];
    } else if (it->second == ner::WordCase::kLower && i > 0 && CodePoints(words[i]) <= 3) {
      out += lower;
    } else {
      icu::UnicodeString title = icu::UnicodeString::fromUTF8(words[i]);
      title.toTitle(nullptr);
      title.toUTF8String(out);
    }
  }
  return out;
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
    for (const NerMention& m : TagNames(*tagger, utf8_text)) {
      const std::string_view type = EntityTypeOfTag(m.type);
      if (type.empty()) continue;
      EntityMention mention{std::string(type), {}, m.begin, m.end};
      // A tagged span that covers an address, a number or a date is not a name.
      const bool is_pattern =
          std::any_of(out.begin(), out.begin() + pattern_count,
                      [&](const EntityMention& p) { return Overlaps(p, mention); });
      if (is_pattern) continue;
      // "Thu" of "On Thu, 15 Aug 2002": the day of a date found just after it.
      const bool is_weekday_of_date =
          IsWeekday(m.text) &&
          std::any_of(out.begin(), out.begin() + pattern_count, [&](const EntityMention& p) {
            if (p.type != "date" || p.begin < m.end || p.begin - m.end > 3) return false;
            const std::string_view gap = utf8_text.substr(m.end, p.begin - m.end);
            return gap.find_first_not_of(" ,.") == std::string_view::npos;
          });
      if (is_weekday_of_date) continue;
      mention.value = type == "person"
                          ? NormalisePersonName(m.text)
                          : OrgOrPlaceAsUsuallyWritten(tagger->model(), Join(SplitSpaces(m.text)));
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
