// Training of the NER model: an averaged structured perceptron (Collins 2002) with first-order
// tag transitions and Viterbi decoding.
//
// Hand-written because Debian packages no CRF or structured-perceptron library (CRFsuite,
// Wapiti and CRF++ are not in Debian 12), and the whole algorithm is a page of code: decode a
// sentence with the current weights, and where the best sequence differs from the gold one,
// add the gold features' weights and subtract the predicted ones'. Averaging the weights over
// all updates (lazily, Daumé's trick) gives most of a CRF's accuracy at a fraction of the cost.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analyze/ner.h"
#include "analyze/ner/model.h"

namespace trove::analyze::ner {

struct TrainOptions {
  std::uint32_t max_epochs = 40;
  // Stop when the development F1 has not improved for this many epochs.
  std::uint32_t patience = 4;
  // Seeds the order in which sentences are visited (shuffled anew, deterministically, each
  // epoch). The same data, options and seed give the same model, byte for byte.
  std::uint64_t seed = 2003;
  // Jackknifed gazetteers: when not empty, training document d gets its gazetteer features
  // from fold_gazetteers[d % size] instead of the model's gazetteer. A gazetteer built from the
  // training data itself lists every training entity, so the model would learn to trust it
  // blindly; fold k's gazetteer leaves out the entities of the documents of fold k.
  std::vector<Gazetteer> fold_gazetteers;
  // When not empty, the updates of training document d are scaled by document_weights[d]: a
  // corpus of another domain can teach less than the one the model is tuned for.
  std::vector<float> document_weights;
  // Share of each token's features left out, drawn anew at every visit of a sentence: the
  // model cannot lean on a word it has memorised and learns the context and shape too.
  double feature_dropout = 0;
  // Cost-augmented decoding (a structured hinge loss, as in a structured SVM): while training,
  // every wrong tag of a token scores `margin` more, so the model keeps updating until the gold
  // sequence wins by a margin that grows with the number of wrong tags. 0 is the plain
  // perceptron. On WikiANN-fr dev, 100 gained 0.7 F1 over 0 (perceptron updates are +-1 per
  // feature and a token has about 80 features, so the margin must be of that order).
  float margin = 0;
  // Called after every epoch with the development scores of the averaged weights.
  std::function<void(std::uint32_t epoch, const NerScores& dev)> on_epoch;
};

struct TrainSummary {
  std::uint32_t best_epoch = 0;  // 1-based; the model keeps this epoch's averaged weights
  std::uint32_t epochs_run = 0;
  NerScores dev;  // of the kept weights (empty without development data)
};

enum class TagScheme {
  kIob2,   // B-X begins a name, I-X continues it
  kBilou,  // also L-X ends a name of several tokens, U-X is a name of one token
};

// "O", then "B-X" and "I-X" (and "L-X", "U-X" for BILOU) for each entity type X of the corpora,
// types in sorted order.
std::vector<std::string> TagSetOf(const std::vector<const std::vector<ConllDocument>*>& corpora,
                                  TagScheme scheme = TagScheme::kIob2);

// Learns `model`'s weights and transitions from `train`; `model` must have its tags, feature
// groups, hash bits, clusters and gazetteer set. `dev` only picks the epoch (when empty, all
// max_epochs are run and the last is kept). Tags of `train` missing from the tag set count as O.
// The corpora are read as IOB2 whatever the model's tag scheme.
TrainSummary Train(const std::vector<ConllDocument>& train, const std::vector<ConllDocument>& dev,
                   const TrainOptions& options, Model* model);

}  // namespace trove::analyze::ner
