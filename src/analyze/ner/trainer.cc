#include "analyze/ner/trainer.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <random>
#include <set>

#include "analyze/ner/decoder.h"
#include "analyze/ner/features.h"
#include "core/check.h"

namespace trove::analyze::ner {
namespace {

struct Instance {
  NerSentence tokens;  // views into the training corpus
  SentenceFeatures features;
  std::vector<std::uint8_t> gold;
};

std::uint8_t TagIndex(const std::vector<std::string>& tags, const std::string& tag) {
  return static_cast<std::uint8_t>(std::find(tags.begin(), tags.end(), tag) - tags.begin());
}

// Rewrites well-formed IOB2 tag ids as BILOU: the last token of a name of several tokens
// becomes L-X, a name of one token U-X.
void ToBilou(const std::vector<std::string>& tags, std::vector<std::uint8_t>* ids) {
  for (std::size_t i = 0; i < ids->size(); ++i) {
    const std::string& tag = tags[(*ids)[i]];
    if (tag == "O") continue;
    const bool is_continued = i + 1 < ids->size() && tags[(*ids)[i + 1]] == "I-" + tag.substr(2);
    if (is_continued) continue;
    (*ids)[i] = TagIndex(tags, (tag[0] == 'B' ? "U-" : "L-") + tag.substr(2));
  }
}

// Sentences with their features, grouped by document (the prediction history runs through a
// document in order).
// `storage` holds the words of sentences in capitals as the tagger reads them
// (ReadableSentences), which the instances' tokens point into.
std::vector<std::vector<Instance>> Prepare(const Model& model,
                                           const std::vector<ConllDocument>& corpus,
                                           const std::vector<Gazetteer>& fold_gazetteers,
                                           std::deque<std::string>* storage) {
  // Copies of the model (without weights, which features do not read) for each fold.
  std::vector<Model> fold_models(fold_gazetteers.size());
  for (std::size_t fold = 0; fold < fold_gazetteers.size(); ++fold) {
    fold_models[fold].feature_groups = model.feature_groups;
    fold_models[fold].hash_bits = model.hash_bits;
    fold_models[fold].tags = model.tags;
    fold_models[fold].clusters = model.clusters;
    fold_models[fold].gazetteer = fold_gazetteers[fold];
  }
  const bool is_bilou = IsBilou(model.tags);
  std::vector<std::vector<Instance>> documents;
  std::vector<NerSentence> sentences;
  std::vector<NerSentence> readable;
  std::vector<SentenceFeatures> features;
  for (const ConllDocument& document : corpus) {
    sentences.clear();
    for (const ConllSentence& sentence : document) {
      sentences.emplace_back(sentence.tokens.begin(), sentence.tokens.end());
    }
    if (ReadableSentences(model, sentences, storage, &readable)) sentences.swap(readable);
    ExtractFeatures(
        fold_models.empty() ? model : fold_models[documents.size() % fold_models.size()], sentences,
        &features);
    std::vector<Instance>& instances = documents.emplace_back();
    for (std::size_t sentence_idx = 0; sentence_idx < document.size(); ++sentence_idx) {
      Instance& instance = instances.emplace_back();
      instance.tokens = sentences[sentence_idx];
      instance.features = std::move(features[sentence_idx]);
      features[sentence_idx] = SentenceFeatures();
      for (const std::string& tag : document[sentence_idx].tags) {
        const auto it = std::find(model.tags.begin(), model.tags.end(), tag);
        instance.gold.push_back(
            it == model.tags.end() ? 0 : static_cast<std::uint8_t>(it - model.tags.begin()));
      }
      // A type the tag set lacks became O above, which may leave a stray I- of another type.
      for (std::size_t i = 0; i < instance.gold.size(); ++i) {
        const std::string& tag = model.tags[instance.gold[i]];
        if (tag[0] != 'I') continue;
        const bool continues = i > 0 && model.tags[instance.gold[i - 1]].substr(1) == tag.substr(1);
        if (!continues) {
          std::string begin = tag;
          begin[0] = 'B';
          instance.gold[i] = static_cast<std::uint8_t>(
              std::find(model.tags.begin(), model.tags.end(), begin) - model.tags.begin());
        }
      }
      if (is_bilou) ToBilou(model.tags, &instance.gold);
    }
  }
  return documents;
}

// The averaged perceptron's parameters: current weights w and the running sum u of
// (update step x update), so that the average is w - u / steps (Daumé 2006, section 2.1.1).
class Parameters {
 public:
  explicit Parameters(std::size_t size) : current_(size, 0.0f), sums_(size, 0.0) {}

  void Update(std::size_t index, float delta, double step) {
    current_[index] += delta;
    sums_[index] += step * delta;
  }
  const float* current() const { return current_.data(); }
  void Average(double steps, std::vector<float>* out) const {
    out->resize(current_.size());
    for (std::size_t i = 0; i < current_.size(); ++i) {
      (*out)[i] = static_cast<float>(current_[i] - sums_[i] / steps);
    }
  }

 private:
  std::vector<float> current_;
  std::vector<double> sums_;
};

// Copies `features` without a random share `rate` of each token's rows.
void DropFeatures(const SentenceFeatures& features, double rate, std::mt19937_64& random,
                  SentenceFeatures* out) {
  // Integer threshold: the same draws on every standard library.
  const auto threshold = static_cast<std::uint64_t>(rate * 18446744073709551615.0);
  out->rows.clear();
  out->starts.clear();
  for (std::size_t i = 0; i + 1 < features.starts.size(); ++i) {
    out->starts.push_back(static_cast<std::uint32_t>(out->rows.size()));
    for (std::uint32_t f = features.starts[i]; f < features.starts[i + 1]; ++f) {
      if (random() >= threshold) out->rows.push_back(features.rows[f]);
    }
  }
  out->starts.push_back(static_cast<std::uint32_t>(out->rows.size()));
}

}  // namespace

std::vector<std::string> TagSetOf(const std::vector<const std::vector<ConllDocument>*>& corpora,
                                  TagScheme scheme) {
  std::set<std::string> types;
  for (const std::vector<ConllDocument>* corpus : corpora) {
    for (const ConllDocument& document : *corpus) {
      for (const ConllSentence& sentence : document) {
        for (const std::string& tag : sentence.tags) {
          if (tag.size() > 2) types.insert(tag.substr(2));
        }
      }
    }
  }
  std::vector<std::string> tags = {"O"};
  for (const std::string& type : types) {
    tags.push_back("B-" + type);
    tags.push_back("I-" + type);
    if (scheme == TagScheme::kBilou) {
      tags.push_back("L-" + type);
      tags.push_back("U-" + type);
    }
  }
  return tags;
}

TrainSummary Train(const std::vector<ConllDocument>& train, const std::vector<ConllDocument>& dev,
                   const TrainOptions& options, Model* model) {
  TROVE_CHECK(options.document_weights.empty() || options.document_weights.size() == train.size());
  const std::size_t tags = model->TagCount();
  std::deque<std::string> rewritten;
  const std::vector<std::vector<Instance>> documents =
      Prepare(*model, train, options.fold_gazetteers, &rewritten);
  Parameters weights((std::size_t{1} << model->hash_bits) * tags);
  Parameters transitions((tags + 1) * tags);
  Decoder decoder(model->tags);
  PredictionHistory history(*model);
  SentenceFeatures history_features;
  std::vector<std::uint8_t> predicted;
  SentenceFeatures dropped;
  std::vector<std::size_t> order(documents.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 random(options.seed);

  // The model is evaluated on dev in place; a non-owning pointer lets a Tagger read it.
  const Tagger tagger(std::shared_ptr<const Model>(model, [](const Model*) {}));
  TrainSummary summary;
  std::vector<float> best_weights;
  std::vector<float> best_transitions;
  double best_f1 = -1;
  double step = 1;
  for (std::uint32_t epoch = 1; epoch <= options.max_epochs; ++epoch) {
    // Fisher-Yates by hand: std::shuffle's algorithm differs between standard libraries.
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random() % i]);
    for (const std::size_t document_idx : order) {
      const float weight =
          options.document_weights.empty() ? 1.0f : options.document_weights[document_idx];
      history.Clear();
      for (const Instance& instance : documents[document_idx]) {
        const SentenceFeatures* features = &instance.features;
        if (options.feature_dropout > 0) {
          DropFeatures(instance.features, options.feature_dropout, random, &dropped);
          features = &dropped;
        }
        history.Features(instance.tokens, &history_features);
        decoder.Decode(weights.current(), transitions.current(), *features, &history_features,
                       &predicted, options.margin > 0 ? &instance.gold : nullptr, options.margin);
        // The history holds the model's own decisions, as it will when tagging, not gold tags.
        history.Record(instance.tokens, predicted);
        const std::vector<std::uint8_t>& gold = instance.gold;
        for (std::size_t i = 0; i < gold.size(); ++i) {
          const bool same_prev = i == 0 || gold[i - 1] == predicted[i - 1];
          if (gold[i] == predicted[i] && same_prev) continue;
          const std::size_t gold_prev = i == 0 ? 0 : gold[i - 1] + 1;
          const std::size_t predicted_prev = i == 0 ? 0 : predicted[i - 1] + 1;
          transitions.Update(gold_prev * tags + gold[i], weight, step);
          transitions.Update(predicted_prev * tags + predicted[i], -weight, step);
          if (gold[i] == predicted[i]) continue;
          const SentenceFeatures* sources[] = {features, &history_features};
          for (const SentenceFeatures* source : sources) {
            for (std::uint32_t f = source->starts[i]; f < source->starts[i + 1]; ++f) {
              const std::size_t row = static_cast<std::size_t>(source->rows[f]) * tags;
              weights.Update(row + gold[i], weight, step);
              weights.Update(row + predicted[i], -weight, step);
            }
          }
        }
        ++step;
      }
    }
    weights.Average(step, &model->weights);
    transitions.Average(step, &model->transitions);
    summary.epochs_run = epoch;
    if (dev.empty()) {
      summary.best_epoch = epoch;
      continue;
    }
    NerScores scores = EvaluateTagger(tagger, dev);
    if (options.on_epoch) options.on_epoch(epoch, scores);
    if (scores.overall.F1() > best_f1) {
      best_f1 = scores.overall.F1();
      summary.best_epoch = epoch;
      summary.dev = std::move(scores);
      best_weights = model->weights;
      best_transitions = model->transitions;
    } else if (epoch - summary.best_epoch >= options.patience) {
      break;
    }
  }
  if (!dev.empty()) {
    model->weights = std::move(best_weights);
    model->transitions = std::move(best_transitions);
  }
  return summary;
}

}  // namespace trove::analyze::ner
