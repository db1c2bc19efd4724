#include "analyze/ner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "../testing/temp_dir.h"
#include "analyze/ner/decoder.h"
#include "analyze/ner/features.h"
#include "analyze/ner/model.h"
#include "analyze/ner/trainer.h"

namespace trove::analyze {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A small model with every section filled, for the IO tests.
ner::Model SmallModel() {
  ner::Model model;
  model.lang = "en";
  model.description = "test model";
  model.tags = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};
  model.hash_bits = 8;
  std::mt19937 random(7);
  std::uniform_real_distribution<float> weight(-1, 1);
  model.weights.resize((std::size_t{1} << model.hash_bits) * model.TagCount());
  for (float& w : model.weights) w = weight(random);
  model.transitions.resize((model.TagCount() + 1) * model.TagCount());
  for (float& w : model.transitions) w = weight(random);
  model.clusters.levels = 2;
  model.clusters.index = {{ner::WordHash("Paris"), 0}, {ner::WordHash("London"), 1}};
  model.clusters.ids = {3, 17, 3, 18};
  model.gazetteer.types = {"LOC", "PER"};
  model.gazetteer.max_tokens = 2;
  model.gazetteer.phrases = {{ner::PhraseHash({"New", "York"}), 1}};
  model.gazetteer.words = {{ner::WordHash("York"), 1u << (4 * 0 + ner::kPlaceLast)}};
  model.casing = {{ner::WordHash("met"), ner::WordCase::kLower},
                  {ner::WordHash("your"), ner::WordCase::kOnlyLower},
                  {ner::WordHash("nato"), ner::WordCase::kUpper}};
  return model;
}

TEST(NerModel, RoundTripsThroughBytes) {
  const ner::Model model = SmallModel();
  const std::string bytes = ner::SerializeModel(model);
  auto parsed = ner::ParseModel(bytes, "small.bin");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->lang, "en");
  EXPECT_EQ(parsed->description, "test model");
  EXPECT_EQ(parsed->tags, model.tags);
  EXPECT_EQ(parsed->hash_bits, model.hash_bits);
  EXPECT_EQ(parsed->feature_groups, model.feature_groups);
  EXPECT_EQ(parsed->weights, model.weights);
  EXPECT_EQ(parsed->transitions, model.transitions);
  EXPECT_EQ(parsed->clusters.levels, 2u);
  EXPECT_EQ(parsed->clusters.index, model.clusters.index);
  EXPECT_EQ(parsed->clusters.ids, model.clusters.ids);
  EXPECT_EQ(parsed->gazetteer.types, model.gazetteer.types);
  EXPECT_EQ(parsed->gazetteer.phrases, model.gazetteer.phrases);
  EXPECT_EQ(parsed->gazetteer.words, model.gazetteer.words);
  EXPECT_EQ(parsed->casing, model.casing);
  // The same model gives the same bytes (`make models` is reproducible).
  EXPECT_EQ(ner::SerializeModel(*parsed), bytes);
}

TEST(NerModel, RejectsEveryTruncationWithPathAndOffset) {
  const std::string bytes = ner::SerializeModel(SmallModel());
  for (std::size_t size = 0; size < bytes.size(); size += size < 64 ? 1 : 97) {
    auto parsed = ner::ParseModel(std::string_view(bytes).substr(0, size), "cut.bin");
    ASSERT_FALSE(parsed.ok()) << "accepted a file cut at " << size << " bytes";
    EXPECT_EQ(parsed.status().code(), StatusCode::kCorrupt) << size;
    EXPECT_THAT(parsed.status().message(), HasSubstr("cut.bin")) << size;
    if (size >= 8) {
      EXPECT_THAT(parsed.status().message(), HasSubstr("offset")) << size;
    }
  }
}

TEST(NerModel, RejectsAnotherVersionAsUnsupported) {
  std::string bytes = ner::SerializeModel(SmallModel());
  bytes[8] = static_cast<char>(ner::kModelVersion + 1);
  auto parsed = ner::ParseModel(bytes, "new.bin");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kUnsupported);
  EXPECT_THAT(parsed.status().message(), HasSubstr("new.bin"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("version 5"));
}

// Version 2 holds BILOU tag sets and the style features, version 3 the name words, version 4
// the casing lexicon; other models stay version 1, which older readers tag the same way.
TEST(NerModel, WritesTheOldestVersionThatHoldsTheModel) {
  ner::Model model = SmallModel();
  EXPECT_EQ(ner::SerializeModel(model)[8], 4);
  model.casing.clear();
  const std::uint32_t version_1_groups =
      ner::kFeatureAll & ~ner::kFeatureStyle & ~ner::kFeatureNameWords;
  model.feature_groups = version_1_groups;
  model.gazetteer.words.clear();
  EXPECT_EQ(ner::SerializeModel(model)[8], 1);
  model.feature_groups = version_1_groups | ner::kFeatureStyle;
  EXPECT_EQ(ner::SerializeModel(model)[8], 2);
  model.feature_groups = ner::kFeatureAll;
  EXPECT_EQ(ner::SerializeModel(model)[8], 3);
  model.feature_groups = version_1_groups;
  model.tags = {"O", "B-PER", "I-PER", "L-PER", "U-PER"};
  model.weights.resize((std::size_t{1} << model.hash_bits) * model.TagCount());
  model.transitions.resize((model.TagCount() + 1) * model.TagCount());
  const std::string bytes = ner::SerializeModel(model);
  EXPECT_EQ(bytes[8], 2);
  auto parsed = ner::ParseModel(bytes, "bilou.bin");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->tags, model.tags);
}

TEST(NerModel, RejectsBadMagicAndFlippedBytes) {
  const std::string bytes = ner::SerializeModel(SmallModel());
  std::string wrong_magic = bytes;
  wrong_magic[0] = 'X';
  EXPECT_EQ(ner::ParseModel(wrong_magic, "m.bin").status().code(), StatusCode::kCorrupt);
  // A flipped bit in the weights is caught by the checksum, one in a length by the bounds.
  for (const std::size_t pos : {bytes.size() / 2, std::size_t{20}, bytes.size() - 3}) {
    std::string damaged = bytes;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x10);
    auto parsed = ner::ParseModel(damaged, "m.bin");
    ASSERT_FALSE(parsed.ok()) << "flipped byte " << pos;
    EXPECT_EQ(parsed.status().code(), StatusCode::kCorrupt) << parsed.status().ToString();
  }
}

TEST(NerModel, LoadNamesTheMissingFile) {
  auto tagger = Tagger::Load("/nonexistent/ner-xx.bin");
  ASSERT_FALSE(tagger.ok());
  EXPECT_THAT(tagger.status().message(), HasSubstr("/nonexistent/ner-xx.bin"));
}

// --- CoNLL reading and scoring -----------------------------------------------------------------

// Gold: sentence 1 has PER "John Smith" and LOC "New York"; sentence 2 has ORG "Acme Corp" and
// two adjacent people, "Paul" and "Anna", which IOB1 can only separate with B-PER.
constexpr std::string_view kGoldIob1 =
    "-DOCSTART- -X- -X- O\n\n"
    "John NNP I-NP I-PER\nSmith NNP I-NP I-PER\nvisited VBD I-VP O\nNew NNP I-NP I-LOC\n"
    "York NNP I-NP I-LOC\n. . O O\n\n"
    "Acme NNP I-NP I-ORG\nCorp NNP I-NP I-ORG\nhired VBD I-VP O\nPaul NNP I-NP I-PER\n"
    "Anna NNP I-NP B-PER\n. . O O\n";
constexpr std::string_view kGoldIob2 =
    "-DOCSTART- -X- -X- O\n\n"
    "John NNP I-NP B-PER\nSmith NNP I-NP I-PER\nvisited VBD I-VP O\nNew NNP I-NP B-LOC\n"
    "York NNP I-NP I-LOC\n. . O O\n\n"
    "Acme NNP I-NP B-ORG\nCorp NNP I-NP I-ORG\nhired VBD I-VP O\nPaul NNP I-NP B-PER\n"
    "Anna NNP I-NP B-PER\n. . O O\n";

// Predicted: John Smith right; New York as ORG (wrong type); only "Acme" (wrong span); Paul and
// Anna as one person (wrong span). 1 correct of 4 found and 5 gold.
NerScores ScoreSnippet(std::string_view gold_text) {
  auto gold = ParseConll(gold_text, "gold.conll");
  EXPECT_TRUE(gold.ok()) << gold.status().ToString();
  const std::vector<std::vector<std::string>> predicted = {
      {"B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O"}, {"B-ORG", "O", "O", "B-PER", "I-PER", "O"}};
  NerScores scores;
  const ConllDocument& document = (*gold)[0];
  EXPECT_EQ(document.size(), 2u);
  for (std::size_t i = 0; i < document.size() && i < predicted.size(); ++i) {
    scores.Add(SpansFromTags(document[i].tags), SpansFromTags(predicted[i]));
  }
  return scores;
}

TEST(NerScore, CountsExactSpansPerTypeAsConllevalDoes) {
  for (const std::string_view text : {kGoldIob1, kGoldIob2}) {
    const NerScores scores = ScoreSnippet(text);
    EXPECT_EQ(scores.overall.gold, 5u);
    EXPECT_EQ(scores.overall.predicted, 4u);
    EXPECT_EQ(scores.overall.correct, 1u);
    EXPECT_DOUBLE_EQ(scores.overall.Precision(), 25.0);
    EXPECT_DOUBLE_EQ(scores.overall.Recall(), 20.0);
    EXPECT_NEAR(scores.overall.F1(), 22.2222, 1e-3);
    const NerCounts& person = scores.by_type.at("PER");
    EXPECT_EQ(person.gold, 3u);
    EXPECT_EQ(person.predicted, 2u);
    EXPECT_DOUBLE_EQ(person.Precision(), 50.0);
    EXPECT_NEAR(person.Recall(), 33.3333, 1e-3);
    EXPECT_NEAR(person.F1(), 40.0, 1e-9);
    EXPECT_EQ(scores.by_type.at("LOC").correct, 0u);
    EXPECT_DOUBLE_EQ(scores.by_type.at("LOC").F1(), 0.0);
    EXPECT_EQ(scores.by_type.at("ORG").predicted, 2u);
  }
}

TEST(NerScore, Iob1AndIob2ReadTheSame) {
  auto iob1 = ParseConll(kGoldIob1, "a");
  auto iob2 = ParseConll(kGoldIob2, "b");
  ASSERT_TRUE(iob1.ok() && iob2.ok());
  ASSERT_EQ(iob1->size(), 1u);
  EXPECT_EQ((*iob1)[0][1].tags, (*iob2)[0][1].tags);
  EXPECT_THAT((*iob1)[0][1].tags, ElementsAre("B-ORG", "I-ORG", "O", "B-PER", "B-PER", "O"));
  EXPECT_THAT(SpansFromTags((*iob1)[0][0].tags),
              ElementsAre(NerSpan{0, 2, "PER"}, NerSpan{3, 5, "LOC"}));
}

TEST(NerScore, StrayInsideTagStartsAnEntity) {
  EXPECT_THAT(SpansFromTags({"O", "I-PER", "I-PER", "I-LOC"}),
              ElementsAre(NerSpan{1, 3, "PER"}, NerSpan{3, 4, "LOC"}));
}

TEST(NerConll, StripsLanguagePrefixesAndSplitsUnrelatedSentences) {
  auto corpus = ParseConll("fr:Jacques\tB-PER\nfr:Chirac\tI-PER\n\nfr:Lyon\tB-LOC\n", "wikiann");
  ASSERT_TRUE(corpus.ok());
  ASSERT_EQ(corpus->size(), 2u);  // no -DOCSTART-: one document per sentence
  EXPECT_THAT((*corpus)[0][0].tokens, ElementsAre("Jacques", "Chirac"));
  EXPECT_THAT((*corpus)[1][0].tokens, ElementsAre("Lyon"));
}

TEST(NerConll, RejectsABadTagWithItsLine) {
  auto corpus = ParseConll("Paris NNP LOCATION\n", "bad.conll");
  ASSERT_FALSE(corpus.ok());
  EXPECT_THAT(corpus.status().message(), HasSubstr("bad.conll:1"));
}

// --- tokenisation ------------------------------------------------------------------------------

std::vector<std::vector<std::string>> Tokens(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  for (const auto& sentence : TokenizeForNer(text)) {
    auto& words = out.emplace_back();
    for (const NerToken& token : sentence) {
      EXPECT_EQ(text.substr(token.offset, token.text.size()), token.text);
      words.emplace_back(token.text);
    }
  }
  return out;
}

TEST(NerTokenize, CutsLikeTheTrainingCorpora) {
  EXPECT_THAT(Tokens("Mr. Smith visited the U.S. on Monday, (again). Then Paris!"),
              ElementsAre(ElementsAre("Mr.", "Smith", "visited", "the", "U.S.", "on", "Monday", ",",
                                      "(", "again", ")", "."),
                          ElementsAre("Then", "Paris", "!")));
  EXPECT_THAT(Tokens("l'élection de Jean-Pierre à 3,5 %"),
              ElementsAre(ElementsAre("l'", "élection", "de", "Jean-Pierre", "à", "3,5", "%")));
  EXPECT_THAT(
      Tokens("Le Pen’s “success”\n\nNew line"),
      ElementsAre(ElementsAre("Le", "Pen", "’s", "“", "success", "”"), ElementsAre("New", "line")));
}

// --- training and tagging ----------------------------------------------------------------------

// Four sentences with a person, a place and an organisation each, for the trainer's tests.
constexpr std::string_view kTinyCorpus =
    "Alice B-PER\nlives O\nin O\nParis B-LOC\n. O\n\n"
    "Bob B-PER\nMarley I-PER\nvisited O\nRome B-LOC\n. O\n\n"
    "Carol B-PER\nworks O\nfor O\nAcme B-ORG\nCorp I-ORG\n. O\n\n"
    "Paris B-LOC\nwelcomed O\nDave B-PER\n. O\n";

TEST(NerTrainer, LearnsATinyCorpusAndTagsItBack) {
  auto corpus = ParseConll(kTinyCorpus, "tiny");
  ASSERT_TRUE(corpus.ok());
  auto model = std::make_shared<ner::Model>();
  model->lang = "en";
  model->hash_bits = 12;
  model->tags = ner::TagSetOf({&*corpus});
  EXPECT_THAT(model->tags, ElementsAre("O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"));
  ner::TrainOptions options;
  options.max_epochs = 8;
  const ner::TrainSummary summary = ner::Train(*corpus, {}, options, model.get());
  EXPECT_EQ(summary.best_epoch, 8u);
  const Tagger tagger(model);
  EXPECT_THAT(tagger.Tag({"Bob", "Marley", "visited", "Rome", "."}),
              ElementsAre(NerSpan{0, 2, "PER"}, NerSpan{3, 4, "LOC"}));
  // Reloaded from its bytes, the model tags the same way, and the bytes are reproducible.
  const std::string bytes = ner::SerializeModel(*model);
  auto reloaded = Tagger::FromBytes(bytes, "tiny.bin");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_THAT(reloaded->Tag({"Carol", "works", "for", "Acme", "Corp", "."}),
              ElementsAre(NerSpan{0, 1, "PER"}, NerSpan{3, 5, "ORG"}));
  auto again = std::make_shared<ner::Model>();
  again->lang = "en";
  again->hash_bits = 12;
  again->tags = model->tags;
  (void)ner::Train(*corpus, {}, options, again.get());
  EXPECT_EQ(ner::SerializeModel(*again), bytes);
}

TEST(NerDecoder, KeepsBilouSequencesWellFormed) {
  const std::vector<std::string> tags = {"O",     "B-PER", "I-PER", "L-PER", "U-PER",
                                         "B-LOC", "I-LOC", "L-LOC", "U-LOC"};
  const ner::Decoder decoder(tags);
  constexpr int kStart = -1;
  EXPECT_TRUE(decoder.IsAllowed(kStart, 1));   // B-PER
  EXPECT_TRUE(decoder.IsAllowed(kStart, 4));   // U-PER
  EXPECT_FALSE(decoder.IsAllowed(kStart, 2));  // I-PER
  EXPECT_FALSE(decoder.IsAllowed(kStart, 3));  // L-PER
  EXPECT_TRUE(decoder.IsAllowed(1, 2));        // B-PER I-PER
  EXPECT_TRUE(decoder.IsAllowed(1, 3));        // B-PER L-PER
  EXPECT_FALSE(decoder.IsAllowed(1, 0));       // B-PER O: the name never ends
  EXPECT_FALSE(decoder.IsAllowed(2, 7));       // I-PER L-LOC
  EXPECT_FALSE(decoder.IsAllowed(3, 2));       // L-PER I-PER
  EXPECT_TRUE(decoder.IsAllowed(3, 5));        // L-PER B-LOC
  EXPECT_TRUE(decoder.IsAllowed(4, 8));        // U-PER U-LOC
  EXPECT_FALSE(decoder.IsAllowedLast(1));
  EXPECT_FALSE(decoder.IsAllowedLast(2));
  EXPECT_TRUE(decoder.IsAllowedLast(3));
  EXPECT_TRUE(decoder.IsAllowedLast(8));
  // IOB2 keeps its rules: a name may end anywhere.
  const ner::Decoder iob2({"O", "B-PER", "I-PER"});
  EXPECT_TRUE(iob2.IsAllowed(1, 0));
  EXPECT_FALSE(iob2.IsAllowed(0, 2));
  EXPECT_TRUE(iob2.IsAllowedLast(1));
  // U- and L- read as the start and the end of names.
  EXPECT_THAT(ner::SpansFromTagIds(tags, {4, 0, 1, 2, 3, 8, 5, 7}),
              ElementsAre(NerSpan{0, 1, "PER"}, NerSpan{2, 5, "PER"}, NerSpan{5, 6, "LOC"},
                          NerSpan{6, 8, "LOC"}));
}

TEST(NerFeatures, StyleTellsATitleFromASentence) {
  ner::Model model;
  model.tags = {"O", "B-PER", "I-PER"};
  model.hash_bits = 16;
  model.feature_groups = ner::kFeatureStyle;
  std::vector<ner::SentenceFeatures> title;
  std::vector<ner::SentenceFeatures> prose;
  ner::ExtractFeatures(model, {{"Paris", "Saint-Germain"}}, &title);
  ner::ExtractFeatures(model, {{"Paris", "Saint-Germain", "."}}, &prose);
  auto first_token = [](const ner::SentenceFeatures& features) {
    return std::vector<std::uint32_t>(features.rows.begin(),
                                      features.rows.begin() + features.starts[1]);
  };
  EXPECT_NE(first_token(title[0]), first_token(prose[0]));
  model.feature_groups = 0;
  ner::ExtractFeatures(model, {{"Paris", "Saint-Germain"}}, &title);
  ner::ExtractFeatures(model, {{"Paris", "Saint-Germain", "."}}, &prose);
  EXPECT_EQ(first_token(title[0]), first_token(prose[0]));
}

// A word of listed names brings the kinds and places of names it occurs in: "Keynes" ends
// people's names, an unlisted word brings nothing, and without the group neither does.
TEST(NerFeatures, NameWordsMarkWordsOfListedNames) {
  ner::Model model;
  model.tags = {"O", "B-PER", "I-PER"};
  model.hash_bits = 16;
  model.feature_groups = ner::kFeatureNameWords;
  model.gazetteer.types = {"LOC", "MISC", "ORG", "PER"};
  model.gazetteer.words = {{ner::WordHash("Keynes"), 1u << (4 * 3 + ner::kPlaceLast)},
                           {ner::WordHash("Milton"), 1u << (4 * 3 + ner::kPlaceFirst)}};
  auto rows_of = [&](const std::vector<std::string_view>& sentence, std::size_t token) {
    std::vector<ner::SentenceFeatures> features;
    ner::ExtractFeatures(model, {sentence}, &features);
    return std::vector<std::uint32_t>(features[0].rows.begin() + features[0].starts[token],
                                      features[0].rows.begin() + features[0].starts[token + 1]);
  };
  // The same first word, beside a listed surname or an unlisted word.
  EXPECT_NE(rows_of({"Milton", "Keynes"}, 0), rows_of({"Milton", "Kxynes"}, 0));
  EXPECT_NE(rows_of({"Kxynes", "Keynes"}, 1), rows_of({"Kxynes", "Kxynes"}, 1));
  EXPECT_EQ(rows_of({"Abc", "Kxynes"}, 1), rows_of({"Abd", "Kxynes"}, 1));
  // Without the group, the first word's features do not see the next word at all.
  model.feature_groups = 0;
  EXPECT_EQ(rows_of({"Milton", "Keynes"}, 0), rows_of({"Milton", "Kxynes"}, 0));
  EXPECT_EQ(ner::NamePlaceOf(0, 1), ner::kPlaceUnit);
  EXPECT_EQ(ner::NamePlaceOf(0, 3), ner::kPlaceFirst);
  EXPECT_EQ(ner::NamePlaceOf(1, 3), ner::kPlaceInside);
  EXPECT_EQ(ner::NamePlaceOf(2, 3), ner::kPlaceLast);
}

TEST(NerFeatures, TellsHowAWordIsWritten) {
  EXPECT_EQ(ner::WrittenCase("paris"), ner::WordCase::kLower);
  EXPECT_EQ(ner::WrittenCase("Paris"), ner::WordCase::kCapitalised);
  EXPECT_EQ(ner::WrittenCase("McDonald"), ner::WordCase::kCapitalised);
  EXPECT_EQ(ner::WrittenCase("I"), ner::WordCase::kCapitalised);
  EXPECT_EQ(ner::WrittenCase("NATO"), ner::WordCase::kUpper);
  EXPECT_EQ(ner::WrittenCase("ÉTAT"), ner::WordCase::kUpper);
  EXPECT_EQ(ner::WrittenCase("1996-08-30"), std::nullopt);
  EXPECT_EQ(ner::WrittenCase("iPhone"), std::nullopt);
  EXPECT_TRUE(ner::IsCapsSentence({"SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN", "."}));
  EXPECT_FALSE(ner::IsCapsSentence({"The", "CIA", "spied", "on", "France", "."}));
  EXPECT_FALSE(ner::IsCapsSentence({"NATO", "."}));  // one word is no sentence
}

// A cable in capitals reads as its words are usually written: the lexicon's lower-case and
// upper-case words, every other word capitalised, the first word capitalised whatever it is.
TEST(NerFeatures, ReadsASentenceInCapitalsAsUsuallyWritten) {
  ner::Model model;
  model.casing = {{ner::WordHash("met"), ner::WordCase::kLower},
                  {ner::WordHash("in"), ner::WordCase::kLower},
                  {ner::WordHash("the"), ner::WordCase::kOnlyLower},
                  {ner::WordHash("nato"), ner::WordCase::kUpper},
                  {ner::WordHash("état"), ner::WordCase::kLower}};
  const std::vector<NerSentence> sentences = {
      {"THE", "ENVOY", "MET", "NATO", "OFFICIALS", "IN", "ÉVIAN", "."},
      {"The", "envoy", "met", "NATO", "officials", "."}};
  std::deque<std::string> storage;
  std::vector<NerSentence> out;
  ASSERT_TRUE(ner::ReadableSentences(model, sentences, &storage, &out));
  EXPECT_THAT(out[0], ElementsAre("The", "Envoy", "met", "NATO", "Officials", "in", "Évian", "."));
  EXPECT_EQ(out[1], sentences[1]);
  // Nothing in capitals, or no lexicon: nothing to rewrite.
  EXPECT_FALSE(ner::ReadableSentences(model, {sentences[1]}, &storage, &out));
  model.casing.clear();
  EXPECT_FALSE(ner::ReadableSentences(model, sentences, &storage, &out));
}

TEST(NerDecoder, BalancesTheBracketsOfNames) {
  const NerSentence tokens = {"Tour", "Perret", "(", "tour", "d'orientation", ")", ",",
                              "Mato", "Grosso", ")", "et", "Lisboa", "(", "VR", ")"};
  std::vector<NerSpan> spans = {{0, 5, "ORG"}, {7, 10, "LOC"}, {11, 15, "LOC"}};
  ner::BalanceBrackets(tokens, &spans);
  EXPECT_THAT(spans, ElementsAre(NerSpan{0, 6, "ORG"}, NerSpan{7, 9, "LOC"},
                                 NerSpan{11, 15, "LOC"}));
  // A name ends before a bracket left open, unless the next token closes it and belongs to no
  // other name.
  const NerSentence more = {"Saussey", "(", "Manche", ")"};
  std::vector<NerSpan> split = {{0, 2, "LOC"}, {2, 3, "LOC"}};
  ner::BalanceBrackets(more, &split);
  EXPECT_THAT(split, ElementsAre(NerSpan{0, 1, "LOC"}, NerSpan{2, 3, "LOC"}));
  std::vector<NerSpan> taken = {{0, 3, "LOC"}, {3, 4, "LOC"}};
  ner::BalanceBrackets(more, &taken);
  EXPECT_THAT(taken, ElementsAre(NerSpan{0, 1, "LOC"}, NerSpan{3, 4, "LOC"}));
  // A bracket closing nothing inside a name ends it.
  const NerSentence party = {"Front", "National", "(", "FN", ")", "and", "Union"};
  std::vector<NerSpan> cut = {{0, 2, "ORG"}, {3, 7, "ORG"}};
  ner::BalanceBrackets(party, &cut);
  EXPECT_THAT(cut, ElementsAre(NerSpan{0, 2, "ORG"}, NerSpan{3, 4, "ORG"}));
}

// The French recipe's training options: BILOU tags, a margin, feature dropout and weighted
// documents still learn the corpus, and give the same bytes twice.
TEST(NerTrainer, LearnsWithBilouMarginDropoutAndWeights) {
  auto corpus = ParseConll(kTinyCorpus, "tiny");
  ASSERT_TRUE(corpus.ok());
  auto train = [&] {
    auto model = std::make_shared<ner::Model>();
    model->lang = "fr";
    model->hash_bits = 12;
    model->tags = ner::TagSetOf({&*corpus}, ner::TagScheme::kBilou);
    ner::TrainOptions options;
    options.max_epochs = 20;
    options.margin = 2;
    options.feature_dropout = 0.1;
    options.document_weights = {1.0f, 1.0f, 1.0f, 0.5f};
    (void)ner::Train(*corpus, {}, options, model.get());
    return model;
  };
  const auto model = train();
  EXPECT_THAT(model->tags, ElementsAre("O", "B-LOC", "I-LOC", "L-LOC", "U-LOC", "B-ORG", "I-ORG",
                                       "L-ORG", "U-ORG", "B-PER", "I-PER", "L-PER", "U-PER"));
  const Tagger tagger(model);
  EXPECT_THAT(tagger.Tag({"Bob", "Marley", "visited", "Rome", "."}),
              ElementsAre(NerSpan{0, 2, "PER"}, NerSpan{3, 4, "LOC"}));
  EXPECT_THAT(tagger.Tag({"Carol", "works", "for", "Acme", "Corp", "."}),
              ElementsAre(NerSpan{0, 1, "PER"}, NerSpan{3, 5, "ORG"}));
  EXPECT_EQ(ner::SerializeModel(*train()), ner::SerializeModel(*model));
}

std::string ModelPath(const std::string& lang) {
  return std::string(TROVE_SOURCE_DIR) + "/models/ner-" + lang + ".bin";
}

TEST(NerTagger, DefaultModelPathHonoursTroveModels) {
  ::setenv("TROVE_MODELS", "/opt/trove-models", 1);
  EXPECT_EQ(DefaultNerModelPath("fr"), "/opt/trove-models/ner-fr.bin");
  ::unsetenv("TROVE_MODELS");
  EXPECT_EQ(DefaultNerModelPath("en"), ModelPath("en"));
}

TEST(NerTagger, FindsThePersonAndPlaceInASeedArticleSentence) {
  auto tagger = Tagger::Load(ModelPath("en"));
  ASSERT_TRUE(tagger.ok()) << tagger.status().ToString();
  EXPECT_EQ(tagger->lang(), "en");
  // From ../shared/data/seed-article/.
  const std::string text =
      "One of the more interesting revelations involved then-president Nicolas Sarkozy whose "
      "self-identification as \"Sarkozy the American\" was not enough to shield him from "
      "espionage. The CIA spied on France before the 2012 election.";
  const std::vector<NerMention> mentions = tagger->TagText(text);
  bool has_sarkozy = false;
  bool has_france = false;
  for (const NerMention& m : mentions) {
    EXPECT_EQ(text.substr(m.begin, m.end - m.begin), m.text);
    has_sarkozy |= m.type == "PER" && m.text == "Nicolas Sarkozy";
    has_france |= m.type == "LOC" && m.text == "France";
  }
  EXPECT_TRUE(has_sarkozy);
  EXPECT_TRUE(has_france);
}

// Telegrams and cables are written in capitals; the shipped models read them with their
// casing lexicons (CoNLL-2003 dev in capitals: F1 56.6 without, 83 with).
TEST(NerTagger, FindsNamesInASentenceInCapitals) {
  for (const auto& [lang, text, person, place] :
       {std::tuple{"en", "TONY BLAIR MET NICOLAS SARKOZY IN PARIS ON MONDAY .", "TONY BLAIR",
                   "PARIS"},
        std::tuple{"fr", "LE PRÉSIDENT FRANÇOIS HOLLANDE A REÇU ANGELA MERKEL À BERLIN .",
                   "FRANÇOIS HOLLANDE", "BERLIN"}}) {
    auto tagger = Tagger::Load(ModelPath(lang));
    ASSERT_TRUE(tagger.ok()) << tagger.status().ToString();
    const std::vector<NerMention> mentions = tagger->TagText(text);
    auto has = [&](const std::string& type, const std::string& name) {
      return std::any_of(mentions.begin(), mentions.end(),
                         [&](const NerMention& m) { return m.type == type && m.text == name; });
    };
    // The mentions are the text as written, in capitals.
    EXPECT_TRUE(has("PER", person)) << lang;
    EXPECT_TRUE(has("LOC", place)) << lang;
  }
}

TEST(NerTagger, FindsThePersonAndPlaceInAFrenchSentence) {
  auto tagger = Tagger::Load(ModelPath("fr"));
  ASSERT_TRUE(tagger.ok()) << tagger.status().ToString();
  EXPECT_EQ(tagger->lang(), "fr");
  const std::vector<NerSpan> spans = tagger->Tag(
      {"Le", "président", "Jacques", "Chirac", "s'", "est", "rendu", "à", "Marseille", "."});
  EXPECT_THAT(spans, ::testing::Contains(NerSpan{2, 4, "PER"}));
  EXPECT_THAT(spans, ::testing::Contains(NerSpan{8, 9, "LOC"}));
}

// --- the CLI -----------------------------------------------------------------------------------

// The `trove` binary sits at the root of the build tree; this test at tests/analyze/ in it.
std::string TroveBinary() {
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  return (self.parent_path().parent_path().parent_path() / "trove").string();
}

struct RunResult {
  int exit_code = -1;
  std::string out;
};

RunResult RunCommand(const std::string& command) {
  RunResult result;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) result.out.append(buf, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(NerCli, EvalPrintsScoresAsJson) {
  const std::string trove = TroveBinary();
  ASSERT_TRUE(std::filesystem::exists(trove)) << trove << " missing: build the trove target";
  testing::TempDir dir;
  const std::string conll = dir.Sub("small.conll");
  std::ofstream(conll) << "-DOCSTART- -X- -X- O\n\n"
                          "Germany NNP B-NP I-LOC\n's POS B-NP O\nrepresentative NN I-NP O\n"
                          "to TO B-PP O\nthe DT B-NP O\nEuropean NNP I-NP I-ORG\n"
                          "Union NNP I-NP I-ORG\n's POS B-NP O\nveterinary JJ I-NP O\n"
                          "committee NN I-NP O\nWerner NNP I-NP I-PER\nZwingmann NNP I-NP I-PER\n"
                          "said VBD B-VP O\n. . O O\n";
  const RunResult run =
      RunCommand(trove + " ner --eval " + conll + " --json --model " + ModelPath("en"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json out = nlohmann::json::parse(run.out);
  EXPECT_EQ(out["tokens"], 14);
  EXPECT_EQ(out["overall"]["gold"], 3);
  EXPECT_GE(out["overall"]["correct"], 2);
  EXPECT_EQ(out["by_type"]["PER"]["gold"], 1);
  EXPECT_GT(out["tokens_per_second"], 0);

  const RunResult text = RunCommand(trove + " ner --eval " + conll + " --model " + ModelPath("en"));
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("overall"));
  EXPECT_THAT(text.out, HasSubstr("tokens/s"));
}

TEST(NerCli, ExitCodesFollowTheOtherCommands) {
  const std::string trove = TroveBinary();
  ASSERT_TRUE(std::filesystem::exists(trove)) << trove << " missing: build the trove target";
  testing::TempDir dir;
  const std::string conll = dir.Sub("x.conll");
  std::ofstream(conll) << "Paris B-LOC\n";
  EXPECT_EQ(
      RunCommand(trove + " ner --eval " + conll + " --model " + dir.Sub("none.bin")).exit_code, 1);
  EXPECT_EQ(RunCommand(trove + " ner --model " + ModelPath("en")).exit_code, 2);
  EXPECT_EQ(RunCommand(trove + " ner --eval " + conll + " --lang de").exit_code, 2);
}

}  // namespace
}  // namespace trove::analyze
