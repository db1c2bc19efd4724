// trove-train: builds the NER models of models/ from the corpora in ../shared/data.
//
//   trove-train clusters --lang en --data DIR --out clusters-en.tsv
//   trove-train model --lang en --data DIR --clusters clusters-en.tsv --out models/ner-en.bin
//
// `make models` runs both for English and French. The recipe (which corpora, which split) is
// fixed here per language and written into the model's description; README.md beside this
// file explains it. Everything is deterministic: the same data gives the same bytes.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyze/ner.h"
#include "analyze/ner/features.h"
#include "analyze/ner/model.h"
#include "analyze/ner/trainer.h"
#include "clusters.h"
#include "core/file.h"

namespace trove::train {
namespace {

using analyze::ConllDocument;
using analyze::ConllSentence;
using analyze::NerScores;

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

int Fail(const Status& status) {
  std::fprintf(stderr, "trove-train: %s\n", status.message().c_str());
  return kExitError;
}

// "0.5", "100": the shortest form, for the model's description.
std::string Number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// --- corpora -------------------------------------------------------------------------------------

// Europeana's French newspaper file has neither sentence nor document boundaries. We cut a
// sentence after . ! ? and at 60 tokens at the latest, call each run of 50 sentences a document,
// and put every tenth document (documents 9, 19, 29, ... counting from 0) in the development
// split, the rest in training: a fixed split spread over the whole file, whose pages come from
// different newspaper issues in order.
constexpr std::size_t kEuropeanaMaxSentence = 60;
constexpr std::size_t kEuropeanaDocumentSentences = 50;
constexpr std::size_t kEuropeanaDevEvery = 10;

Status ReadEuropeana(const std::string& path, std::vector<ConllDocument>* train,
                     std::vector<ConllDocument>* dev) {
  TROVE_ASSIGN_OR_RETURN(const std::vector<ConllDocument> all, analyze::ReadConll(path));
  std::vector<ConllSentence> sentences(1);
  for (const ConllDocument& document : all) {
    for (const ConllSentence& run : document) {
      for (std::size_t i = 0; i < run.tokens.size(); ++i) {
        sentences.back().tokens.push_back(run.tokens[i]);
        sentences.back().tags.push_back(run.tags[i]);
        const std::string& token = run.tokens[i];
        if (token == "." || token == "!" || token == "?" ||
            sentences.back().tokens.size() >= kEuropeanaMaxSentence) {
          sentences.emplace_back();
        }
      }
    }
  }
  if (sentences.back().tokens.empty()) sentences.pop_back();
  for (std::size_t sentence_idx = 0; sentence_idx < sentences.size(); ++sentence_idx) {
    ConllSentence& sentence = sentences[sentence_idx];
    analyze::ConvertIob1ToIob2(sentence.tags);  // a cut may leave an entity starting with I-
    const std::size_t document_idx = sentence_idx / kEuropeanaDocumentSentences;
    std::vector<ConllDocument>* split =
        document_idx % kEuropeanaDevEvery == kEuropeanaDevEvery - 1 ? dev : train;
    if (sentence_idx % kEuropeanaDocumentSentences == 0) split->emplace_back();
    split->back().push_back(std::move(sentence));
  }
  return Status::Ok();
}

struct Corpora {
  std::string recipe;  // for the model's description
  std::vector<ConllDocument> train;
  std::vector<ConllDocument> dev;                                             // picks the epoch
  std::vector<std::pair<std::string, std::vector<ConllDocument>>> extra_dev;  // reported only
  std::vector<ConllDocument> gazetteer;  // labelled text whose entities make the gazetteer
  std::string gazetteer_recipe;
  std::string dev_file;  // under the data folder
  std::vector<float> train_weights;  // per training document; empty: all 1
};

void Append(std::vector<ConllDocument>* to, std::vector<ConllDocument> from) {
  for (ConllDocument& document : from) to->push_back(std::move(document));
}

// `europeana_weight` scales the perceptron updates of Europeana's documents (French).
Result<Corpora> LoadCorpora(const std::string& lang, const std::string& data,
                            bool with_europeana = true, float europeana_weight = 1.0f) {
  Corpora corpora;
  if (lang == "en") {
    TROVE_ASSIGN_OR_RETURN(corpora.train, analyze::ReadConll(data + "/conll2003-en/train.txt"));
    TROVE_ASSIGN_OR_RETURN(corpora.dev, analyze::ReadConll(data + "/conll2003-en/valid.txt"));
    TROVE_ASSIGN_OR_RETURN(corpora.gazetteer, analyze::ReadConll(data + "/wikiann-en/train.txt"));
    corpora.recipe = "train conll2003-en/train.txt; dev conll2003-en/valid.txt";
    corpora.dev_file = "conll2003-en/valid.txt";
    corpora.gazetteer_recipe = "entities of wikiann-en/train.txt";
    return corpora;
  }
  if (lang == "fr") {
    TROVE_ASSIGN_OR_RETURN(corpora.train, analyze::ReadConll(data + "/wikiann-fr/train.txt"));
    TROVE_ASSIGN_OR_RETURN(corpora.dev, analyze::ReadConll(data + "/wikiann-fr/dev.txt"));
    std::vector<ConllDocument> europeana_train;
    std::vector<ConllDocument> europeana_dev;
    TROVE_RETURN_IF_ERROR(
        ReadEuropeana(data + "/europeana-ner-fr/enp_FR.bnf.bio", &europeana_train, &europeana_dev));
    if (with_europeana && europeana_weight != 1.0f) {
      corpora.train_weights.assign(corpora.train.size(), 1.0f);
      corpora.train_weights.resize(corpora.train.size() + europeana_train.size(), europeana_weight);
    }
    if (with_europeana) Append(&corpora.train, std::move(europeana_train));
    corpora.extra_dev.emplace_back("europeana-ner-fr dev split", std::move(europeana_dev));
    TROVE_ASSIGN_OR_RETURN(corpora.gazetteer, analyze::ReadConll(data + "/wikiann-en/train.txt"));
    corpora.recipe =
        "train wikiann-fr/train.txt + europeana-ner-fr (9 documents in 10); dev wikiann-fr/dev.txt";
    corpora.dev_file = "wikiann-fr/dev.txt";
    corpora.gazetteer_recipe = "entities of wikiann-en/train.txt";
    return corpora;
  }
  return Status::InvalidArgument("no training recipe for language \"" + lang + "\"");
}

// --- unlabelled text for the clusters ------------------------------------------------------------

Result<std::string> ReadXz(const std::string& path) {
  const std::string command = "xz -dc -- '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Status::IOError(path + ": cannot run xz");
  std::string out;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  if (pclose(pipe) != 0) return Status::IOError(path + ": xz failed");
  return out;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size(); ++pos) {
    if (s[pos] == '&') {
      const std::size_t semi = s.find(';', pos);
      if (semi != std::string_view::npos && semi - pos <= 6) {
        const std::string_view entity = s.substr(pos + 1, semi - pos - 1);
        if (entity == "lt") out += '<';
        if (entity == "gt") out += '>';
        if (entity == "amp") out += '&';
        if (entity == "quot") out += '"';
        pos = semi;  // numeric entities (&#3;) are control characters: dropped
        continue;
      }
    }
    out += s[pos];
  }
  return out;
}

// The titles and bodies of the Reuters-21578 articles (1987 news wire, the domain of CoNLL).
// Calls `sentence` with each sentence of Reuters-21578's titles and bodies.
Status ForEachReutersSentence(const std::string& data,
                              const std::function<void(const analyze::NerSentence&)>& sentence) {
  analyze::NerSentence views;
  for (int file_idx = 0; file_idx <= 13; ++file_idx) {
    char name[64];
    std::snprintf(name, sizeof name, "/reuters-21578/reut2-%03d.sgm.xz", file_idx);
    TROVE_ASSIGN_OR_RETURN(const std::string sgml, ReadXz(data + name));
    for (const std::string_view tag : {std::string_view("TITLE"), std::string_view("BODY")}) {
      const std::string open = "<" + std::string(tag) + ">";
      const std::string close = "</" + std::string(tag) + ">";
      for (std::size_t pos = sgml.find(open); pos != std::string::npos;
           pos = sgml.find(open, pos)) {
        pos += open.size();
        const std::size_t end = sgml.find(close, pos);
        if (end == std::string::npos) break;
        const std::string text = Unescape(std::string_view(sgml).substr(pos, end - pos));
        for (const auto& tokens : analyze::TokenizeForNer(text)) {
          views.clear();
          for (const analyze::NerToken& token : tokens) views.push_back(token.text);
          sentence(views);
        }
        pos = end;
      }
    }
  }
  return Status::Ok();
}

Status AddReuters(const std::string& data, std::vector<std::vector<std::string>>* sentences) {
  return ForEachReutersSentence(data, [&](const analyze::NerSentence& tokens) {
    sentences->emplace_back(tokens.begin(), tokens.end());
  });
}

void AddTokens(const std::vector<ConllDocument>& corpus,
               std::vector<std::vector<std::string>>* sentences) {
  for (const ConllDocument& document : corpus) {
    for (const ConllSentence& sentence : document) sentences->push_back(sentence.tokens);
  }
}

// The English books of gutenberg-en (public domain): other prose, for more words. Calls
// `sentence` with each sentence of the books, tokenised a few paragraphs at a time (the whole
// 40 MB tokenised at once would hold every token's view).
Status ForEachGutenbergSentence(const std::string& data,
                                const std::function<void(const analyze::NerSentence&)>& sentence) {
  const std::string path = data + "/gutenberg-en/gutenberg-en-sample.tar.xz";
  const std::string command = "tar -xJOf '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Status::IOError(path + ": cannot run tar");
  std::string text;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
  if (pclose(pipe) != 0) return Status::IOError(path + ": tar failed");
  constexpr std::size_t kChunk = 1 << 20;
  analyze::NerSentence views;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find("\n\n", std::min(text.size(), begin + kChunk));
    end = end == std::string::npos ? text.size() : end + 2;
    for (const auto& tokens :
         analyze::TokenizeForNer(std::string_view(text).substr(begin, end - begin))) {
      views.clear();
      for (const analyze::NerToken& token : tokens) views.push_back(token.text);
      sentence(views);
    }
    begin = end;
  }
  return Status::Ok();
}

Status AddGutenberg(const std::string& data, std::vector<std::vector<std::string>>* sentences) {
  return ForEachGutenbergSentence(data, [&](const analyze::NerSentence& tokens) {
    sentences->emplace_back(tokens.begin(), tokens.end());
  });
}

int ClustersCommand(const std::string& lang, const std::string& data, const std::string& out,
                    const ClusterOptions& options, bool with_gutenberg) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::vector<std::string>> sentences;
  auto corpora = LoadCorpora(lang, data);
  if (!corpora.ok()) return Fail(corpora.status());
  // Unlabelled text: the training split's words (never the development split's) and, for
  // English, Reuters-21578; for French there is no more French text in ../shared/data.
  AddTokens(corpora->train, &sentences);
  AddTokens(corpora->gazetteer, &sentences);
  if (lang == "en") {
    if (Status status = AddReuters(data, &sentences); !status.ok()) return Fail(status);
    if (with_gutenberg) {
      if (Status status = AddGutenberg(data, &sentences); !status.ok()) return Fail(status);
    }
  }
  const auto clusters = ClusterWords(sentences, options, /*verbose=*/true);
  std::ostringstream text;
  for (const auto& [word, ids] : clusters) {
    text << word;
    for (const std::uint16_t id : ids) text << '\t' << id;
    text << '\n';
  }
  if (Status status = WriteFileAtomic(out, text.str()); !status.ok()) return Fail(status);
  std::fprintf(stderr, "clusters: %zu words -> %s in %.1f s\n", clusters.size(), out.c_str(),
               Seconds(start));
  return 0;
}

// --- model ---------------------------------------------------------------------------------------

Status LoadClusters(const std::string& path, analyze::ner::Clusters* clusters) {
  TROVE_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  std::istringstream in(text);
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    std::istringstream fields(line);
    std::string word;
    std::getline(fields, word, '\t');
    std::vector<std::uint16_t> ids;
    std::string id;
    while (std::getline(fields, id, '\t')) ids.push_back(static_cast<std::uint16_t>(std::stoi(id)));
    if (clusters->levels == 0) clusters->levels = static_cast<std::uint32_t>(ids.size());
    if (ids.size() != clusters->levels || ids.empty()) {
      return Status::Corrupt(path + ":" + std::to_string(line_number) + ": bad cluster line");
    }
    const auto row = static_cast<std::uint32_t>(clusters->index.size());
    if (!clusters->index.emplace(analyze::ner::WordHash(word), row).second) continue;
    clusters->ids.insert(clusters->ids.end(), ids.begin(), ids.end());
  }
  return Status::Ok();
}

// How often each word of the listed names stands at each place (NamePlace) of a name of each
// type: counts[4 * type + place].
using NameWordCounts = std::unordered_map<std::uint64_t, std::array<std::uint32_t, 16>>;

// Adds the entities of `corpus` to `gazetteer` (and their words to `word_counts`, if given),
// leaving out documents d with d % folds == skip_fold (skip_fold == folds: none left out).
void BuildGazetteer(const std::vector<ConllDocument>& corpus, analyze::ner::Gazetteer* gazetteer,
                    NameWordCounts* word_counts, std::size_t folds = 1, std::size_t skip_fold = 1) {
  constexpr std::uint32_t kMaxPhraseTokens = 6;
  gazetteer->types = {"LOC", "MISC", "ORG", "PER"};
  for (std::size_t document_idx = 0; document_idx < corpus.size(); ++document_idx) {
    if (document_idx % folds == skip_fold) continue;
    const ConllDocument& document = corpus[document_idx];
    for (const ConllSentence& sentence : document) {
      for (const analyze::NerSpan& span : analyze::SpansFromTags(sentence.tags)) {
        const std::size_t length = span.end - span.begin;
        const auto type = std::find(gazetteer->types.begin(), gazetteer->types.end(), span.type);
        if (type == gazetteer->types.end()) continue;
        const auto type_idx = static_cast<std::uint32_t>(type - gazetteer->types.begin());
        if (word_counts != nullptr) {
          for (std::size_t i = 0; i < length; ++i) {
            const std::uint64_t word = analyze::ner::WordHash(sentence.tokens[span.begin + i]);
            ++(*word_counts)[word][4 * type_idx + analyze::ner::NamePlaceOf(i, length)];
          }
        }
        if (length > kMaxPhraseTokens) continue;
        std::vector<std::string_view> tokens(sentence.tokens.begin() + span.begin,
                                             sentence.tokens.begin() + span.end);
        gazetteer->phrases[analyze::ner::PhraseHash(tokens)] |=
            static_cast<std::uint8_t>(1u << type_idx);
        gazetteer->max_tokens = std::max(gazetteer->max_tokens, static_cast<std::uint32_t>(length));
      }
    }
  }
}

// Gazetteer::words from the counts: the places that hold at least an eighth of a word's
// occurrences (a word seen once in a list of thousands of names says little, but the feature's
// weight learns that from the training split).
void SetNameWords(const NameWordCounts& counts, analyze::ner::Gazetteer* gazetteer) {
  gazetteer->words.clear();
  gazetteer->words.reserve(counts.size());
  for (const auto& [word, by_place] : counts) {
    std::uint64_t total = 0;
    for (const std::uint32_t count : by_place) total += count;
    std::uint32_t bits = 0;
    for (std::size_t bit = 0; bit < 16; ++bit) {
      if (8 * std::uint64_t{by_place[bit]} >= total && by_place[bit] > 0) bits |= 1u << bit;
    }
    gazetteer->words.emplace(word, bits);
  }
}

// The casing lexicon (Model::casing) from how words are written inside sentences (not their
// first word, not sentences in capitals): each word's most frequent form, and which lower-case
// words are hardly ever anything else.
class CasingCounts {
 public:
  void Add(const analyze::NerSentence& tokens) {
    if (analyze::ner::IsCapsSentence(tokens)) return;
    for (std::size_t i = 1; i < tokens.size(); ++i) {
      const std::optional<analyze::ner::WordCase> form = analyze::ner::WrittenCase(tokens[i]);
      if (!form) continue;
      lower_.clear();
      analyze::ner::AppendLower(tokens[i], &lower_);
      ++counts_[analyze::ner::WordHash(lower_)][static_cast<std::size_t>(*form)];
    }
  }

  void Finish(analyze::ner::CasingLexicon* casing) const {
    // A word seen this often in lower case, and capitalised or in capitals in under one
    // occurrence in twenty, is kOnlyLower.
    constexpr std::uint32_t kOnlyLowerMinCount = 20;
    for (const auto& [word, by_form] : counts_) {
      const auto most = static_cast<std::size_t>(
          std::max_element(by_form.begin(), by_form.end()) - by_form.begin());
      auto form = static_cast<analyze::ner::WordCase>(most);
      const std::uint32_t lower = by_form[0];
      const std::uint32_t other = by_form[1] + by_form[2];
      if (form == analyze::ner::WordCase::kLower && lower >= kOnlyLowerMinCount &&
          20 * other < lower + other) {
        form = analyze::ner::WordCase::kOnlyLower;
      }
      casing->emplace(word, form);
    }
  }

 private:
  std::unordered_map<std::uint64_t, std::array<std::uint32_t, 3>> counts_;
  std::string lower_;
};

void PrintScores(const std::string& title, const NerScores& scores) {
  std::printf("%s: %llu sentences, %llu tokens\n", title.c_str(),
              static_cast<unsigned long long>(scores.sentences),
              static_cast<unsigned long long>(scores.tokens));
  std::printf("  %-8s %9s %9s %9s %7s %7s\n", "type", "precision", "recall", "F1", "gold", "found");
  auto row = [](const std::string& type, const analyze::NerCounts& c) {
    std::printf("  %-8s %9.2f %9.2f %9.2f %7llu %7llu\n", type.c_str(), c.Precision(), c.Recall(),
                c.F1(), static_cast<unsigned long long>(c.gold),
                static_cast<unsigned long long>(c.predicted));
  };
  for (const auto& [type, counts] : scores.by_type) row(type, counts);
  row("overall", scores.overall);
  std::printf("  tagging: %.0f tokens/s of CPU time (%.0f wall clock), one thread\n",
              scores.TokensPerCpuSecond(), scores.TokensPerSecond());
}

// For error analysis: one line per span of the development split, gold and found
// ("sentence<TAB>begin<TAB>end<TAB>type<TAB>gold|found<TAB>text").
Status WriteDevSpans(const analyze::Tagger& tagger, const std::vector<ConllDocument>& dev,
                     const std::string& path) {
  std::string out;
  std::size_t sentence_idx = 0;
  auto write = [&](const ConllSentence& sentence, const analyze::NerSpan& span, const char* kind) {
    std::string text;
    for (std::size_t i = span.begin; i < span.end; ++i) {
      if (i > span.begin) text += ' ';
      text += sentence.tokens[i];
    }
    out += std::to_string(sentence_idx) + '\t' + std::to_string(span.begin) + '\t' +
           std::to_string(span.end) + '\t' + span.type + '\t' + kind + '\t' + text + '\n';
  };
  for (const ConllDocument& document : dev) {
    std::vector<analyze::NerSentence> sentences;
    for (const ConllSentence& sentence : document) {
      sentences.emplace_back(sentence.tokens.begin(), sentence.tokens.end());
    }
    const std::vector<std::vector<analyze::NerSpan>> found = tagger.TagDocument(sentences);
    for (std::size_t i = 0; i < document.size(); ++i, ++sentence_idx) {
      for (const analyze::NerSpan& span : analyze::SpansFromTags(document[i].tags)) {
        write(document[i], span, "gold");
      }
      for (const analyze::NerSpan& span : found[i]) write(document[i], span, "found");
    }
  }
  return WriteFileAtomic(path, out);
}

struct ModelOptions {
  std::string lang;
  std::string data;
  std::string clusters;
  std::string out;
  std::vector<std::string> without;
  std::uint32_t hash_bits = 19;
  bool with_europeana = true;
  float europeana_weight = 1.0f;
  std::vector<std::string> gazetteer_from;  // more CoNLL files whose entities are listed
  std::string dev_spans;                    // where to write gold and found spans of dev
  bool with_casing = true;                  // a casing lexicon for text in capitals
  std::size_t jackknife_folds = 10;
  analyze::ner::TagScheme tag_scheme = analyze::ner::TagScheme::kIob2;
  analyze::ner::TrainOptions train;
};

int ModelCommand(const ModelOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto corpora =
      LoadCorpora(options.lang, options.data, options.with_europeana, options.europeana_weight);
  if (!corpora.ok()) return Fail(corpora.status());
  for (const std::string& file : options.gazetteer_from) {
    if (file == corpora->dev_file) {
      std::fprintf(stderr, "trove-train: %s is the development split; it cannot be a list\n",
                   file.c_str());
      return kExitUsage;
    }
    auto more = analyze::ReadConll(options.data + "/" + file);
    if (!more.ok()) return Fail(more.status());
    Append(&corpora->gazetteer, std::move(*more));
    corpora->gazetteer_recipe += " + entities of " + file;
  }
  auto model = std::make_shared<analyze::ner::Model>();
  model->lang = options.lang;
  model->hash_bits = options.hash_bits;
  model->tags = analyze::ner::TagSetOf({&corpora->train}, options.tag_scheme);
  const std::map<std::string, std::uint32_t> groups = {
      {"affixes", analyze::ner::kFeatureAffixes},     {"context", analyze::ner::kFeatureContext},
      {"document", analyze::ner::kFeatureDocument},   {"clusters", analyze::ner::kFeatureClusters},
      {"gazetteer", analyze::ner::kFeatureGazetteer}, {"history", analyze::ner::kFeatureHistory},
      {"extended", analyze::ner::kFeatureExtended},   {"style", analyze::ner::kFeatureStyle},
      {"namewords", analyze::ner::kFeatureNameWords}};
  for (const std::string& name : options.without) {
    const auto it = groups.find(name);
    if (it == groups.end()) {
      std::fprintf(stderr, "trove-train: unknown feature group \"%s\"\n", name.c_str());
      return kExitUsage;
    }
    model->feature_groups &= ~it->second;
  }
  std::string description = corpora->recipe;
  if (model->feature_groups & analyze::ner::kFeatureClusters) {
    if (options.clusters.empty()) {
      std::fprintf(stderr, "trove-train: --clusters FILE is needed (or --without clusters)\n");
      return kExitUsage;
    }
    if (Status status = LoadClusters(options.clusters, &model->clusters); !status.ok()) {
      return Fail(status);
    }
    description += "; word clusters (exchange algorithm, " +
                   std::to_string(model->clusters.levels) + " granularities, " +
                   std::to_string(model->clusters.index.size()) + " words)";
  }
  analyze::ner::TrainOptions train_options = options.train;
  train_options.document_weights = corpora->train_weights;
  const bool with_name_words = (model->feature_groups & analyze::ner::kFeatureNameWords) != 0;
  if (model->feature_groups & (analyze::ner::kFeatureGazetteer | analyze::ner::kFeatureNameWords)) {
    NameWordCounts outside_counts;
    BuildGazetteer(corpora->gazetteer, &model->gazetteer, &outside_counts);
    std::string recipe = corpora->gazetteer_recipe;
    if (options.jackknife_folds > 1) {
      // The training split's own entities too, jackknifed: see TrainOptions::fold_gazetteers.
      for (std::size_t fold = 0; fold < options.jackknife_folds; ++fold) {
        analyze::ner::Gazetteer& gazetteer =
            train_options.fold_gazetteers.emplace_back(model->gazetteer);
        NameWordCounts counts = outside_counts;
        BuildGazetteer(corpora->train, &gazetteer, &counts, options.jackknife_folds, fold);
        if (with_name_words) SetNameWords(counts, &gazetteer);
      }
      BuildGazetteer(corpora->train, &model->gazetteer, &outside_counts);
      recipe += " + entities of the training split (" + std::to_string(options.jackknife_folds) +
                "-fold jackknife in training)";
    }
    if (with_name_words) SetNameWords(outside_counts, &model->gazetteer);
    if (!(model->feature_groups & analyze::ner::kFeatureGazetteer)) {
      model->gazetteer.phrases.clear();
      model->gazetteer.max_tokens = 0;
      for (analyze::ner::Gazetteer& gazetteer : train_options.fold_gazetteers) {
        gazetteer.phrases.clear();
        gazetteer.max_tokens = 0;
      }
    }
    description += "; gazetteer: " + recipe + " (" +
                   std::to_string(model->gazetteer.phrases.size()) + " phrases" +
                   (with_name_words
                        ? ", " + std::to_string(model->gazetteer.words.size()) + " name words"
                        : "") +
                   ")";
  }
  if (options.with_casing) {
    // From the unlabelled text at hand: the training split, the outside lists' sentences, and
    // for English Reuters-21578 and Gutenberg's books (their other domain made the clusters
    // worse, but every common word they add to the lexicon is one fewer taken for a name).
    CasingCounts counts;
    for (const std::vector<ConllDocument>* corpus : {&corpora->train, &corpora->gazetteer}) {
      for (const ConllDocument& document : *corpus) {
        for (const ConllSentence& sentence : document) {
          counts.Add(analyze::NerSentence(sentence.tokens.begin(), sentence.tokens.end()));
        }
      }
    }
    if (options.lang == "en") {
      auto add = [&](const analyze::NerSentence& sentence) { counts.Add(sentence); };
      if (Status status = ForEachReutersSentence(options.data, add); !status.ok()) {
        return Fail(status);
      }
      if (Status status = ForEachGutenbergSentence(options.data, add); !status.ok()) {
        return Fail(status);
      }
    }
    counts.Finish(&model->casing);
    description += "; casing lexicon (" + std::to_string(model->casing.size()) + " words)";
  }
  std::fprintf(stderr, "training %s model: %s\n", options.lang.c_str(), description.c_str());
  train_options.on_epoch = [](std::uint32_t epoch, const NerScores& dev) {
    std::fprintf(stderr, "  epoch %2u: dev P %.2f R %.2f F1 %.2f\n", epoch, dev.overall.Precision(),
                 dev.overall.Recall(), dev.overall.F1());
  };
  const analyze::ner::TrainSummary summary =
      analyze::ner::Train(corpora->train, corpora->dev, train_options, model.get());
  description += "; averaged perceptron";
  // Written only when set, so that a model trained without them keeps its description.
  if (options.tag_scheme == analyze::ner::TagScheme::kBilou) description += ", BILOU tags";
  if (options.train.margin > 0) description += ", margin " + Number(options.train.margin);
  if (options.train.feature_dropout > 0) {
    description += ", feature dropout " + Number(options.train.feature_dropout);
  }
  if (!corpora->train_weights.empty()) {
    description += ", Europeana updates x " + Number(options.europeana_weight);
  }
  description += ", epoch " + std::to_string(summary.best_epoch) + " of " +
                 std::to_string(summary.epochs_run) + ", seed " +
                 std::to_string(options.train.seed);
  model->description = description;
  const std::string bytes = analyze::ner::SerializeModel(*model);
  if (Status status = WriteFileAtomic(options.out, bytes); !status.ok()) return Fail(status);
  const double train_seconds = Seconds(start);

  // Score what was written, read back from the file, so the figures are the shipped model's.
  auto tagger = analyze::Tagger::Load(options.out);
  if (!tagger.ok()) return Fail(tagger.status());
  std::printf("%s: %s\n  %.1f MB, trained in %.1f s\n", options.out.c_str(),
              model->description.c_str(), static_cast<double>(bytes.size()) / 1e6, train_seconds);
  PrintScores("development: " + std::string(options.lang == "en" ? "conll2003-en/valid.txt"
                                                                 : "wikiann-fr/dev.txt"),
              analyze::EvaluateTagger(*tagger, corpora->dev));
  if (!options.dev_spans.empty()) {
    if (Status status = WriteDevSpans(*tagger, corpora->dev, options.dev_spans); !status.ok()) {
      return Fail(status);
    }
  }
  for (const auto& [name, corpus] : corpora->extra_dev) {
    PrintScores("development: " + name, analyze::EvaluateTagger(*tagger, corpus));
  }
  std::fflush(stdout);
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"trove-train: build the NER models from ../shared/data"};
  app.require_subcommand(1);
  std::string lang;
  std::string data = "../shared/data";

  ClusterOptions cluster_options;
  std::string clusters_out;
  auto* clusters_cmd = app.add_subcommand("clusters", "learn word clusters from unlabelled text");
  clusters_cmd->add_option("--lang", lang, "en or fr")->required();
  clusters_cmd->add_option("--data", data, "the shared data folder")->capture_default_str();
  clusters_cmd->add_option("--out", clusters_out, "output (word, then one id per granularity)")
      ->required();
  clusters_cmd->add_option("--classes", cluster_options.class_counts, "class counts")
      ->delimiter(',')
      ->capture_default_str();
  clusters_cmd->add_option("--iterations", cluster_options.iterations, "passes at most")
      ->capture_default_str();
  bool with_gutenberg = false;
  clusters_cmd->add_flag("--gutenberg", with_gutenberg, "add gutenberg-en's books (English)");
  clusters_cmd->add_option("--min-count", cluster_options.min_count, "rarer words get none")
      ->capture_default_str();

  ModelOptions model_options;
  auto* model_cmd = app.add_subcommand("model", "train a NER model and score it on dev");
  model_cmd->add_option("--lang", model_options.lang, "en or fr")->required();
  model_cmd->add_option("--data", model_options.data, "the shared data folder")
      ->default_val("../shared/data");
  model_cmd->add_option("--clusters", model_options.clusters, "from `trove-train clusters`");
  model_cmd->add_option("--out", model_options.out, "the model file")->required();
  model_cmd
      ->add_option("--without", model_options.without,
                   "feature groups to leave out: affixes, context, document, clusters, gazetteer, "
                   "history, extended, style, namewords")
      ->delimiter(',');
  model_cmd->add_flag("!--without-casing", model_options.with_casing,
                      "no casing lexicon: text in capitals is tagged as written");
  model_cmd->add_option("--dev-spans", model_options.dev_spans,
                        "write the gold and found spans of the development split (TSV)");
  model_cmd
      ->add_option("--gazetteer-from", model_options.gazetteer_from,
                   "more CoNLL files (under --data) whose entities join the outside list")
      ->delimiter(',');
  model_cmd->add_option("--hash-bits", model_options.hash_bits, "2^N weight rows")
      ->capture_default_str()
      ->check(CLI::Range(10, 24));
  model_cmd->add_option("--max-epochs", model_options.train.max_epochs, "epochs at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  model_cmd->add_flag("!--without-europeana", model_options.with_europeana,
                      "French: train on WikiANN alone (for comparison)");
  model_cmd
      ->add_option("--europeana-weight", model_options.europeana_weight,
                   "French: scale of the updates from Europeana's documents")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  model_cmd
      ->add_option("--jackknife", model_options.jackknife_folds,
                   "add the training split's entities to the gazetteer, jackknifed in N folds")
      ->check(CLI::Range(0, 100));
  model_cmd->add_option("--tags", model_options.tag_scheme, "tag scheme: iob2 or bilou")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, analyze::ner::TagScheme>{
              {"iob2", analyze::ner::TagScheme::kIob2}, {"bilou", analyze::ner::TagScheme::kBilou}},
          CLI::ignore_case));
  model_cmd
      ->add_option("--dropout", model_options.train.feature_dropout,
                   "share of each token's features left out at each training visit")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.9));
  model_cmd
      ->add_option("--margin", model_options.train.margin,
                   "cost added to every wrong tag while training (0: plain perceptron)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10000.0));
  model_cmd->add_option("--seed", model_options.train.seed, "shuffling seed")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (clusters_cmd->parsed())
    return ClustersCommand(lang, data, clusters_out, cluster_options, with_gutenberg);
  if (model_cmd->parsed()) return ModelCommand(model_options);
  return kExitUsage;
}

}  // namespace
}  // namespace trove::train

int main(int argc, char** argv) {
  try {
    return trove::train::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trove-train: unexpected error: %s\n", e.what());
    return 1;
  }
}
