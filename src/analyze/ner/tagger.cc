#include <cstdlib>
#include <deque>
#include <string>
#include <utility>

#include "analyze/ner.h"
#include "analyze/ner/decoder.h"
#include "analyze/ner/features.h"
#include "analyze/ner/model.h"
#include "core/file.h"

#ifndef TROVE_NER_MODEL_DIR
#define TROVE_NER_MODEL_DIR "models"
#endif

namespace trove::analyze {
namespace {

// Model files are tens of megabytes; anything far larger is not one of ours.
constexpr std::uint64_t kMaxModelBytes = 1ULL << 30;
// Longer "sentences" (tables, lists without punctuation) are cut: decoding is linear anyway,
// but features and training data never saw such lengths.
constexpr std::size_t kMaxSentenceTokens = 256;

}  // namespace

Tagger::Tagger(std::shared_ptr<const ner::Model> model) : model_(std::move(model)) {}

Result<Tagger> Tagger::Load(const std::string& path) {
  TROVE_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path, kMaxModelBytes));
  return FromBytes(bytes, path);
}

Result<Tagger> Tagger::FromBytes(std::string_view bytes, const std::string& name) {
  TROVE_ASSIGN_OR_RETURN(ner::Model model, ner::ParseModel(bytes, name));
  return Tagger(std::make_shared<const ner::Model>(std::move(model)));
}

const std::string& Tagger::lang() const { return model_->lang; }

std::vector<std::string> Tagger::types() const {
  std::vector<std::string> out;
  for (const std::string& tag : model_->tags) {
    if (tag.rfind("B-", 0) == 0) out.push_back(tag.substr(2));
  }
  return out;
}

std::vector<NerSpan> Tagger::Tag(const NerSentence& tokens) const {
  std::vector<std::vector<NerSpan>> spans = TagDocument({tokens});
  return std::move(spans[0]);
}

std::vector<std::vector<NerSpan>> Tagger::TagDocument(
    const std::vector<NerSentence>& sentences) const {
  // Per-thread scratch space: tagging allocates nothing once the buffers have grown.
  thread_local std::vector<ner::SentenceFeatures> features;
  thread_local std::vector<std::uint8_t> best;
  thread_local ner::SentenceFeatures history_features;
  // Sentences in capitals are read as their words are usually written.
  thread_local std::deque<std::string> rewritten;
  thread_local std::vector<NerSentence> truecased;
  rewritten.clear();
  const std::vector<NerSentence>& readable =
      ner::ReadableSentences(*model_, sentences, &rewritten, &truecased) ? truecased : sentences;
  ner::ExtractFeatures(*model_, readable, &features);
  ner::Decoder decoder(model_->tags);
  ner::PredictionHistory history(*model_);
  std::vector<std::vector<NerSpan>> out(sentences.size());
  for (std::size_t sentence_idx = 0; sentence_idx < sentences.size(); ++sentence_idx) {
    history.Features(readable[sentence_idx], &history_features);
    decoder.Decode(model_->weights.data(), model_->transitions.data(), features[sentence_idx],
                   &history_features, &best);
    history.Record(readable[sentence_idx], best);
    out[sentence_idx] = ner::SpansFromTagIds(model_->tags, best);
    ner::BalanceBrackets(sentences[sentence_idx], &out[sentence_idx]);
  }
  return out;
}

std::vector<NerMention> Tagger::TagText(std::string_view text) const {
  const std::vector<std::vector<NerToken>> tokenized = TokenizeForNer(text);
  std::vector<NerSentence> sentences;
  sentences.reserve(tokenized.size());
  for (const std::vector<NerToken>& tokens : tokenized) {
    NerSentence& sentence = sentences.emplace_back();
    for (const NerToken& token : tokens) sentence.push_back(token.text);
  }
  std::vector<NerMention> mentions;
  const std::vector<std::vector<NerSpan>> spans = TagDocument(sentences);
  for (std::size_t sentence_idx = 0; sentence_idx < spans.size(); ++sentence_idx) {
    const std::vector<NerToken>& tokens = tokenized[sentence_idx];
    for (const NerSpan& span : spans[sentence_idx]) {
      const NerToken& last = tokens[span.end - 1];
      NerMention mention;
      mention.begin = tokens[span.begin].offset;
      mention.end = last.offset + last.text.size();
      mention.type = span.type;
      mention.text = std::string(text.substr(mention.begin, mention.end - mention.begin));
      mentions.push_back(std::move(mention));
    }
  }
  return mentions;
}

std::string DefaultNerModelPath(std::string_view lang) {
  const char* dir = std::getenv("TROVE_MODELS");
  std::string base = dir != nullptr && *dir != '\0' ? dir : TROVE_NER_MODEL_DIR;
  return base + "/ner-" + std::string(lang) + ".bin";
}

// --- tokenisation of raw text ------------------------------------------------------------------

namespace {

enum class CharClass { kSpace, kWord, kPunct };

struct CodePoint {
  char32_t value = 0;
  std::size_t size = 1;
};

CodePoint Decode(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t size = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
  if (lead >= 0x80 && lead < 0xc0) size = 1;  // a stray continuation byte
  if (pos + size > text.size()) return {0xfffd, 1};
  char32_t value = size == 1 ? lead : lead & (0x7f >> size);
  for (std::size_t i = 1; i < size; ++i) {
    const auto c = static_cast<unsigned char>(text[pos + i]);
    if ((c & 0xc0) != 0x80) return {0xfffd, 1};
    value = (value << 6) | (c & 0x3f);
  }
  return {value, size};
}

CharClass Classify(char32_t c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xa0 ||
      (c >= 0x2000 && c <= 0x200b) || c == 0x202f || c == 0x3000) {
    return CharClass::kSpace;
  }
  if (c < 0x80) {
    const bool is_alnum =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return is_alnum ? CharClass::kWord : CharClass::kPunct;
  }
  // Latin-1 punctuation and symbols, general punctuation (quotes, dashes, ellipsis), and
  // currency signs; every other non-ASCII character counts as part of a word.
  if ((c >= 0xa1 && c <= 0xbf && c != 0xaa && c != 0xb5 && c != 0xba) || c == 0xd7 || c == 0xf7 ||
      (c >= 0x2010 && c <= 0x205e) || (c >= 0x20a0 && c <= 0x20cf)) {
    return CharClass::kPunct;
  }
  return CharClass::kWord;
}

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Short words that French elides before a vowel ("l'", "qu'", "jusqu'").
bool IsElision(std::string_view word) {
  std::string lower;
  for (const char c : word) lower.push_back(IsAsciiUpper(c) ? static_cast<char>(c + 32) : c);
  return lower == "l" || lower == "d" || lower == "j" || lower == "m" || lower == "n" ||
         lower == "s" || lower == "t" || lower == "c" || lower == "qu" || lower == "jusqu" ||
         lower == "lorsqu" || lower == "puisqu" || lower == "quoiqu";
}

// Words written with a final dot that does not end the sentence.
bool IsAbbreviation(std::string_view word) {
  if (word.size() == 1 && IsAsciiUpper(word[0])) return true;  // an initial: "J. Smith"
  static constexpr std::string_view kTitles[] = {
      "Mr",  "Mrs", "Ms",  "Dr",   "St",  "Gen",  "Sen", "Rep", "Gov", "Lt",  "Col",  "Prof",
      "Jr",  "Sr",  "Mt",  "Capt", "Sgt", "Corp", "Inc", "Ltd", "Co",  "Mme", "Mlle", "Me",
      "Jan", "Feb", "Aug", "Sept", "Oct", "Nov",  "Dec", "No",  "vs",  "etc"};
  for (const std::string_view title : kTitles) {
    if (word == title) return true;
  }
  return false;
}

}  // namespace

std::vector<std::vector<NerToken>> TokenizeForNer(std::string_view text) {
  std::vector<std::vector<NerToken>> sentences(1);
  auto emit = [&](std::size_t begin, std::size_t end) {
    if (end > begin) sentences.back().push_back({text.substr(begin, end - begin), begin});
  };
  auto end_sentence = [&] {
    if (!sentences.back().empty()) sentences.emplace_back();
  };
  std::size_t newlines = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const CodePoint cp = Decode(text, pos);
    const CharClass cls = Classify(cp.value);
    if (cls == CharClass::kSpace) {
      if (cp.value == '\n' || cp.value == '\f') ++newlines;
      if (newlines >= 2 || cp.value == '\f') end_sentence();
      pos += cp.size;
      continue;
    }
    newlines = 0;
    if (sentences.back().size() >= kMaxSentenceTokens) end_sentence();
    const std::size_t begin = pos;
    if (cls == CharClass::kPunct &&
        !(IsApostrophe(cp.value) && pos + cp.size < text.size() &&
          Classify(Decode(text, pos + cp.size).value) == CharClass::kWord)) {
      // A run of the same mark is one token ("...", "--"); others stand alone.
      std::size_t end = pos + cp.size;
      while (end < text.size() && Decode(text, end).value == cp.value) end += cp.size;
      emit(begin, end);
      pos = end;
      const bool ends_sentence =
          cp.value == '.' || cp.value == '!' || cp.value == '?' || cp.value == 0x2026;
      if (ends_sentence &&
          (pos >= text.size() || Classify(Decode(text, pos).value) == CharClass::kSpace)) {
        end_sentence();
      }
      continue;
    }
    // A word, possibly starting with an apostrophe ("'s"): letters and digits, joined across
    // a hyphen, a dot or comma between digits, and the dots of abbreviations such as "U.S.".
    std::size_t end = pos + cp.size;
    bool has_inner_dot = false;
    while (end < text.size()) {
      const CodePoint next = Decode(text, end);
      const CharClass next_cls = Classify(next.value);
      if (next_cls == CharClass::kWord) {
        end += next.size;
        continue;
      }
      if (next_cls != CharClass::kPunct || end + next.size >= text.size()) break;
      const CodePoint after = Decode(text, end + next.size);
      if (Classify(after.value) != CharClass::kWord) break;
      const auto prev = static_cast<unsigned char>(text[end - 1]);
      const bool prev_digit = prev >= '0' && prev <= '9';
      const bool after_digit = after.value >= '0' && after.value <= '9';
      if (next.value == '-' || next.value == '&' ||
          ((next.value == '.' || next.value == ',') && prev_digit && after_digit)) {
        end += next.size + after.size;
        continue;
      }
      if (next.value == '.' && end - begin <= 2 && !prev_digit) {
        has_inner_dot = true;  // "U.S", "e.g"
        end += next.size + after.size;
        continue;
      }
      if (IsApostrophe(next.value) && IsElision(text.substr(begin, end - begin))) {
        end += next.size;  // "l'", then the next word starts after the apostrophe
      }
      break;
    }
    if (end < text.size() && text[end] == '.' &&
        (has_inner_dot || IsAbbreviation(text.substr(begin, end - begin)))) {
      ++end;
    }
    emit(begin, end);
    pos = end;
  }
  if (sentences.back().empty()) sentences.pop_back();
  return sentences;
}

}  // namespace trove::analyze
