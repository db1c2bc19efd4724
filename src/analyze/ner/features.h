// The features of the NER tagger: every token becomes a list of rows of the model's hashed
// weight table (feature hashing: a feature's name is hashed straight to a row, so the model
// needs no feature dictionary and tagging allocates nothing per feature).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyze/ner.h"
#include "analyze/ner/model.h"

namespace trove::analyze::ner {

// Feature rows of one sentence: token i's are rows[starts[i]] .. rows[starts[i + 1] - 1].
struct SentenceFeatures {
  std::vector<std::uint32_t> rows;
  std::vector<std::uint32_t> starts;
  std::size_t TokenCount() const { return starts.empty() ? 0 : starts.size() - 1; }
};

// Computes the features of every sentence of one document, with the model's feature groups,
// clusters and gazetteer (its weights are not read). `out` is resized to the sentence count and
// its buffers reused.
void ExtractFeatures(const Model& model, const std::vector<NerSentence>& document,
                     std::vector<SentenceFeatures>* out);

// Extended prediction history (Ratinov & Roth 2009, section 5): how the sentences decoded so
// far in a document tagged each capitalised word. A name is usually written in full and
// unambiguously first ("Bill Clinton"), then shortened ("Clinton"); this carries the first
// decision to the later ones. Sentences must be decoded in document order.
class PredictionHistory {
 public:
  explicit PredictionHistory(const Model& model);
  void Clear() { counts_.clear(); }
  // The history features of every token of `sentence`, one feature list per token.
  void Features(const NerSentence& sentence, SentenceFeatures* out) const;
  // Records the tags (indices into model.tags) chosen for `sentence`.
  void Record(const NerSentence& sentence, const std::vector<std::uint8_t>& tags);

 private:
  static constexpr std::size_t kMaxTypes = 16;
  const Model& model_;
  unsigned shift_;
  bool is_enabled_;
  std::vector<std::uint8_t> type_of_tag_;  // 0 for O, 1 + the type's index for the others
  std::unordered_map<std::uint64_t, std::array<std::uint16_t, kMaxTypes>> counts_;
};

// How `word` is written: in lower case, capitalised ("Paris", "McDonald", "I") or in capitals
// ("NATO"); nullopt without letters or when it starts in lower case but is not ("iPhone").
std::optional<WordCase> WrittenCase(std::string_view word);

// Whether a sentence is written in capitals (four words with letters in five or more, all in
// capitals): a headline, a telegram, a diplomatic cable.
bool IsCapsSentence(const NerSentence& sentence);

// The sentences as the tagger reads them: a sentence in capitals is rewritten as its words are
// usually written (the model's casing lexicon; a word it does not know is capitalised, as a
// name), so that "TONY BLAIR MET NICOLAS SARKOZY IN PARIS" reads "Tony Blair met Nicolas
// Sarkozy in Paris". Returns false, and leaves `out` alone, when no sentence is in capitals or
// the model has no lexicon; else `out` holds every sentence, rewritten words in `storage`.
// Token counts never change.
bool ReadableSentences(const Model& model, const std::vector<NerSentence>& sentences,
                       std::deque<std::string>* storage, std::vector<NerSentence>* out);

// Lower-cases ASCII and the Latin-1 capitals (enough for English and French; other scripts are
// left as they are). Appends to `out`.
void AppendLower(std::string_view word, std::string* out);

}  // namespace trove::analyze::ner
