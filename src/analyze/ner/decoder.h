// First-order Viterbi decoding over hashed feature weights, with the constraints of the tag
// scheme built in (IOB2: I-X only after B-X or I-X; BILOU, when the tag set has L- tags: a name
// is U-X alone or B-X I-X... L-X), so that every output is a well-formed tag sequence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyze/ner.h"
#include "analyze/ner/features.h"

namespace trove::analyze::ner {

class Decoder {
 public:
  explicit Decoder(const std::vector<std::string>& tags);

  // The best tag of every token of `features` (and of `extra`, more features of the same
  // tokens, when not null) under `weights` (2^bits rows of TagCount() floats) and `transitions`
  // (as in Model). When training with a margin, `gold` (one tag per token) and `cost` add
  // `cost` to the score of every tag but the gold one. Not thread-safe: it reuses its buffers.
  void Decode(const float* weights, const float* transitions, const SentenceFeatures& features,
              const SentenceFeatures* extra, std::vector<std::uint8_t>* best,
              const std::vector<std::uint8_t>* gold = nullptr, float cost = 0);

  std::size_t TagCount() const { return tag_count_; }
  // Whether tag `next` may follow `prev` (prev == -1: the sentence start).
  bool IsAllowed(int prev, int next) const { return allowed_[(prev + 1) * tag_count_ + next]; }
  // Whether a sentence may end with tag `last`.
  bool IsAllowedLast(int last) const { return allowed_last_[last]; }

 private:
  std::size_t tag_count_;
  std::vector<bool> allowed_;
  std::vector<bool> allowed_last_;
  std::vector<float> emissions_;
  std::vector<float> scores_;
  std::vector<std::uint8_t> back_;
};

// The entities of a tag sequence (tag indices into `tags`, IOB2 or BILOU).
std::vector<NerSpan> SpansFromTagIds(const std::vector<std::string>& tags,
                                     const std::vector<std::uint8_t>& ids);

// A name holds as many closing brackets as opening ones, each after its own: "Tour Perret ( tour
// d'orientation" takes the ")" that follows it; otherwise a name ends before a bracket that
// closes nothing ("Mato Grosso do Sul )", "FN ) and Union") or before the first that stays
// open ("Saussey ( Manche"). The tagger decides token by token and leaves a bracket out or in
// now and then (WikiANN-fr dev +0.19 F1).
void BalanceBrackets(const NerSentence& tokens, std::vector<NerSpan>* spans);

}  // namespace trove::analyze::ner
