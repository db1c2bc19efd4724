// The NER model: tag set, hashed feature weights, tag transitions, and the resources features
// look things up in (word clusters, gazetteer). Serialised as docs/formats/ner-model.md says.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace trove::analyze::ner {

inline constexpr std::string_view kModelMagic = "TROVENER";
// Version 2 added BILOU tag sets and the style feature group, version 3 the name-word group,
// version 4 the casing lexicon; a model is written with the oldest version that holds it, which
// older readers tag correctly. Readers take versions 1 to 4.
inline constexpr std::uint32_t kModelVersion = 4;
inline constexpr std::uint32_t kOldestModelVersion = 1;

// Which feature groups a model uses (stored in the model, so that tagging computes exactly the
// features it was trained with; the trainer turns groups off for ablations).
enum FeatureGroup : std::uint32_t {
  kFeatureAffixes = 1u << 0,    // prefixes and suffixes of the word
  kFeatureContext = 1u << 1,    // words and shapes at -2..+2, word bigrams
  kFeatureDocument = 1u << 2,   // seen in lower case elsewhere in the document; all-caps lines
  kFeatureClusters = 1u << 3,   // word clusters learnt from unlabelled text
  kFeatureGazetteer = 1u << 4,  // phrase lists of people, organisations and places
  kFeatureHistory = 1u << 5,    // how earlier sentences of the document tagged the same word
  // Letter trigrams of the word; the sentence's first word, and the words beside, with the
  // word's shape.
  kFeatureExtended = 1u << 6,
  // The sentence's style (ends with . ! or ?; longer than 10 tokens) with the word, its shape
  // and the words beside: Wikipedia titles and list items ("Parti libéral du Québec") and
  // newspaper prose (Europeana) name things differently, and nothing else tells them apart.
  kFeatureStyle = 1u << 7,  // format version 2
  // Which kinds of listed names the word occurs in, and where in them ("Université" begins
  // organisations, "Pierre" begins people): a name that is in no list is often made of words
  // that are (Gazetteer::words).
  kFeatureNameWords = 1u << 8,  // format version 3
  kFeatureAll = (1u << 9) - 1,
};

// Lists of known names: each phrase (a token sequence) maps to the set of entity types it was
// listed under (bit i = gazetteer_types[i]).
struct Gazetteer {
  std::vector<std::string> types;
  std::unordered_map<std::uint64_t, std::uint8_t> phrases;  // PhraseHash -> type bits
  std::uint32_t max_tokens = 0;
  // The words of the listed names: WordHash -> bit 4 * type + place (NamePlace) for each type
  // and place that holds at least an eighth of the word's occurrences in the lists.
  std::unordered_map<std::uint64_t, std::uint32_t> words;
};

// Where a word stands in a name.
enum NamePlace : std::uint32_t { kPlaceUnit = 0, kPlaceFirst, kPlaceInside, kPlaceLast };
// The place of token `i` of a name of `length` tokens.
inline NamePlace NamePlaceOf(std::size_t i, std::size_t length) {
  if (length == 1) return kPlaceUnit;
  if (i == 0) return kPlaceFirst;
  return i + 1 == length ? kPlaceLast : kPlaceInside;
}

// Word clusters at several granularities: cluster_ids[index * levels + level] for the word whose
// WordHash maps to index.
struct Clusters {
  std::uint32_t levels = 0;
  std::unordered_map<std::uint64_t, std::uint32_t> index;
  std::vector<std::uint16_t> ids;
};

// How words are usually written, for reading text in capitals ("TONY BLAIR MET NICOLAS
// SARKOZY"): WordHash of the lower-case word -> its usual form. The tagger reads a word the
// lexicon does not know as a name (capitalised): every common word of the training text is in
// it. Entity names keep such a word as written (an acronym is as likely as a name).
// kOnlyLower: a lower-case word seen often, and capitalised inside a sentence in fewer than one
// occurrence in twenty ("your", "click"): a capital at the start of a line says nothing more.
enum class WordCase : std::uint8_t { kLower = 0, kCapitalised = 1, kUpper = 2, kOnlyLower = 3 };
using CasingLexicon = std::unordered_map<std::uint64_t, WordCase>;

struct Model {
  std::string lang;               // "en", "fr"
  std::string description;        // how it was trained (data, epochs); shown by tools
  std::vector<std::string> tags;  // tags[0] is "O", then "B-X", "I-X" for each type X
  std::uint32_t feature_groups = kFeatureAll;
  std::uint32_t hash_bits = 19;  // the weight table has 2^hash_bits rows of tags.size() floats
  std::vector<float> weights;
  // (tags.size() + 1) rows of tags.size(): row 0 scores the first tag, row 1 + t the tag after t.
  std::vector<float> transitions;
  Clusters clusters;
  Gazetteer gazetteer;
  CasingLexicon casing;  // empty: text in capitals is tagged as written (format version 4)

  std::size_t TagCount() const { return tags.size(); }
};

// Whether `tags` is a BILOU tag set (has L- or U- tags) rather than IOB2.
bool IsBilou(const std::vector<std::string>& tags);

// 64-bit FNV-1a: the hash of words and phrases in the model file, so it must never change.
std::uint64_t WordHash(std::string_view word);
// The hash of a token sequence, as the gazetteer stores it.
std::uint64_t PhraseHash(const std::vector<std::string_view>& tokens);
std::uint64_t PhraseHashExtend(std::uint64_t hash, std::string_view token);
inline constexpr std::uint64_t kPhraseHashSeed = 0x6a09e667f3bcc908ULL;

// The model file's bytes. The same model always gives the same bytes.
std::string SerializeModel(const Model& model);
// Parses a model file. `name` (the path) and the byte offset of the problem appear in errors:
// Corrupt for a bad magic, truncation or checksum mismatch, Unsupported for another version.
Result<Model> ParseModel(std::string_view bytes, const std::string& name);

}  // namespace trove::analyze::ner
