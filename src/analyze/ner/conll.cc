// CoNLL-format corpora and conlleval-style scoring (exact span and type; precision, recall and
// F1 per type and overall).
#include <chrono>
#include <string>

#include <time.h>

#include "analyze/ner.h"
#include "core/file.h"

namespace trove::analyze {
namespace {

std::string_view TypeOf(std::string_view tag) { return tag.size() > 2 ? tag.substr(2) : ""; }

bool IsValidTag(std::string_view tag) {
  return tag == "O" || (tag.size() > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-');
}

// WikiANN writes every token as "fr:token"; the prefix is a language code and a colon.
bool HasLanguagePrefix(std::string_view token) {
  return token.size() > 3 && token[2] == ':' && token[0] >= 'a' && token[0] <= 'z' &&
         token[1] >= 'a' && token[1] <= 'z';
}

// CPU time of the calling thread: tagging speed per core, whatever else runs on the machine.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

Result<std::vector<ConllDocument>> ReadConll(const std::string& path) {
  TROVE_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  return ParseConll(text, path);
}

Result<std::vector<ConllDocument>> ParseConll(std::string_view text, const std::string& name) {
  std::vector<ConllDocument> documents(1);
  ConllSentence sentence;
  std::vector<std::string> iob;
  bool is_prefixed = false;
  bool is_first_token = true;
  auto end_sentence = [&] {
    if (sentence.tokens.empty()) return;
    ConvertIob1ToIob2(sentence.tags);
    documents.back().push_back(std::move(sentence));
    sentence = ConllSentence();
  };
  bool has_docstart = false;
  std::size_t line_number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
      end_sentence();
      continue;
    }
    line = line.substr(first, line.find_last_not_of(" \t") + 1 - first);
    if (line.rfind("-DOCSTART-", 0) == 0) {
      end_sentence();
      has_docstart = true;
      if (!documents.back().empty()) documents.emplace_back();
      continue;
    }
    const std::size_t token_end = line.find_first_of(" \t");
    const std::size_t tag_begin = line.find_last_of(" \t");
    if (token_end == std::string_view::npos) {
      return Status::Corrupt(name + ":" + std::to_string(line_number) +
                             ": expected a token and a tag, found one column");
    }
    std::string_view token = line.substr(0, token_end);
    const std::string_view tag = line.substr(tag_begin + 1);
    if (!IsValidTag(tag)) {
      return Status::Corrupt(name + ":" + std::to_string(line_number) + ": bad tag \"" +
                             std::string(tag) + "\" (expected O, B-TYPE or I-TYPE)");
    }
    if (is_first_token) {
      is_prefixed = HasLanguagePrefix(token);
      is_first_token = false;
    }
    if (is_prefixed && HasLanguagePrefix(token)) token.remove_prefix(3);
    sentence.tokens.emplace_back(token);
    sentence.tags.emplace_back(tag);
  }
  end_sentence();
  if (documents.back().empty() && documents.size() > 1) documents.pop_back();
  if (!has_docstart) {
    // Without document boundaries, sentences are taken to be unrelated (WikiANN): the
    // document-wide features must not look across them.
    std::vector<ConllDocument> single;
    for (ConllSentence& sentence : documents[0]) single.push_back({std::move(sentence)});
    return single;
  }
  return documents;
}

void ConvertIob1ToIob2(std::vector<std::string>& tags) {
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (tags[i].rfind("I-", 0) != 0) continue;
    if (i == 0 || tags[i - 1] == "O" || TypeOf(tags[i - 1]) != TypeOf(tags[i])) tags[i][0] = 'B';
  }
}

std::vector<NerSpan> SpansFromTags(const std::vector<std::string>& tags) {
  std::vector<NerSpan> spans;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (tags[i] == "O") continue;
    const std::string_view type = TypeOf(tags[i]);
    std::size_t end = i + 1;
    while (end < tags.size() && tags[end][0] == 'I' && TypeOf(tags[end]) == type) ++end;
    spans.push_back({i, end, std::string(type)});
    i = end - 1;
  }
  return spans;
}

double NerCounts::Precision() const { return Percent(correct, predicted); }
double NerCounts::Recall() const { return Percent(correct, gold); }
double NerCounts::F1() const {
  const double p = Precision();
  const double r = Recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

double NerScores::TokensPerSecond() const {
  return tag_seconds > 0 ? static_cast<double>(tokens) / tag_seconds : 0.0;
}

double NerScores::TokensPerCpuSecond() const {
  return tag_cpu_seconds > 0 ? static_cast<double>(tokens) / tag_cpu_seconds : 0.0;
}

void NerScores::Add(const std::vector<NerSpan>& gold, const std::vector<NerSpan>& predicted) {
  ++sentences;
  for (const NerSpan& span : gold) {
    ++by_type[span.type].gold;
    ++overall.gold;
  }
  for (const NerSpan& span : predicted) {
    ++by_type[span.type].predicted;
    ++overall.predicted;
  }
  // Both lists are sorted and non-overlapping, so a merge walk finds the exact matches.
  std::size_t gold_idx = 0;
  for (const NerSpan& span : predicted) {
    while (gold_idx < gold.size() && gold[gold_idx].begin < span.begin) ++gold_idx;
    if (gold_idx < gold.size() && gold[gold_idx] == span) {
      ++by_type[span.type].correct;
      ++overall.correct;
    }
  }
}

NerScores EvaluateTagger(const Tagger& tagger, const std::vector<ConllDocument>& corpus) {
  NerScores scores;
  std::vector<NerSentence> sentences;
  for (const ConllDocument& document : corpus) {
    sentences.clear();
    for (const ConllSentence& sentence : document) {
      sentences.emplace_back(sentence.tokens.begin(), sentence.tokens.end());
      scores.tokens += sentence.tokens.size();
    }
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuSeconds();
    const std::vector<std::vector<NerSpan>> predicted = tagger.TagDocument(sentences);
    scores.tag_cpu_seconds += ThreadCpuSeconds() - cpu_start;
    scores.tag_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (std::size_t sentence_idx = 0; sentence_idx < document.size(); ++sentence_idx) {
      scores.Add(SpansFromTags(document[sentence_idx].tags), predicted[sentence_idx]);
    }
  }
  return scores;
}

}  // namespace trove::analyze
