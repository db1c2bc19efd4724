#include "analyze/ner/features.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

namespace trove::analyze::ner {
namespace {

// Feature templates. The numbers are hashed into the model, so never renumber one: add new
// templates at the end (and bump the model format version if old models would tag differently).
enum Template : std::uint64_t {
  kBias = 1,
  kWord,
  kLower,
  kLowerPrev,
  kLowerNext,
  kLowerPrev2,
  kLowerNext2,
  kBigramPrev,
  kBigramNext,
  kShape,
  kShapePrev,
  kShapeNext,
  kShapePrev2,
  kShapeNext2,
  kShapeBigramPrev,
  kShapeBigramNext,
  kPrefix,  // + length (1..4): 17..20
  kSuffix = kPrefix + 4,
  kFirstShape = kSuffix + 4,
  kFirstLower,
  kLowerElsewhere,
  kCapitalisedElsewhere,
  kCapsLineShape,
  kCluster,  // + level
  kClusterPrev = kCluster + 8,
  kClusterNext = kClusterPrev + 8,
  kClusterPrev2 = kClusterNext + 8,
  kClusterNext2,
  kClusterBigram,
  kGazetteer,  // + 4 * type bit + position
  kLastShape = kGazetteer + 32,
  kShortSentenceShape,
  kHistory,
  kHistoryShare,
  kTrigram,
  kSentenceFirstShape,
  kPrevLowerShape,
  kNextLowerShape,
  kStyleShape,
  kStyleLower,
  kStylePrev,
  kStyleNext,
  kNameWordBit,
  kNameWordSet,
  kNameWordSetPrev,
  kNameWordSetNext,
};

// Letter trigrams are taken from words up to this many code points (longer ones are rare and
// well served by their affixes).
constexpr std::size_t kMaxTrigramWord = 16;

// Sentences up to this long get features of their length: WikiANN's "sentences" are often
// titles ("Saxifrage faux Orpin") that are one entity from end to end.
constexpr std::size_t kShortSentence = 6;

constexpr std::size_t kMaxAffix = 4;
constexpr std::size_t kMaxShape = 12;

std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t Combine(std::uint64_t a, std::uint64_t b) {
  return Mix(a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)));
}

// Byte length of the UTF-8 sequence that starts with `lead`.
std::size_t SequenceLength(unsigned char lead) {
  if (lead < 0xc0) return 1;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  return 4;
}

bool IsUpper(std::string_view word, std::size_t pos) {
  const auto c = static_cast<unsigned char>(word[pos]);
  if (c >= 'A' && c <= 'Z') return true;
  if (c == 0xc3 && pos + 1 < word.size()) {
    const auto d = static_cast<unsigned char>(word[pos + 1]);
    return d >= 0x80 && d <= 0x9e && d != 0x97;
  }
  return c == 0xc5 && pos + 1 < word.size() && static_cast<unsigned char>(word[pos + 1]) == 0x92;
}

bool IsLowerLetter(std::string_view word, std::size_t pos) {
  const auto c = static_cast<unsigned char>(word[pos]);
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 0xc3 && c < 0xf0) return !IsUpper(word, pos);  // accented and other letters
  return false;
}

// "Paris" -> "Xx", "U.S." -> "X.X.", "1996-08-22" -> "d-d-d", "McDonald" -> "XxXx".
std::uint64_t ShapeHash(std::string_view word, bool* has_letter, bool* is_capitalised,
                        bool* is_all_caps, bool* is_all_lower) {
  char shape[kMaxShape];
  std::size_t length = 0;
  bool any_letter = false;
  bool any_lower = false;
  bool any_upper = false;
  for (std::size_t pos = 0; pos < word.size();) {
    const auto c = static_cast<unsigned char>(word[pos]);
    char cls;
    if (IsUpper(word, pos)) {
      cls = 'X';
      any_upper = any_letter = true;
    } else if (IsLowerLetter(word, pos)) {
      cls = 'x';
      any_lower = any_letter = true;
    } else if (c >= '0' && c <= '9') {
      cls = 'd';
    } else if (c >= 0x80) {
      cls = 'o';
    } else {
      cls = static_cast<char>(c);
    }
    if (length == 0 || shape[length - 1] != cls) {
      if (length < kMaxShape) shape[length++] = cls;
    }
    pos += SequenceLength(c);
  }
  *has_letter = any_letter;
  *is_capitalised = !word.empty() && IsUpper(word, 0);
  *is_all_caps = any_upper && !any_lower;
  *is_all_lower = any_lower && !any_upper;
  return WordHash(std::string_view(shape, length));
}

struct TokenInfo {
  std::uint64_t word = 0;
  std::uint64_t lower = 0;
  std::uint64_t shape = 0;
  std::array<std::uint64_t, kMaxAffix> prefixes{};
  std::array<std::uint64_t, kMaxAffix> suffixes{};
  std::size_t affix_count = 0;  // code points, at most kMaxAffix
  std::array<std::uint64_t, kMaxTrigramWord> trigrams{};
  std::size_t trigram_count = 0;
  std::int64_t cluster_row = -1;
  std::uint32_t name_bits = 0;  // Gazetteer::words
  bool has_letter = false;
  bool is_capitalised = false;
  bool is_all_caps = false;
  bool is_all_lower = false;
};

class Extractor {
 public:
  explicit Extractor(const Model& model) : model_(model), shift_(64 - model.hash_bits) {}

  void Run(const std::vector<NerSentence>& document, std::vector<SentenceFeatures>* out) {
    const std::uint32_t groups = model_.feature_groups;
    infos_.resize(document.size());
    lower_seen_.clear();
    capitalised_seen_.clear();
    for (std::size_t sentence_idx = 0; sentence_idx < document.size(); ++sentence_idx) {
      const NerSentence& sentence = document[sentence_idx];
      std::vector<TokenInfo>& infos = infos_[sentence_idx];
      infos.resize(sentence.size());
      for (std::size_t token_idx = 0; token_idx < sentence.size(); ++token_idx) {
        Describe(sentence[token_idx], &infos[token_idx]);
        if (groups & kFeatureDocument) {
          const TokenInfo& info = infos[token_idx];
          if (info.is_all_lower) lower_seen_.insert(info.lower);
          if (info.is_capitalised && !info.is_all_caps && token_idx > 0) {
            capitalised_seen_.insert(info.word);
          }
        }
      }
    }
    out->resize(document.size());
    for (std::size_t sentence_idx = 0; sentence_idx < document.size(); ++sentence_idx) {
      Sentence(document[sentence_idx], infos_[sentence_idx], &(*out)[sentence_idx]);
    }
  }

 private:
  void Describe(std::string_view word, TokenInfo* info) {
    info->word = WordHash(word);
    lower_buf_.clear();
    AppendLower(word, &lower_buf_);
    const std::string_view lower = lower_buf_;
    info->lower = WordHash(lower);
    info->shape = ShapeHash(word, &info->has_letter, &info->is_capitalised, &info->is_all_caps,
                            &info->is_all_lower);
    if (model_.feature_groups & kFeatureAffixes) {
      // Affixes by code points, so that "é" is never cut in half.
      std::array<std::size_t, kMaxAffix + 1> starts{};
      std::size_t count = 0;
      for (std::size_t pos = 0; pos < lower.size() && count <= kMaxAffix;) {
        starts[count++] = pos;
        pos += SequenceLength(static_cast<unsigned char>(lower[pos]));
      }
      std::size_t code_points = 0;
      for (std::size_t pos = 0; pos < lower.size(); ++code_points) {
        pos += SequenceLength(static_cast<unsigned char>(lower[pos]));
      }
      info->affix_count = std::min(code_points, kMaxAffix);
      for (std::size_t len = 1; len <= info->affix_count; ++len) {
        const std::size_t prefix_end = len < count ? starts[len] : lower.size();
        info->prefixes[len - 1] = WordHash(lower.substr(0, prefix_end));
      }
      std::size_t pos = lower.size();
      for (std::size_t len = 1; len <= info->affix_count; ++len) {
        do {
          --pos;
        } while (pos > 0 && (static_cast<unsigned char>(lower[pos]) & 0xc0) == 0x80);
        info->suffixes[len - 1] = WordHash(lower.substr(pos));
      }
    }
    info->trigram_count = 0;
    if (model_.feature_groups & kFeatureExtended) {
      // Trigrams of code points of "<word>", the brackets marking its ends.
      trigram_buf_.clear();
      trigram_buf_.push_back('<');
      trigram_buf_.append(lower);
      trigram_buf_.push_back('>');
      std::array<std::size_t, kMaxTrigramWord + 3> starts{};
      std::size_t count = 0;
      for (std::size_t pos = 0; pos < trigram_buf_.size() && count < starts.size();) {
        starts[count++] = pos;
        pos += SequenceLength(static_cast<unsigned char>(trigram_buf_[pos]));
      }
      if (count < starts.size()) {
        const std::string_view buf = trigram_buf_;
        for (std::size_t first = 0; first + 3 <= count; ++first) {
          const std::size_t end = first + 3 < count ? starts[first + 3] : buf.size();
          info->trigrams[info->trigram_count++] =
              WordHash(buf.substr(starts[first], end - starts[first]));
        }
      }
    }
    info->cluster_row = -1;
    if ((model_.feature_groups & kFeatureClusters) && model_.clusters.levels > 0) {
      auto it = model_.clusters.index.find(info->word);
      if (it == model_.clusters.index.end()) it = model_.clusters.index.find(info->lower);
      if (it != model_.clusters.index.end()) info->cluster_row = it->second;
    }
    info->name_bits = 0;
    if (model_.feature_groups & kFeatureNameWords) {
      const auto it = model_.gazetteer.words.find(info->word);
      if (it != model_.gazetteer.words.end()) info->name_bits = it->second;
    }
  }

  void Add(std::uint64_t template_id, std::uint64_t value) {
    rows_->push_back(static_cast<std::uint32_t>(Combine(template_id, value) >> shift_));
  }

  std::uint64_t ClusterId(const TokenInfo* info, std::uint32_t level) const {
    if (info == nullptr) return 0xfffe;  // outside the sentence
    if (info->cluster_row < 0) return 0xffff;
    return model_.clusters.ids[info->cluster_row * model_.clusters.levels + level];
  }

  void Sentence(const NerSentence& sentence, const std::vector<TokenInfo>& infos,
                SentenceFeatures* out) {
    const std::uint32_t groups = model_.feature_groups;
    rows_ = &out->rows;
    out->rows.clear();
    out->starts.clear();
    const std::size_t n = sentence.size();
    static const TokenInfo kBoundary = [] {
      TokenInfo info;
      info.word = info.lower = info.shape = WordHash("<s>");
      return info;
    }();
    auto at = [&](std::ptrdiff_t idx) -> const TokenInfo& {
      return idx < 0 || idx >= static_cast<std::ptrdiff_t>(n) ? kBoundary : infos[idx];
    };
    // A headline in capitals (frequent in news wires) says little through capitalisation.
    std::size_t caps = 0;
    std::size_t letters = 0;
    for (const TokenInfo& info : infos) {
      letters += info.has_letter;
      caps += info.is_all_caps;
    }
    const bool is_caps_line = letters >= 2 && caps * 5 >= letters * 4;

    // Prose (ends like a sentence) or not, long or short: a title, a list item, a sentence of
    // Wikipedia or a stretch of newspaper OCR (kFeatureStyle).
    std::uint64_t style = 0;
    if (n > 0) {
      const std::string_view last = sentence[n - 1];
      style = (last == "." || last == "!" || last == "?") * 2 + (n > 10);
    }

    gazetteer_.assign(n, 0);
    if ((groups & kFeatureGazetteer) && model_.gazetteer.max_tokens > 0) MatchGazetteer(sentence);

    const std::uint32_t levels = model_.clusters.levels;
    for (std::size_t i = 0; i < n; ++i) {
      out->starts.push_back(static_cast<std::uint32_t>(out->rows.size()));
      const auto idx = static_cast<std::ptrdiff_t>(i);
      const TokenInfo& cur = infos[i];
      const TokenInfo& prev = at(idx - 1);
      const TokenInfo& next = at(idx + 1);
      Add(kBias, 0);
      Add(kWord, cur.word);
      Add(kLower, cur.lower);
      Add(kShape, cur.shape);
      if (groups & kFeatureContext) {
        const TokenInfo& prev2 = at(idx - 2);
        const TokenInfo& next2 = at(idx + 2);
        Add(kLowerPrev, prev.lower);
        Add(kLowerNext, next.lower);
        Add(kLowerPrev2, prev2.lower);
        Add(kLowerNext2, next2.lower);
        Add(kBigramPrev, Combine(prev.lower, cur.lower));
        Add(kBigramNext, Combine(cur.lower, next.lower));
        Add(kShapePrev, prev.shape);
        Add(kShapeNext, next.shape);
        Add(kShapePrev2, prev2.shape);
        Add(kShapeNext2, next2.shape);
        Add(kShapeBigramPrev, Combine(prev.shape, cur.shape));
        Add(kShapeBigramNext, Combine(cur.shape, next.shape));
      }
      if (groups & kFeatureAffixes) {
        for (std::size_t len = 0; len < cur.affix_count; ++len) {
          Add(kPrefix + len, cur.prefixes[len]);
          Add(kSuffix + len, cur.suffixes[len]);
        }
      }
      if (i == 0) {
        Add(kFirstShape, cur.shape);
        Add(kFirstLower, cur.lower);
      }
      if (groups & kFeatureContext) {
        if (i + 1 == n) Add(kLastShape, cur.shape);
        if (n <= kShortSentence) Add(kShortSentenceShape, Combine(n * 16 + i, cur.shape));
      }
      if (groups & kFeatureDocument) {
        if (cur.is_capitalised) {
          const bool is_lower_elsewhere = lower_seen_.count(cur.lower) > 0;
          Add(kLowerElsewhere, Combine(is_lower_elsewhere * 2 + (i == 0), cur.shape));
          if (i == 0) Add(kCapitalisedElsewhere, capitalised_seen_.count(cur.word) > 0);
        }
        if (is_caps_line) Add(kCapsLineShape, cur.shape);
      }
      if ((groups & kFeatureClusters) && levels > 0) {
        for (std::uint32_t level = 0; level < levels; ++level) {
          Add(kCluster + level, ClusterId(&cur, level));
          Add(kClusterPrev + level, ClusterId(i > 0 ? &prev : nullptr, level));
          Add(kClusterNext + level, ClusterId(i + 1 < n ? &next : nullptr, level));
        }
        const std::uint32_t mid = levels / 2;
        Add(kClusterPrev2, ClusterId(i > 1 ? &infos[i - 2] : nullptr, mid));
        Add(kClusterNext2, ClusterId(i + 2 < n ? &infos[i + 2] : nullptr, mid));
        Add(kClusterBigram, Combine(ClusterId(i > 0 ? &prev : nullptr, mid), ClusterId(&cur, mid)));
      }
      if (groups & kFeatureExtended) {
        for (std::size_t trigram_idx = 0; trigram_idx < cur.trigram_count; ++trigram_idx) {
          Add(kTrigram, cur.trigrams[trigram_idx]);
        }
        Add(kSentenceFirstShape, Combine(infos[0].lower, cur.shape));
        Add(kPrevLowerShape, Combine(prev.lower, cur.shape));
        Add(kNextLowerShape, Combine(next.lower, cur.shape));
      }
      if (groups & kFeatureStyle) {
        Add(kStyleShape, Combine(style, cur.shape));
        Add(kStyleLower, Combine(style, cur.lower));
        Add(kStylePrev, Combine(style, prev.lower));
        Add(kStyleNext, Combine(style, next.lower));
      }
      if (groups & kFeatureNameWords) {
        for (std::uint32_t bit = 0; bit < 16; ++bit) {
          if (cur.name_bits & (1u << bit)) Add(kNameWordBit, bit);
        }
        Add(kNameWordSet, Combine(cur.name_bits, cur.shape));
        Add(kNameWordSetPrev, Combine(prev.name_bits, cur.name_bits));
        Add(kNameWordSetNext, Combine(cur.name_bits, next.name_bits));
      }
      if (gazetteer_[i] != 0) {
        for (std::uint32_t bit = 0; bit < 32; ++bit) {
          if (gazetteer_[i] & (1u << bit)) Add(kGazetteer, bit);
        }
      }
    }
    out->starts.push_back(static_cast<std::uint32_t>(out->rows.size()));
  }

  // Marks every token inside a listed phrase: bit 3 * type + position (0 single token, 1 first,
  // 2 inside), so overlapping matches of several types all show.
  void MatchGazetteer(const NerSentence& sentence) {
    const Gazetteer& gazetteer = model_.gazetteer;
    const std::size_t n = sentence.size();
    for (std::size_t begin = 0; begin < n; ++begin) {
      std::uint64_t hash = kPhraseHashSeed;
      const std::size_t last = std::min<std::size_t>(n, begin + gazetteer.max_tokens);
      for (std::size_t end = begin + 1; end <= last; ++end) {
        hash = PhraseHashExtend(hash, sentence[end - 1]);
        const auto it = gazetteer.phrases.find(hash);
        if (it == gazetteer.phrases.end()) continue;
        for (std::uint32_t type = 0; type < gazetteer.types.size(); ++type) {
          if (!(it->second & (1u << type))) continue;
          if (end - begin == 1) {
            gazetteer_[begin] |= 1u << (3 * type);
            continue;
          }
          gazetteer_[begin] |= 1u << (3 * type + 1);
          for (std::size_t inside = begin + 1; inside < end; ++inside) {
            gazetteer_[inside] |= 1u << (3 * type + 2);
          }
        }
      }
    }
  }

  const Model& model_;
  const unsigned shift_;
  std::vector<std::vector<TokenInfo>> infos_;
  std::unordered_set<std::uint64_t> lower_seen_;
  std::unordered_set<std::uint64_t> capitalised_seen_;
  std::vector<std::uint32_t> gazetteer_;
  std::string lower_buf_;
  std::string trigram_buf_;
  std::vector<std::uint32_t>* rows_ = nullptr;
};

}  // namespace

PredictionHistory::PredictionHistory(const Model& model)
    : model_(model), shift_(64 - model.hash_bits) {
  // Types are numbered in order of first appearance in the tag set, whatever the scheme.
  std::vector<std::string_view> types;
  for (const std::string& tag : model.tags) {
    const std::string_view type = tag.size() > 2 ? std::string_view(tag).substr(2) : "";
    std::size_t type_idx = 0;
    if (!type.empty()) {
      type_idx = std::find(types.begin(), types.end(), type) - types.begin();
      if (type_idx == types.size()) types.push_back(type);
      ++type_idx;
    }
    type_of_tag_.push_back(static_cast<std::uint8_t>(std::min(type_idx, kMaxTypes - 1)));
  }
  is_enabled_ = (model.feature_groups & kFeatureHistory) != 0 && types.size() < kMaxTypes;
}

void PredictionHistory::Features(const NerSentence& sentence, SentenceFeatures* out) const {
  out->rows.clear();
  out->starts.clear();
  for (const std::string_view word : sentence) {
    out->starts.push_back(static_cast<std::uint32_t>(out->rows.size()));
    if (!is_enabled_ || counts_.empty() || word.empty() || !IsUpper(word, 0)) continue;
    const auto it = counts_.find(WordHash(word));
    if (it == counts_.end()) continue;
    const std::array<std::uint16_t, kMaxTypes>& counts = it->second;
    std::size_t majority = 0;
    std::uint32_t total = 0;
    for (std::size_t type = 0; type < kMaxTypes; ++type) {
      total += counts[type];
      if (counts[type] > counts[majority]) majority = type;
    }
    // The majority type, and how clear the majority is (in quarters).
    const std::uint64_t share = 4 * counts[majority] / (total + 1);
    out->rows.push_back(static_cast<std::uint32_t>(Combine(kHistory, majority) >> shift_));
    out->rows.push_back(
        static_cast<std::uint32_t>(Combine(kHistoryShare, majority * 4 + share) >> shift_));
  }
  out->starts.push_back(static_cast<std::uint32_t>(out->rows.size()));
}

void PredictionHistory::Record(const NerSentence& sentence, const std::vector<std::uint8_t>& tags) {
  if (!is_enabled_) return;
  for (std::size_t i = 0; i < sentence.size(); ++i) {
    const std::string_view word = sentence[i];
    if (word.empty() || !IsUpper(word, 0)) continue;
    std::uint16_t& count = counts_[WordHash(word)][type_of_tag_[tags[i]]];
    if (count < UINT16_MAX) ++count;
  }
}

void AppendLower(std::string_view word, std::string* out) {
  for (std::size_t pos = 0; pos < word.size(); ++pos) {
    auto c = static_cast<unsigned char>(word[pos]);
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<unsigned char>(c + ('a' - 'A'));
    } else if ((c == 0xc3 || c == 0xc5) && IsUpper(word, pos)) {
      // U+00C0..U+00DE (but not ×) and Œ: the lower-case letter is the next code point up.
      out->push_back(static_cast<char>(c));
      ++pos;
      out->push_back(
          static_cast<char>(static_cast<unsigned char>(word[pos]) + (c == 0xc3 ? 0x20 : 1)));
      continue;
    }
    out->push_back(static_cast<char>(c));
  }
}

namespace {

bool IsAllCaps(std::string_view word) {
  bool has_upper = false;
  for (std::size_t pos = 0; pos < word.size(); pos += SequenceLength(word[pos])) {
    if (IsLowerLetter(word, pos)) return false;
    has_upper = has_upper || IsUpper(word, pos);
  }
  return has_upper;
}

// `lower` with its first letter in capitals (ASCII and the Latin-1 letters; others as they are).
std::string Capitalised(std::string lower) {
  if (lower.empty()) return lower;
  const auto c = static_cast<unsigned char>(lower[0]);
  if (c >= 'a' && c <= 'z') {
    lower[0] = static_cast<char>(c - ('a' - 'A'));
  } else if (c == 0xc3 && lower.size() > 1) {
    const auto d = static_cast<unsigned char>(lower[1]);
    if (d >= 0xa0 && d <= 0xbe && d != 0xb7) lower[1] = static_cast<char>(d - 0x20);
  }
  return lower;
}

}  // namespace

std::optional<WordCase> WrittenCase(std::string_view word) {
  std::size_t letters = 0;
  std::size_t uppers = 0;
  bool is_first_upper = false;
  for (std::size_t pos = 0; pos < word.size(); pos += SequenceLength(word[pos])) {
    const bool is_upper = IsUpper(word, pos);
    if (!is_upper && !IsLowerLetter(word, pos)) continue;
    if (letters == 0) is_first_upper = is_upper;
    ++letters;
    uppers += is_upper;
  }
  if (letters == 0) return std::nullopt;
  if (uppers == 0) return WordCase::kLower;
  if (!is_first_upper) return std::nullopt;
  return uppers == letters && letters > 1 ? WordCase::kUpper : WordCase::kCapitalised;
}

bool IsCapsSentence(const NerSentence& sentence) {
  std::size_t letters = 0;
  std::size_t caps = 0;
  for (const std::string_view word : sentence) {
    bool has_letter = false;
    for (std::size_t pos = 0; pos < word.size() && !has_letter; pos += SequenceLength(word[pos])) {
      has_letter = IsUpper(word, pos) || IsLowerLetter(word, pos);
    }
    letters += has_letter;
    caps += has_letter && IsAllCaps(word);
  }
  return letters >= 2 && caps * 5 >= letters * 4;
}

bool ReadableSentences(const Model& model, const std::vector<NerSentence>& sentences,
                       std::deque<std::string>* storage, std::vector<NerSentence>* out) {
  if (model.casing.empty() || std::none_of(sentences.begin(), sentences.end(), IsCapsSentence)) {
    return false;
  }
  *out = sentences;
  std::string lower;
  for (NerSentence& sentence : *out) {
    if (!IsCapsSentence(sentence)) continue;
    for (std::size_t i = 0; i < sentence.size(); ++i) {
      if (!IsAllCaps(sentence[i])) continue;
      lower.clear();
      AppendLower(sentence[i], &lower);
      const auto it = model.casing.find(WordHash(lower));
      const WordCase form = it == model.casing.end() ? WordCase::kCapitalised : it->second;
      if (form == WordCase::kUpper) continue;
      const bool is_lower = form == WordCase::kLower || form == WordCase::kOnlyLower;
      // A sentence begins with a capital whatever its first word.
      storage->push_back(is_lower && i > 0 ? lower : Capitalised(lower));
      sentence[i] = storage->back();
    }
  }
  return true;
}

void ExtractFeatures(const Model& model, const std::vector<NerSentence>& document,
                     std::vector<SentenceFeatures>* out) {
  Extractor extractor(model);
  extractor.Run(document, out);
}

}  // namespace trove::analyze::ner
