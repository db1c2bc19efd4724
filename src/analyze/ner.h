// Named-entity recognition of people, organisations and places: a statistical sequence tagger
// (averaged structured perceptron over hashed features, first-order Viterbi decoding) trained
// by tools/trove-train on the corpora in ../shared/data, one model file per language
// (models/ner-en.bin, models/ner-fr.bin; format: docs/formats/ner-model.md).
//
// Also here: reading CoNLL-format files and scoring a tagger against them with exact-span
// matching, as conlleval does; `trove ner --eval` and `make models` print these figures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace trove::analyze {

namespace ner {
struct Model;  // src/analyze/ner/model.h
}  // namespace ner

// An entity found in one sentence: tokens [begin, end) of that sentence, and its type as the
// model names it ("PER", "ORG", "LOC", "MISC").
struct NerSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string type;

  bool operator==(const NerSpan&) const = default;
};

// A mention found in raw text: bytes [begin, end) of that text.
struct NerMention {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string type;
  std::string text;  // the bytes [begin, end), for convenience
};

// One sentence as the tagger reads it: its tokens, in order. Views must outlive the call.
using NerSentence = std::vector<std::string_view>;

// A trained model, loaded from a file. Immutable once loaded: Tag() is const and thread-safe,
// and copies share the model.
class Tagger {
 public:
  // Reads a model file. Fails with NotFound or IOError when the file cannot be read, Corrupt
  // when it is truncated or damaged, and Unsupported when it has another format version; the
  // message names the path and the byte offset of the problem.
  static Result<Tagger> Load(const std::string& path);
  // The same from bytes already in memory; `name` stands for the path in error messages.
  static Result<Tagger> FromBytes(std::string_view bytes, const std::string& name);
  // Wraps a model just trained (tools/trove-train, tests).
  explicit Tagger(std::shared_ptr<const ner::Model> model);

  // The entities of one sentence, in order, not overlapping.
  std::vector<NerSpan> Tag(const NerSentence& tokens) const;
  // The entities of each sentence of one document. Better than sentence by sentence: some
  // features look at the whole document (is this capitalised word seen in lower case elsewhere).
  std::vector<std::vector<NerSpan>> TagDocument(const std::vector<NerSentence>& sentences) const;
  // Cuts UTF-8 text into sentences and tokens (TokenizeForNer) and tags it.
  std::vector<NerMention> TagText(std::string_view text) const;

  // The model's language ("en", "fr") and entity types ("LOC", "MISC", "ORG", "PER").
  const std::string& lang() const;
  std::vector<std::string> types() const;
  const ner::Model& model() const { return *model_; }

 private:
  std::shared_ptr<const ner::Model> model_;
};

// A token of raw text: a slice of it and its byte offset.
struct NerToken {
  std::string_view text;
  std::size_t offset = 0;
};

// Cuts UTF-8 text into sentences of tokens the way the training corpora are cut: words,
// numbers and each punctuation mark apart ("Paris," -> "Paris" ","), abbreviations with inner
// dots kept whole ("U.S."), French elisions split after the apostrophe ("l'" "élection").
// Sentences end after . ! ? followed by a space, and at blank lines.
std::vector<std::vector<NerToken>> TokenizeForNer(std::string_view text);

// Where the model for `lang` lives when none is named: $TROVE_MODELS/ner-<lang>.bin when the
// environment variable is set, else <source tree>/models/ner-<lang>.bin (compiled in).
std::string DefaultNerModelPath(std::string_view lang);

// --- CoNLL files and scoring -------------------------------------------------------------------

// One sentence of a CoNLL file: tokens and their gold tags in IOB2.
struct ConllSentence {
  std::vector<std::string> tokens;
  std::vector<std::string> tags;
};
// Sentences grouped by -DOCSTART- lines. In a file without them every sentence is a document
// of its own (WikiANN's sentences come from unrelated articles).
using ConllDocument = std::vector<ConllSentence>;

// Reads a CoNLL-format file: one token per line, the token in the first column and the gold tag
// in the last one (space- or tab-separated), blank lines between sentences, -DOCSTART- lines
// between documents. A "xx:" language prefix on tokens (WikiANN) is removed. IOB1 tags are
// converted to IOB2. Fails with IOError or Corrupt (naming the path and line).
Result<std::vector<ConllDocument>> ReadConll(const std::string& path);
// The same from text; `name` stands for the path in error messages.
Result<std::vector<ConllDocument>> ParseConll(std::string_view text, const std::string& name);
// Converts IOB1 tags (an entity starts with I- unless it follows one of the same type) to IOB2
// (every entity starts with B-), in place. IOB2 input is left unchanged.
void ConvertIob1ToIob2(std::vector<std::string>& tags);
// The entities of an IOB2 tag sequence, as conlleval reads them (a stray I- starts an entity).
std::vector<NerSpan> SpansFromTags(const std::vector<std::string>& tags);

struct NerCounts {
  std::uint64_t gold = 0;       // entities in the gold standard
  std::uint64_t predicted = 0;  // entities the tagger found
  std::uint64_t correct = 0;    // found with exactly the gold span and type
  double Precision() const;     // in percent; 0 when nothing was predicted
  double Recall() const;
  double F1() const;
};

struct NerScores {
  std::map<std::string, NerCounts> by_type;
  NerCounts overall;
  std::uint64_t tokens = 0;
  std::uint64_t sentences = 0;
  double tag_seconds = 0;      // wall-clock time spent tagging alone (features and decoding)
  double tag_cpu_seconds = 0;  // CPU time of the tagging thread for the same work
  double TokensPerSecond() const;
  // Per core: unaffected by other processes competing for the CPU.
  double TokensPerCpuSecond() const;

  // Adds one sentence's gold and predicted spans.
  void Add(const std::vector<NerSpan>& gold, const std::vector<NerSpan>& predicted);
};

// Tags every document of `corpus` and scores the result against its gold tags.
NerScores EvaluateTagger(const Tagger& tagger, const std::vector<ConllDocument>& corpus);

}  // namespace trove::analyze
