#include "analyze/name_matcher.h"

#include <algorithm>
#include <array>
#include <functional>
#include <unordered_map>

#include "analyze/mentions.h"
#include "analyze/phonetic.h"
#include "core/text.h"

namespace trove::analyze {
namespace {

// Longer names are compared on their first words only (a name is rarely longer; a long "name"
// is usually a sentence the tagger took for one).
constexpr std::size_t kMaxWords = 12;
// Score factors, one per feature: a variant always scores below the exact name, and each
// further difference lowers it again. Fuzzy words cost more the larger the edit is relative to
// the word.
constexpr double kReorderedFactor = 0.9;
constexpr double kMissingWordFactor = 0.85;
constexpr double kInitialFactor = 0.85;
constexpr double kFuzzyBase = 0.9;
constexpr double kFuzzyPerEdit = 0.3;
// Words shorter than this are never matched fuzzily ("joan" and "john", "mike" and "make" are
// different names).
constexpr std::size_t kMinFuzzyLetters = 5;
// A misspelling in the first letter is rarer than one inside the word ("Wladimir" is a
// transliteration, "Villa" for "Milla" a different name): it costs more.
constexpr double kFuzzyFirstLetterPenalty = 0.05;
// A one-word name only matches a misspelling from this length.
constexpr std::size_t kMinFuzzyLettersAlone = 6;
constexpr std::size_t kMaxMissingWords = 2;
// Sound-alike words (Double Metaphone keys shared) score below any misspelling within the edit
// allowance, which the matcher tries first. Double Metaphone alone joins far too much in names
// ("Allen" ~ "Joulwaan" through the alternate key, "Waltrip" ~ "Aldridge" through the four-letter
// cut, "Owens" ~ "Jones"): measured on a 100,000-name list against the SpamAssassin people, most
// phonetic hits were wrong (bench/RESULTS.md, "Phonetic keys"). So a phonetic pair also needs
// the same first letter and a spelling not too far (edits at most kPhoneticEditShare of the
// longer word, and at least two), and counts only beside a word that both names share.
constexpr double kPhoneticFactor = 0.78;
constexpr std::size_t kMinPhoneticLetters = 5;
constexpr double kPhoneticEditShare = 0.4;

// Company forms that follow a name without being part of it.
constexpr std::string_view kCompanyForms[] = {
    "ltd",     "limited", "llc",  "inc",  "incorporated", "plc", "gmbh", "ag",   "sa",
    "sas",     "sarl",    "srl",  "spa",  "bv",           "nv",  "co",   "corp", "corporation",
    "company", "pjsc",    "ojsc", "cjsc", "jsc",          "pao", "oao",  "zao",  "ooo",
    "llp",     "lp",      "ab",   "oy",   "kg",           "kft", "sro",  "as",   "sl",
    "se"};

bool IsCompanyForm(std::string_view word) {
  return std::find(std::begin(kCompanyForms), std::end(kCompanyForms), word) !=
         std::end(kCompanyForms);
}

std::u32string Codepoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = 1;
    char32_t cp = c;
    if (c >= 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else if (c >= 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xC0) {
      len = 2;
      cp = c & 0x1F;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out += cp;
    i += len;
  }
  return out;
}

// The edit distance with adjacent transpositions (optimal string alignment), or max + 1 once it
// exceeds `max`. Words are at most kMaxTokenBytes long, so the rows live on the stack.
std::size_t EditDistance(std::u32string_view a, std::u32string_view b, std::size_t max) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max) return max + 1;
  if (m >= kMaxTokenBytes + 1 || n >= kMaxTokenBytes + 1) return max + 1;
  // Three rows used in turn (two back, one back, this one): no copying between rows.
  std::array<std::array<std::uint8_t, kMaxTokenBytes + 2>, 3> rows;
  for (std::size_t j = 0; j <= m; ++j) rows[0][j] = static_cast<std::uint8_t>(j);
  std::size_t last = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    const auto& prev = rows[(i - 1) % 3];
    const auto& prev2 = rows[(i + 1) % 3];  // (i - 2) % 3
    auto& cur = rows[i % 3];
    cur[0] = static_cast<std::uint8_t>(i);
    std::size_t row_min = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
      unsigned best = std::min({prev[j] + 1u, cur[j - 1] + 1u, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, prev2[j - 2] + 1u);
      }
      cur[j] = static_cast<std::uint8_t>(best);
      row_min = std::min<std::size_t>(row_min, best);
    }
    if (row_min > max) return max + 1;
    last = i % 3;
  }
  return std::min<std::size_t>(rows[last][m], max + 1);
}

// Edits allowed between two words of these lengths (in code points).
std::size_t MaxEdits(std::size_t a_len, std::size_t b_len) {
  const std::size_t shorter = std::min(a_len, b_len);
  if (shorter < kMinFuzzyLetters) return 0;
  return std::max(a_len, b_len) >= 8 ? 2 : 1;
}

struct Word {
  std::string_view text;
  std::u32string_view letters;
  const PhoneticKeys* phonetic = nullptr;  // set for words of kMinPhoneticLetters or more
  bool is_initial() const { return letters.size() == 1; }
};

bool MayBePhonetic(std::u32string_view letters) { return letters.size() >= kMinPhoneticLetters; }

// Edits allowed between two sound-alike words of these lengths.
std::size_t MaxPhoneticEdits(std::size_t a_len, std::size_t b_len) {
  const auto share =
      static_cast<std::size_t>(kPhoneticEditShare * static_cast<double>(std::max(a_len, b_len)));
  return std::max<std::size_t>(2, share);
}

// A name's words, with their letters decoded once.
struct Words {
  explicit Words(const std::vector<std::string>& texts) {
    count = std::min(texts.size(), kMaxWords);
    for (std::size_t k = 0; k < count; ++k) {
      letters[k] = Codepoints(texts[k]);
      if (MayBePhonetic(letters[k])) phonetic[k] = DoubleMetaphone(texts[k]);
    }
    for (std::size_t k = 0; k < count; ++k) {
      words[k] = Word{texts[k], letters[k], MayBePhonetic(letters[k]) ? &phonetic[k] : nullptr};
    }
  }
  std::array<std::u32string, kMaxWords> letters;
  std::array<PhoneticKeys, kMaxWords> phonetic;
  std::array<Word, kMaxWords> words;
  std::size_t count = 0;
  Words(const Words&) = delete;  // words view letters
  Words& operator=(const Words&) = delete;
};

enum class PairKind { kSame, kFuzzy, kPhonetic, kInitial };
struct Pair {
  std::size_t wanted, found;
  PairKind kind;
  double factor;
};

// A bit per first letter of a word (a hash of it): lets Find skip candidates that no initial
// can pair with, without comparing them.
std::uint32_t LetterBit(char32_t letter) { return std::uint32_t{1} << (letter % 32); }

std::optional<NameComparison> CompareWords(const Word* wanted, std::size_t wanted_count,
                                           const Word* found, std::size_t found_count) {
  const std::size_t m = std::min(wanted_count, kMaxWords);
  const std::size_t n = std::min(found_count, kMaxWords);
  if (m == 0 || n == 0) return std::nullopt;
  std::array<bool, kMaxWords> wanted_paired{}, found_paired{};
  std::array<Pair, kMaxWords> pair_slots;
  std::size_t pair_count = 0;
  const auto add_pair = [&](const Pair& pair) { pair_slots[pair_count++] = pair; };
  // The same words first, then misspellings, then initials: a looser pair never takes a word
  // that a closer one could have.
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (!found_paired[j] && wanted[i].text == found[j].text) {
        add_pair({i, j, PairKind::kSame, 1.0});
        wanted_paired[i] = found_paired[j] = true;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (wanted_paired[i]) continue;
    std::size_t best = n, best_edits = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (found_paired[j]) continue;
      const std::size_t max = MaxEdits(wanted[i].letters.size(), found[j].letters.size());
      if (max == 0) continue;
      const std::size_t edits = EditDistance(wanted[i].letters, found[j].letters, max);
      if (edits <= max && (best == n || edits < best_edits)) {
        best = j;
        best_edits = edits;
      }
    }
    if (best == n) continue;
    const double longer =
        static_cast<double>(std::max(wanted[i].letters.size(), found[best].letters.size()));
    const bool same_first = wanted[i].letters[0] == found[best].letters[0];
    add_pair({i, best, PairKind::kFuzzy,
              kFuzzyBase - kFuzzyPerEdit * static_cast<double>(best_edits) / longer -
                  (same_first ? 0 : kFuzzyFirstLetterPenalty)});
    wanted_paired[i] = found_paired[best] = true;
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (wanted_paired[i] || wanted[i].phonetic == nullptr) continue;
    for (std::size_t j = 0; j < n; ++j) {
      if (found_paired[j] || found[j].phonetic == nullptr) continue;
      if (wanted[i].letters[0] != found[j].letters[0]) continue;
      const std::size_t max = MaxPhoneticEdits(wanted[i].letters.size(), found[j].letters.size());
      if (SoundAlike(*wanted[i].phonetic, *found[j].phonetic) &&
          EditDistance(wanted[i].letters, found[j].letters, max) <= max) {
        add_pair({i, j, PairKind::kPhonetic, kPhoneticFactor});
        wanted_paired[i] = found_paired[j] = true;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    if (wanted_paired[i]) continue;
    for (std::size_t j = 0; j < n; ++j) {
      if (found_paired[j]) continue;
      const Word& a = wanted[i];
      const Word& b = found[j];
      if (a.is_initial() != b.is_initial() && a.letters[0] == b.letters[0]) {
        add_pair({i, j, PairKind::kInitial, kInitialFactor});
        wanted_paired[i] = found_paired[j] = true;
        break;
      }
    }
  }
  const std::size_t paired = pair_count;
  Pair* const pairs_begin = pair_slots.data();
  Pair* const pairs_end = pair_slots.data() + pair_count;
  std::size_t whole_words = 0, same_words = 0, phonetic_words = 0;
  for (const Pair* pair = pairs_begin; pair != pairs_end; ++pair) {
    if (pair->kind != PairKind::kInitial && !wanted[pair->wanted].is_initial()) ++whole_words;
    if (pair->kind == PairKind::kSame && !wanted[pair->wanted].is_initial()) ++same_words;
    if (pair->kind == PairKind::kPhonetic) ++phonetic_words;
  }
  // A sound-alike word needs a second signal: two names of two words or more that share a word.
  if (phonetic_words > 0 && (std::min(m, n) < 2 || same_words == 0)) return std::nullopt;
  if (std::min(m, n) == 1) {
    if (m != 1 || n != 1 || paired != 1 || whole_words != 1) return std::nullopt;
    if (pair_slots[0].kind == PairKind::kFuzzy &&
        std::min(wanted[0].letters.size(), found[0].letters.size()) < kMinFuzzyLettersAlone) {
      return std::nullopt;
    }
  } else if (paired != std::min(m, n) || paired < 2 || whole_words < 1 ||
             std::max(m, n) - paired > kMaxMissingWords) {
    return std::nullopt;
  }
  // An initial stands for a word only when both names have the same number of words: "John M.
  // Jackson" is not "John Malcolm", nor "David Newman" "David N. Siegel", nor "D. Williams"
  // "Stephen D. Williams".
  const std::size_t missing_words = std::max(m, n) - paired;
  for (const Pair* pair = pairs_begin; pair != pairs_end; ++pair) {
    const bool is_letter_only =
        pair->kind == PairKind::kInitial || wanted[pair->wanted].is_initial();
    if (missing_words > 0 && is_letter_only) return std::nullopt;
  }
  std::sort(pairs_begin, pairs_end,
            [](const Pair& a, const Pair& b) { return a.wanted < b.wanted; });
  bool is_reordered = false;
  for (std::size_t k = 1; k < pair_count; ++k) {
    if (pair_slots[k].found < pair_slots[k - 1].found) is_reordered = true;
  }
  NameComparison out;
  double score = 1;
  bool has_fuzzy = false, has_initial = false;
  for (const Pair* pair = pairs_begin; pair != pairs_end; ++pair) {
    score *= pair->factor;
    has_fuzzy |= pair->kind == PairKind::kFuzzy;
    has_initial |= pair->kind == PairKind::kInitial;
  }
  const bool has_phonetic = phonetic_words > 0;
  const std::size_t missing = std::max(m, n) - paired;
  for (std::size_t k = 0; k < missing; ++k) score *= kMissingWordFactor;
  if (is_reordered) score *= kReorderedFactor;
  // "A. Ross" is rarely "Ross Anderson": an initial in a reordered name costs twice, so that it
  // falls below the default floor (0.75) unless the rest is exact ("Putin, V." still scores 0.65).
  if (is_reordered && has_initial) score *= kInitialFactor;
  out.score = score;
  out.kind = has_phonetic   ? NameMatchKind::kPhonetic
             : has_fuzzy    ? NameMatchKind::kFuzzy
             : has_initial  ? NameMatchKind::kInitial
             : missing > 0  ? NameMatchKind::kPartial
             : is_reordered ? NameMatchKind::kReordered
                            : NameMatchKind::kExact;
  return out;
}

std::uint64_t HashKey(std::u32string_view letters) {
  return std::hash<std::u32string_view>{}(letters);
}

// A phonetic key and the word's first letter: only words of the same first letter pair.
std::uint64_t SoundKey(std::string_view key, char32_t first_letter) {
  return std::hash<std::string_view>{}(key) ^ (std::uint64_t{first_letter} * 0x9E3779B97F4A7C15u);
}

// The keys under which a word is found by its misspellings: itself and each of its one-letter
// deletions. Two words within one edit (substitution, insertion, deletion or transposition)
// share a key.
void DeletionKeys(const std::u32string& letters, std::vector<std::uint64_t>* keys) {
  keys->clear();
  keys->push_back(HashKey(letters));
  std::u32string shorter;
  for (std::size_t k = 0; k < letters.size(); ++k) {
    if (k > 0 && letters[k] == letters[k - 1]) continue;  // same deletion as the previous one
    shorter.assign(letters, 0, k);
    shorter.append(letters, k + 1);
    keys->push_back(HashKey(shorter));
  }
}

}  // namespace

const char* NameMatchKindName(NameMatchKind kind) {
  switch (kind) {
    case NameMatchKind::kExact:
      return "exact";
    case NameMatchKind::kReordered:
      return "reordered";
    case NameMatchKind::kPartial:
      return "partial";
    case NameMatchKind::kInitial:
      return "initial";
    case NameMatchKind::kFuzzy:
      return "fuzzy";
    case NameMatchKind::kPhonetic:
      return "phonetic";
  }
  return "exact";
}

std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words;
  std::vector<bool> had_dot;
  Token token;
  for (TokenIterator it(name); it.Next(&token);) {
    words.push_back(FoldToken(token.text));
    const std::size_t after = token.offset + token.text.size();
    had_dot.push_back(after < name.size() && name[after] == '.');
  }
  std::size_t first = 0, last = words.size();
  // "M." and "Me" are titles in French but initials or names elsewhere: a one-letter or
  // two-letter honorific is dropped only when written with its dot.
  while (last - first > 2 &&
         (IsHonorific(words[first]) && (words[first].size() > 2 || had_dot[first]))) {
    ++first;
  }
  while (last - first > 1 && IsCompanyForm(words[last - 1])) --last;
  if (last - first > 1 && words[first] == "the") ++first;
  return std::vector<std::string>(words.begin() + static_cast<std::ptrdiff_t>(first),
                                  words.begin() + static_cast<std::ptrdiff_t>(last));
}

std::optional<NameComparison> CompareNames(std::string_view wanted, std::string_view found) {
  const std::vector<std::string> a = NameWords(wanted), b = NameWords(found);
  const Words wa(a), wb(b);
  return CompareWords(wa.words.data(), wa.count, wb.words.data(), wb.count);
}

// --- NameIndex ---------------------------------------------------------------------------------

struct NameIndex::Impl {
  struct Name {
    std::uint32_t first = 0;  // into name_words
    std::uint8_t count = 0;
    std::uint32_t letter_mask = 0;   // LetterBit of each word's first letter
    std::uint32_t initial_mask = 0;  // LetterBit of each one-letter word
  };
  std::vector<Name> names;
  std::vector<std::uint32_t> name_words;  // word ids, name after name
  std::unordered_map<std::string, std::uint32_t> vocabulary;
  std::vector<std::string> words;       // by id
  std::vector<std::u32string> letters;  // by id
  std::vector<PhoneticKeys> phonetic;   // by id; empty keys for words too short to sound alike
  // Names by word id, in name order (compressed rows: postings[offsets[w] .. offsets[w + 1]]),
  // and the same for the names that hold an initial only.
  std::vector<std::uint32_t> offsets, postings;
  std::vector<std::uint32_t> initial_offsets, initial_postings;
  // (deletion key, word id), sorted: the misspelling index.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> deletions;
  // (hash of a phonetic key, word id), sorted: the sound-alike index.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> sounds;
  bool is_built = false;

  // Find's scratch: per name, how many of the wanted words it holds, and the last word counted.
  std::vector<std::uint8_t> hits;
  std::vector<std::uint32_t> stamp;
  std::uint32_t generation = 0;
  std::vector<std::uint32_t> touched;
  std::uint64_t comparisons = 0;

  std::uint32_t WordId(const std::string& word) {
    const auto [it, is_new] = vocabulary.emplace(word, static_cast<std::uint32_t>(words.size()));
    if (is_new) {
      words.push_back(word);
      letters.push_back(Codepoints(word));
      phonetic.push_back(MayBePhonetic(letters.back()) ? DoubleMetaphone(word) : PhoneticKeys{});
    }
    return it->second;
  }

  // The word ids that `word` may pair with as a whole word: itself and its misspellings.
  void Expand(const std::string& word, const std::u32string& word_letters,
              std::vector<std::uint32_t>* out) const {
    out->clear();
    if (const auto it = vocabulary.find(word); it != vocabulary.end()) out->push_back(it->second);
    if (word_letters.size() < kMinFuzzyLetters) return;
    if (MayBePhonetic(word_letters)) {
      const PhoneticKeys sound = DoubleMetaphone(word);
      for (const std::string* key : {&sound.primary, &sound.alternate}) {
        if (key->empty() || (key == &sound.alternate && sound.alternate == sound.primary)) continue;
        auto range =
            std::equal_range(sounds.begin(), sounds.end(),
                             std::make_pair(SoundKey(*key, word_letters[0]), std::uint32_t{0}),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto it = range.first; it != range.second; ++it) {
          if (std::find(out->begin(), out->end(), it->second) == out->end()) {
            out->push_back(it->second);
          }
        }
      }
    }
    std::vector<std::uint64_t> keys;
    DeletionKeys(word_letters, &keys);
    for (const std::uint64_t key : keys) {
      auto range = std::equal_range(deletions.begin(), deletions.end(),
                                    std::make_pair(key, std::uint32_t{0}),
                                    [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto it = range.first; it != range.second; ++it) {
        const std::uint32_t id = it->second;
        if (std::find(out->begin(), out->end(), id) != out->end()) continue;
        const std::size_t max = MaxEdits(word_letters.size(), letters[id].size());
        if (max > 0 && EditDistance(word_letters, letters[id], max) <= max) out->push_back(id);
      }
    }
  }
};

NameIndex::NameIndex() : impl_(std::make_unique<Impl>()) {}
NameIndex::~NameIndex() = default;

void NameIndex::Add(std::string_view name) {
  Impl& d = *impl_;
  std::vector<std::string> words = NameWords(name);
  if (words.size() > kMaxWords) words.resize(kMaxWords);
  Impl::Name entry;
  entry.first = static_cast<std::uint32_t>(d.name_words.size());
  entry.count = static_cast<std::uint8_t>(words.size());
  for (const std::string& word : words) {
    const std::uint32_t id = d.WordId(word);
    d.name_words.push_back(id);
    const std::u32string& letters = d.letters[id];
    entry.letter_mask |= LetterBit(letters[0]);
    if (letters.size() == 1) entry.initial_mask |= LetterBit(letters[0]);
  }
  d.names.push_back(entry);
  d.is_built = false;
}

std::size_t NameIndex::size() const { return impl_->names.size(); }
std::uint64_t NameIndex::comparisons() const { return impl_->comparisons; }

void NameIndex::Build() {
  Impl& d = *impl_;
  std::vector<std::uint32_t> counts(d.words.size() + 1, 0);
  for (const Impl::Name& n : d.names) {
    for (std::uint32_t k = 0; k < n.count; ++k) ++counts[d.name_words[n.first + k] + 1];
  }
  d.offsets.assign(d.words.size() + 1, 0);
  for (std::size_t w = 0; w < d.words.size(); ++w) d.offsets[w + 1] = d.offsets[w] + counts[w + 1];
  d.postings.assign(d.offsets.back(), 0);
  std::vector<std::uint32_t> fill(d.offsets.begin(), d.offsets.end() - 1);
  std::fill(counts.begin(), counts.end(), 0);
  for (std::size_t name = 0; name < d.names.size(); ++name) {
    const Impl::Name& n = d.names[name];
    for (std::uint32_t k = 0; k < n.count; ++k) {
      d.postings[fill[d.name_words[n.first + k]]++] = static_cast<std::uint32_t>(name);
      if (n.initial_mask != 0) ++counts[d.name_words[n.first + k] + 1];
    }
  }
  d.initial_offsets.assign(d.words.size() + 1, 0);
  for (std::size_t w = 0; w < d.words.size(); ++w) {
    d.initial_offsets[w + 1] = d.initial_offsets[w] + counts[w + 1];
  }
  d.initial_postings.assign(d.initial_offsets.back(), 0);
  fill.assign(d.initial_offsets.begin(), d.initial_offsets.end() - 1);
  for (std::size_t name = 0; name < d.names.size(); ++name) {
    const Impl::Name& n = d.names[name];
    if (n.initial_mask == 0) continue;
    for (std::uint32_t k = 0; k < n.count; ++k) {
      d.initial_postings[fill[d.name_words[n.first + k]]++] = static_cast<std::uint32_t>(name);
    }
  }
  d.deletions.clear();
  std::vector<std::uint64_t> keys;
  for (std::size_t w = 0; w < d.words.size(); ++w) {
    if (d.letters[w].size() < kMinFuzzyLetters) continue;
    DeletionKeys(d.letters[w], &keys);
    for (const std::uint64_t key : keys) {
      d.deletions.emplace_back(key, static_cast<std::uint32_t>(w));
    }
  }
  d.sounds.clear();
  for (std::size_t w = 0; w < d.words.size(); ++w) {
    const PhoneticKeys& sound = d.phonetic[w];
    if (sound.primary.empty()) continue;
    const char32_t first = d.letters[w][0];
    d.sounds.emplace_back(SoundKey(sound.primary, first), static_cast<std::uint32_t>(w));
    if (sound.alternate != sound.primary) {
      d.sounds.emplace_back(SoundKey(sound.alternate, first), static_cast<std::uint32_t>(w));
    }
  }
  std::sort(d.sounds.begin(), d.sounds.end());
  d.sounds.erase(std::unique(d.sounds.begin(), d.sounds.end()), d.sounds.end());
  std::sort(d.deletions.begin(), d.deletions.end());
  d.deletions.erase(std::unique(d.deletions.begin(), d.deletions.end()), d.deletions.end());
  d.hits.assign(d.names.size(), 0);
  d.stamp.assign(d.names.size(), 0);
  d.generation = 0;
  d.is_built = true;
}

std::vector<NameIndex::Match> NameIndex::Find(std::string_view wanted, double min_score) {
  return FindWords(NameWords(wanted), min_score);
}

std::vector<NameIndex::Match> NameIndex::FindWords(const std::vector<std::string>& wanted_texts,
                                                   double min_score) {
  Impl& d = *impl_;
  if (!d.is_built) Build();
  const Words wanted_words(wanted_texts);
  const std::size_t m = wanted_words.count;
  std::uint32_t wanted_letters = 0, wanted_initials = 0;
  for (std::size_t k = 0; k < m; ++k) {
    const Word& word = wanted_words.words[k];
    wanted_letters |= LetterBit(word.letters[0]);
    if (word.is_initial()) wanted_initials |= LetterBit(word.letters[0]);
  }
  // Candidates: the names holding one of the wanted whole words or a misspelling of it, with
  // the number of wanted words each holds.
  struct Expanded {
    std::vector<std::uint32_t> ids;
    std::size_t postings = 0;
  };
  std::vector<Expanded> expanded;
  for (std::size_t k = 0; k < m; ++k) {
    const Word& word = wanted_words.words[k];
    if (word.is_initial()) continue;
    bool is_repeat = false;
    for (std::size_t before = 0; before < k; ++before) {
      is_repeat |= wanted_words.words[before].text == word.text;
    }
    if (is_repeat) continue;
    Expanded e;
    d.Expand(wanted_texts[k], wanted_words.letters[k], &e.ids);
    for (const std::uint32_t id : e.ids) e.postings += d.offsets[id + 1] - d.offsets[id];
    expanded.push_back(std::move(e));
  }
  std::sort(expanded.begin(), expanded.end(),
            [](const Expanded& a, const Expanded& b) { return a.postings < b.postings; });
  const auto count = [&d](std::uint32_t name) {
    if (d.stamp[name] == d.generation) return;
    d.stamp[name] = d.generation;
    if (d.hits[name] == 0) d.touched.push_back(name);
    if (d.hits[name] < 255) ++d.hits[name];
  };
  // Without an initial in the wanted name, a candidate holding two of its words holds one of
  // the rarer ones, and one holding a single word needs an initial of its own: the commonest
  // word ("john", "de") is only looked up for the candidates found so far and walked for the
  // names with an initial.
  const bool probe_commonest = wanted_initials == 0 && expanded.size() >= 2;
  for (std::size_t k = 0; k < expanded.size(); ++k) {
    ++d.generation;
    const bool is_probed = probe_commonest && k + 1 == expanded.size();
    if (is_probed) {
      const std::size_t found_before = d.touched.size();
      for (std::size_t t = 0; t < found_before; ++t) {
        const std::uint32_t name = d.touched[t];
        for (const std::uint32_t id : expanded[k].ids) {
          if (std::binary_search(d.postings.begin() + d.offsets[id],
                                 d.postings.begin() + d.offsets[id + 1], name)) {
            count(name);
            break;
          }
        }
      }
    }
    for (const std::uint32_t id : expanded[k].ids) {
      const std::vector<std::uint32_t>& rows = is_probed ? d.initial_postings : d.postings;
      const std::vector<std::uint32_t>& starts = is_probed ? d.initial_offsets : d.offsets;
      for (std::uint32_t p = starts[id]; p < starts[id + 1]; ++p) count(rows[p]);
    }
  }
  std::vector<Match> out;
  std::array<Word, kMaxWords> found_words;
  for (const std::uint32_t name : d.touched) {
    const std::uint8_t hits = d.hits[name];
    d.hits[name] = 0;
    const Impl::Name& n = d.names[name];
    if ((m == 1) != (n.count == 1)) continue;
    // A name holding one wanted word only can match only through an initial, on either side,
    // whose letter starts a word of the other name.
    if (m > 1 && hits < 2 && (wanted_initials & n.letter_mask) == 0 &&
        (n.initial_mask & wanted_letters) == 0) {
      continue;
    }
    ++d.comparisons;
    for (std::uint32_t k = 0; k < n.count; ++k) {
      const std::uint32_t id = d.name_words[n.first + k];
      found_words[k] = Word{d.words[id], d.letters[id],
                            d.phonetic[id].primary.empty() ? nullptr : &d.phonetic[id]};
    }
    const std::optional<NameComparison> comparison =
        CompareWords(wanted_words.words.data(), m, found_words.data(), n.count);
    if (comparison && comparison->score >= min_score) out.push_back(Match{name, *comparison});
  }
  d.touched.clear();
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.comparison.score != b.comparison.score ? a.comparison.score > b.comparison.score
                                                    : a.name < b.name;
  });
  return out;
}

}  // namespace trove::analyze
