// Near-duplicate detection (index/internal/minhash.h): precision and recall on a labelled set
// made from real mail, and throughput on a large corpus.
//
//   bench_near_dups --mail DIR [--bases 1000] [--seed 1]
//       DIR: the easy-ham messages of the SpamAssassin corpus (bench/README.md). The first
//       `bases` messages with enough text are the originals. Positives: each original against
//       one variant made by each rule below. Negatives: each original against 20 other
//       originals drawn at random (SpamAssassin's ham has few natural near-duplicates; a drawn
//       pair with a similarity over 0.5 is reported, not counted).
//   bench_near_dups --mail DIR --hard ROOT [--examples 5] [--pairs FILE]
//       The same, then hard negatives: pairs of different real messages from every folder of
//       ROOT (the SpamAssassin groups; folders named spam* hold spam), in the categories below,
//       with the pairs the detector calls duplicates printed by path so that a person can judge;
//       --pairs writes every categorised pair found at 0.5 or more as TSV.
//   bench_near_dups --corpus corpus.tsv [--docs 1000000]
//       Signatures per second over the corpus bodies, then the LSH grouping: every band key
//       sorted, candidate pairs counted; peak RSS.
//
// Variant rules (stated, so that the set can be rebuilt):
//   header   a different header block and a signature added (a copy from another mailbox)
//   forward  "---------- Forwarded message ---------" with From/Date/Subject lines before, and
//            "> " before every line (a forward that quotes)
//   ocr      2% of the letters replaced by OCR look-alikes (l->1, o->0, e->c, m->rn, i->l)
//   reflow   the lines re-wrapped at 50 columns, spacing doubled
//   trim     the last 15% of the text dropped (a truncated copy)
//
// Hard-negative categories (--hard; each pair of messages goes to the first that fits):
//   reply        one message names the other in In-Reply-To or References (it answers it,
//                usually quoting it)
//   thread       same thread, neither naming the other: linked through references, or ham
//                with the same normalised subject (core/email.h); siblings quoting one parent
//   list         same mailing list (List-Id, Mailing-List or X-Mailing-List), other threads:
//                the same list footer under different posts
//   sender       ham from the same From address, other lists and threads: newsletter issues,
//                feed items, one person's signature
//   spam         two spam messages sharing identical lines (normalised as below) of at least
//                30 words in all: one template, other offers
//   boilerplate  any other pair sharing identical lines of at least 30 words: disclaimers,
//                footers of sister lists, quoted digests
// A categorised pair is a negative only when the two texts differ enough (the copy rule): their
// folded words, links, addresses and words holding digits left out, are compared by a word diff
// (the shortest edit script, so re-wrapped lines and quote markers do not count), and the words
// inserted or deleted ("new words", both sides together) must reach max(10, 25% of the shorter
// text's words). Pairs below that are copies, not negatives: a resent spam with other links, a
// reply quoting the whole original and adding a line (the "header" and "forward" positives are
// exactly that). They are counted and their similarities reported apart. Pairs estimated below
// 0.25 similarity are negatives without a diff. Identical texts are left out. "Shared lines"
// (spam, boilerplate) compare whole lines normalised the same way.
// Texts, for the hard negatives and the positives they are weighed against: roughly what the
// e-mail extractor indexes (the first text/plain part, else text/html with its tags stripped;
// quoted-printable and base64 undone), not the raw bodies of the first table, where HTML tags and
// encoded lines would make template mail look more alike than its text is.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench/bench_util.h"
#include "core/email.h"
#include "core/text.h"
#include "index/index.h"
#include "index/internal/minhash.h"

namespace fs = std::filesystem;
using trove::index::internal::BandKeys;
using trove::index::internal::MinHashOf;
using trove::index::internal::Signature;
using trove::index::internal::Similarity;

namespace {

std::string Body(const std::string& message) {
  const std::size_t end = message.find("\n\n");
  return end == std::string::npos ? message : message.substr(end + 2);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const std::size_t end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

// The header fields of a raw message (the mbox "From " line skipped, folded lines joined), by
// lower-case name; the first occurrence wins.
std::map<std::string, std::string> Headers(const std::string& message) {
  std::map<std::string, std::string> headers;
  std::istringstream in(message.substr(0, message.find("\n\n")));
  std::string line, name, value;
  auto flush = [&] {
    if (!name.empty()) headers.emplace(Lower(name), Trim(value));
    name.clear();
    value.clear();
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("From ")) continue;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      value += " " + Trim(line);
      continue;
    }
    flush();
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    name = line.substr(0, colon);
    value = line.substr(colon + 1);
  }
  flush();
  return headers;
}

// A header parameter ("boundary", "charset") of a Content-Type value; empty when absent.
std::string HeaderParameter(std::string_view value, std::string_view name) {
  const std::string lower = Lower(value);
  std::size_t pos = 0;
  while ((pos = lower.find(name, pos)) != std::string::npos) {
    const std::size_t after = pos + name.size();
    const bool starts_word =
        pos == 0 || lower[pos - 1] == ';' || lower[pos - 1] == ' ' || lower[pos - 1] == '\t';
    if (!starts_word || after >= lower.size() || lower[after] != '=') {
      pos = after;
      continue;
    }
    std::string_view rest = value.substr(after + 1);
    if (!rest.empty() && rest[0] == '"') {
      rest.remove_prefix(1);
      return std::string(rest.substr(0, rest.find('"')));
    }
    return Trim(rest.substr(0, rest.find_first_of("; \t")));
  }
  return {};
}

std::string DecodeQuotedPrintable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t pos = 0; pos < in.size(); ++pos) {
    if (in[pos] != '=') {
      out += in[pos];
      continue;
    }
    if (pos + 1 < in.size() && in[pos + 1] == '\n') {  // soft line break
      ++pos;
    } else if (pos + 2 < in.size() && in[pos + 1] == '\r' && in[pos + 2] == '\n') {
      pos += 2;
    } else if (pos + 2 < in.size() && hex(in[pos + 1]) >= 0 && hex(in[pos + 2]) >= 0) {
      out += static_cast<char>(hex(in[pos + 1]) * 16 + hex(in[pos + 2]));
      pos += 2;
    } else {
      out += '=';
    }
  }
  return out;
}

std::string DecodeBase64(std::string_view in) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '+') value = 62;
    if (c == '/') value = 63;
    if (value < 0) continue;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xFF);
    out += static_cast<char>((bits >> 2) & 0xFF);
  } else if (count == 2) {
    out += static_cast<char>((bits >> 4) & 0xFF);
  }
  return out;
}

// HTML as a reader sees it: script, style and comments dropped, block tags as line breaks,
// other tags as spaces, the common entities decoded.
std::string StripHtml(std::string_view html) {
  std::string out;
  const std::string lower = Lower(html);
  std::size_t pos = 0;
  while (pos < html.size()) {
    if (html[pos] == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&nbsp;", ' '}, {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
      bool is_entity = false;
      for (const auto& [entity, replacement] : kEntities) {
        if (lower.compare(pos, entity.size(), entity) == 0) {
          out += replacement;
          pos += entity.size();
          is_entity = true;
          break;
        }
      }
      if (!is_entity) out += html[pos++];
      continue;
    }
    if (html[pos] != '<') {
      out += html[pos++];
      continue;
    }
    std::size_t end = std::string::npos;
    if (lower.compare(pos, 4, "<!--") == 0) {
      end = lower.find("-->", pos);
      end = end == std::string::npos ? html.size() : end + 3;
    } else {
      for (std::string_view raw : {"script", "style"}) {
        if (lower.compare(pos + 1, raw.size(), raw) == 0) {
          const std::size_t close = lower.find("</" + std::string(raw), pos);
          end = close == std::string::npos ? html.size() : lower.find('>', close);
        }
      }
      if (end == std::string::npos) end = lower.find('>', pos);
      end = end == std::string::npos ? html.size() : end + 1;
    }
    const std::string_view tag = std::string_view(lower).substr(pos, end - pos);
    bool is_block = false;
    for (std::string_view block : {"<br", "<p", "</p", "<div", "</div", "<tr", "</tr", "<li", "<h1",
                                   "<h2", "<h3", "</h", "<table", "</table"}) {
      is_block = is_block || tag.starts_with(block);
    }
    out += is_block ? '\n' : ' ';
    pos = end;
  }
  return out;
}

// The text of one MIME entity (headers, blank line, body): the first text/plain part, else the
// first text/html part with its tags stripped, transfer encodings undone. `is_html` tells which.
std::optional<std::string> EntityText(const std::string& entity, int depth, bool* is_html) {
  // A part without headers starts with its blank line.
  const bool has_headers = !entity.starts_with("\n");
  const std::map<std::string, std::string> headers =
      has_headers ? Headers(entity) : std::map<std::string, std::string>();
  const std::size_t split = has_headers ? entity.find("\n\n") : 0;
  const std::string body = split == std::string::npos ? std::string()
                           : has_headers              ? entity.substr(split + 2)
                                                      : entity.substr(1);
  const auto field = [&headers](const char* name) {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  };
  const std::string type = Lower(field("content-type"));
  if (type.starts_with("multipart/")) {
    const std::string boundary = HeaderParameter(field("content-type"), "boundary");
    if (boundary.empty() || depth > 8) return std::nullopt;
    const std::string delimiter = "\n--" + boundary;
    std::optional<std::string> html;
    const std::string text = "\n" + body;
    std::size_t pos = text.find(delimiter);
    while (pos != std::string::npos) {
      const std::size_t start = text.find('\n', pos + 1);
      if (start == std::string::npos) break;
      const std::size_t next = text.find(delimiter, start);
      const std::string part =
          text.substr(start + 1, (next == std::string::npos ? text.size() : next) - start - 1);
      bool part_is_html = false;
      std::optional<std::string> part_text = EntityText(part, depth + 1, &part_is_html);
      if (part_text && !part_is_html) {
        *is_html = false;
        return part_text;
      }
      if (part_text && !html) html = std::move(part_text);
      pos = next;
    }
    *is_html = html.has_value();
    return html;
  }
  if (!type.empty() && !type.starts_with("text/")) return std::nullopt;
  const std::string encoding = Lower(field("content-transfer-encoding"));
  std::string decoded = encoding == "quoted-printable" ? DecodeQuotedPrintable(body)
                        : encoding == "base64"         ? DecodeBase64(body)
                                                       : body;
  *is_html = type.starts_with("text/html") ||
             (type.empty() && Lower(decoded.substr(0, 2048)).find("<html") != std::string::npos);
  return *is_html ? StripHtml(decoded) : decoded;
}

// Roughly the text the e-mail extractor gives the index (the mbox "From " line skipped).
std::string VisibleText(const std::string& message) {
  std::string unix_lines;
  unix_lines.reserve(message.size());
  for (char c : message) {
    if (c != '\r') unix_lines += c;
  }
  bool is_html = false;
  return EntityText(unix_lines, 0, &is_html).value_or(std::string());
}

std::string Variant(const std::string& rule, const std::string& text, std::mt19937& rng) {
  if (rule == "header") {
    return "From: Records Office <records@example.org>\nDate: Mon, 3 Mar 2003 10:00:00\n"
           "Subject: copy for the file\n\n" +
           text + "\n--\nRecords Office, third floor\n";
  }
  if (rule == "forward") {
    std::string out =
        "FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Jane Roe "
        "<jane@example.org>\nDate: Tue, 4 Mar 2003\nSubject: as discussed\n\n> ";
    for (char c : text) {
      out += c;
      if (c == '\n') out += "> ";
    }
    return out;
  }
  if (rule == "ocr") {
    std::string out;
    std::uniform_real_distribution<double> coin(0, 1);
    for (char c : text) {
      if (coin(rng) < 0.02) {
        switch (c) {
          case 'l':
            out += '1';
            continue;
          case 'o':
            out += '0';
            continue;
          case 'e':
            out += 'c';
            continue;
          case 'm':
            out += "rn";
            continue;
          case 'i':
            out += 'l';
            continue;
          default:
            break;
        }
      }
      out += c;
    }
    return out;
  }
  if (rule == "reflow") {
    std::istringstream words(text);
    std::string word, out, line;
    while (words >> word) {
      if (line.size() + word.size() > 50) {
        out += line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : "  ") + word;
    }
    return out + line;
  }
  // trim
  return text.substr(0, text.size() * 85 / 100);
}

bool SharesBand(const Signature& a, const Signature& b) {
  const auto ka = BandKeys(a), kb = BandKeys(b);
  for (std::size_t i = 0; i < ka.size(); ++i) {
    if (ka[i] == kb[i]) return true;
  }
  return false;
}

struct Pair {
  std::string rule;  // "" for a negative
  double similarity;
  bool candidate;  // shares an LSH band
};

// Builds the labelled set, prints its table when `print`, and returns its pairs (the positives
// serve --hard too). Texts are the raw bodies, or with `visible` the decoded text.
std::vector<Pair> Labelled(const std::string& dir, std::size_t bases, unsigned seed, bool visible,
                           bool print) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  std::vector<Signature> signatures;
  for (const fs::path& file : files) {
    if (texts.size() >= bases) break;
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string body = visible ? VisibleText(buffer.str()) : Body(buffer.str());
    auto signature = MinHashOf(body);
    if (!signature) continue;
    texts.push_back(std::move(body));
    signatures.push_back(*signature);
  }
  std::mt19937 rng(seed);
  const std::vector<std::string> rules = {"header", "forward", "ocr", "reflow", "trim"};
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (const std::string& rule : rules) {
      const auto variant = MinHashOf(Variant(rule, texts[i], rng));
      if (!variant) continue;
      pairs.push_back(
          {rule, Similarity(signatures[i], *variant), SharesBand(signatures[i], *variant)});
    }
  }
  std::uniform_int_distribution<std::size_t> pick(0, texts.size() - 1);
  std::size_t natural = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (int n = 0; n < 20; ++n) {
      const std::size_t j = pick(rng);
      if (j == i) continue;
      const double s = Similarity(signatures[i], signatures[j]);
      if (s > 0.5) {  // a natural near-duplicate (a resent message, a digest): not a negative
        ++natural;
        continue;
      }
      pairs.push_back({"", s, SharesBand(signatures[i], signatures[j])});
    }
  }
  if (!print) return pairs;
  std::size_t positives = 0, negatives = 0;
  for (const Pair& p : pairs) (p.rule.empty() ? negatives : positives)++;
  std::printf(
      "labelled set: %zu originals from %s, %zu positive pairs (5 rules), %zu negative "
      "pairs, %zu drawn pairs left out as natural near-duplicates; load %.2f\n\n",
      texts.size(), dir.c_str(), positives, negatives, natural, trove::bench::LoadAverage());
  std::printf("| similarity >= | precision | recall | header | forward | ocr | reflow | trim |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (double t : {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}) {
    std::map<std::string, std::pair<int, int>> by_rule;  // found, total
    int tp = 0, fp = 0, fn = 0;
    for (const Pair& p : pairs) {
      const bool found = p.candidate && p.similarity >= t;
      if (p.rule.empty()) {
        fp += found;
      } else {
        tp += found;
        fn += !found;
        by_rule[p.rule].first += found;
        by_rule[p.rule].second += 1;
      }
    }
    std::printf("| %.1f | %.4f | %.4f |", t, tp + fp ? double(tp) / (tp + fp) : 1.0,
                double(tp) / (tp + fn));
    for (const std::string& rule : rules) {
      std::printf(" %.3f |", double(by_rule[rule].first) / std::max(1, by_rule[rule].second));
    }
    std::printf("\n");
  }
  return pairs;
}

// --- Hard negatives -------------------------------------------------------------------------

constexpr double kHardThresholds[] = {0.5, 0.6, 0.7, 0.8};
constexpr double kDefaultSimilarity = trove::index::kDefaultSimilarity;  // similar: and collapse
// The copy rule and the shared-boilerplate rule (see the top of the file).
constexpr std::size_t kMinNewWords = 10;
constexpr double kMinNewShare = 0.25;
constexpr std::size_t kMinSharedWords = 30;
// Pairs estimated below this similarity share too few shingles to be copies (a copy by the rule
// keeps at least about 0.45 of them); the word diff is not run for them.
constexpr double kMinDiffSimilarity = 0.25;

enum class Category { kReply, kThread, kList, kSender, kSpam, kBoilerplate, kNone };
constexpr Category kCategories[] = {Category::kReply,  Category::kThread, Category::kList,
                                    Category::kSender, Category::kSpam,   Category::kBoilerplate};
constexpr std::size_t kCategoryCount = std::size(kCategories);

const char* CategoryName(Category category) {
  switch (category) {
    case Category::kReply:
      return "reply";
    case Category::kThread:
      return "thread";
    case Category::kList:
      return "list";
    case Category::kSender:
      return "sender";
    case Category::kSpam:
      return "spam";
    case Category::kBoilerplate:
      return "boilerplate";
    case Category::kNone:
      break;
  }
  return "none";
}

struct LineWords {
  std::uint64_t key;    // hash of the line's folded words
  std::uint32_t words;  // words of all the lines with this key in the message
};

struct Message {
  std::string path;  // relative to ROOT: "easy-ham-1/00003.860e...txt"
  bool is_spam = false;
  std::string message_id, from, list, subject, subject_key;
  std::vector<std::string> references;  // In-Reply-To and References
  std::string body;
  std::optional<Signature> signature;
  std::vector<std::string> bands;
  std::vector<LineWords> lines;     // sorted by key
  std::vector<std::uint64_t> text;  // the normalised words in order, hashed
  std::uint32_t words = 0;
};

// "<a@b>" ids in a header value, in order.
std::vector<std::string> MessageIds(std::string_view value) {
  std::vector<std::string> ids;
  std::size_t pos = 0;
  while ((pos = value.find('<', pos)) != std::string_view::npos) {
    const std::size_t end = value.find('>', pos);
    if (end == std::string_view::npos) break;
    ids.emplace_back(Lower(value.substr(pos, end - pos + 1)));
    pos = end + 1;
  }
  return ids;
}

// The address of a From header: inside <...> when present, else the first word with an '@'.
std::string Address(std::string_view from) {
  const std::vector<std::string> bracketed = MessageIds(from);
  for (const std::string& id : bracketed) {
    if (id.find('@') != std::string::npos) return id.substr(1, id.size() - 2);
  }
  std::istringstream words{std::string(from)};
  std::string word;
  while (words >> word) {
    if (word.find('@') != std::string::npos) return Lower(word);
  }
  return Lower(Trim(from));
}

std::uint64_t Fnv1a(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The body's lines as folded words with quote markers stripped, so that a quoted line matches
// the line it quotes; repeated lines add up their words.
void ReadLines(Message& message) {
  std::unordered_map<std::uint64_t, std::uint32_t> words_by_key;
  std::istringstream in(message.body);
  std::string line;
  while (std::getline(in, line)) {
    std::size_t start = 0;
    while (start < line.size() &&
           std::string_view(" \t>|").find(line[start]) != std::string::npos) {
      ++start;
    }
    // Links, addresses and words holding digits (tracking codes, hash busters, dates) are left
    // out: a copy sent with other links or codes is still a copy.
    std::istringstream raw_words(line.substr(start));
    std::string raw_word, kept;
    while (raw_words >> raw_word) {
      if (raw_word.find("://") != std::string::npos || raw_word.find('@') != std::string::npos ||
          Lower(raw_word).starts_with("www.")) {
        continue;
      }
      kept += raw_word + " ";
    }
    std::istringstream folded_words(trove::FoldedWords(kept));
    std::string word, normalised;
    std::uint32_t words = 0;
    while (folded_words >> word) {
      if (std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        continue;
      }
      normalised += (normalised.empty() ? "" : " ") + word;
      message.text.push_back(Fnv1a(word));
      ++words;
    }
    if (words == 0) continue;
    words_by_key[Fnv1a(normalised)] += words;
    message.words += words;
  }
  for (const auto& [key, words] : words_by_key) message.lines.push_back({key, words});
  std::sort(message.lines.begin(), message.lines.end(),
            [](const LineWords& a, const LineWords& b) { return a.key < b.key; });
}

// The words of `a` in lines that `b` has too: shared boilerplate (footers, disclaimers,
// templates) when the messages are otherwise unrelated.
std::uint32_t SharedLineWords(const Message& a, const Message& b) {
  std::uint32_t shared = 0;
  std::size_t ia = 0, ib = 0;
  while (ia < a.lines.size() && ib < b.lines.size()) {
    if (a.lines[ia].key < b.lines[ib].key) {
      ++ia;
    } else if (b.lines[ib].key < a.lines[ia].key) {
      ++ib;
    } else {
      shared += a.lines[ia].words;
      ++ia;
      ++ib;
    }
  }
  return shared;
}

std::vector<Message> ReadMessages(const std::string& root) {
  std::vector<fs::path> files;
  for (const auto& folder : fs::directory_iterator(root)) {
    if (!folder.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(folder.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Message> messages;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string raw = buffer.str();
    Message message;
    message.path = fs::relative(file, root).string();
    message.is_spam = message.path.starts_with("spam");
    const auto headers = Headers(raw);
    auto field = [&headers](const char* name) {
      const auto found = headers.find(name);
      return found == headers.end() ? std::string() : found->second;
    };
    const std::vector<std::string> ids = MessageIds(field("message-id"));
    if (!ids.empty()) message.message_id = ids.front();
    message.from = Address(field("from"));
    message.list = field("list-id");
    if (message.list.empty()) message.list = field("mailing-list");
    if (message.list.empty()) message.list = field("x-mailing-list");
    message.list = Lower(message.list);
    message.subject = field("subject");
    message.subject_key = trove::NormalizeSubject(message.subject).key;
    message.references = MessageIds(field("in-reply-to") + " " + field("references"));
    message.body = VisibleText(raw);
    message.signature = MinHashOf(message.body);
    if (!message.signature) continue;  // too short for a signature: never a near-duplicate
    message.bands = BandKeys(*message.signature);
    ReadLines(message);
    messages.push_back(std::move(message));
  }
  return messages;
}

// Threads: messages joined through references that resolve inside the corpus.
std::vector<std::size_t> ThreadRoots(const std::vector<Message>& messages) {
  std::vector<std::size_t> parent(messages.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&parent](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t idx = 0; idx < messages.size(); ++idx) {
    if (!messages[idx].message_id.empty()) by_id.emplace(messages[idx].message_id, idx);
  }
  for (std::size_t idx = 0; idx < messages.size(); ++idx) {
    for (const std::string& ref : messages[idx].references) {
      const auto found = by_id.find(ref);
      if (found != by_id.end()) parent[find(idx)] = find(found->second);
    }
  }
  std::vector<std::size_t> roots(messages.size());
  for (std::size_t idx = 0; idx < messages.size(); ++idx) roots[idx] = find(idx);
  return roots;
}

bool Names(const Message& reply, const Message& original) {
  return !original.message_id.empty() && std::find(reply.references.begin(), reply.references.end(),
                                                   original.message_id) != reply.references.end();
}

// The number of words inserted or deleted by the shortest edit script from `a` to `b` (Myers,
// "An O(ND) difference algorithm", 1986), or `max_distance` + 1 when it is larger: an
// O((N + M) max_distance) walk, cheap because only the copy rule's bound matters.
std::size_t EditDistance(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b,
                         std::size_t max_distance) {
  const auto n = static_cast<std::ptrdiff_t>(a.size());
  const auto m = static_cast<std::ptrdiff_t>(b.size());
  const auto max_d = static_cast<std::ptrdiff_t>(max_distance);
  std::vector<std::ptrdiff_t> furthest(2 * max_d + 3, 0);  // x reached on each diagonal k
  const std::ptrdiff_t offset = max_d + 1;
  for (std::ptrdiff_t d = 0; d <= max_d; ++d) {
    for (std::ptrdiff_t k = -d; k <= d; k += 2) {
      std::ptrdiff_t x =
          (k == -d || (k != d && furthest[offset + k - 1] < furthest[offset + k + 1]))
              ? furthest[offset + k + 1]
              : furthest[offset + k - 1] + 1;
      std::ptrdiff_t y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) return static_cast<std::size_t>(d);
    }
  }
  return max_distance + 1;
}

struct HardPair {
  std::size_t a, b;
  Category category;
  double similarity;
  bool candidate;
  bool is_copy;           // fails the copy rule: not a negative
  std::size_t new_words;  // by the word diff; 0 when not computed (similarity under the floor)
  std::uint32_t shared_line_words;
};

Category Categorise(const Message& a, const Message& b, bool same_thread,
                    std::uint32_t shared_line_words) {
  if (Names(a, b) || Names(b, a)) return Category::kReply;
  const bool both_ham = !a.is_spam && !b.is_spam;
  if (same_thread || (both_ham && !a.subject_key.empty() && a.subject_key == b.subject_key)) {
    return Category::kThread;
  }
  if (!a.list.empty() && a.list == b.list) return Category::kList;
  if (both_ham && !a.from.empty() && a.from == b.from) return Category::kSender;
  if (shared_line_words < kMinSharedWords) return Category::kNone;
  return a.is_spam && b.is_spam ? Category::kSpam : Category::kBoilerplate;
}

bool Found(double similarity, bool candidate, double threshold) {
  return candidate && similarity >= threshold;
}

void PrintPair(const std::vector<Message>& messages, const HardPair& pair) {
  const Message& a = messages[pair.a];
  const Message& b = messages[pair.b];
  std::printf("    %.3f  %s (%u words) ~ %s (%u words): %zu new words, %u in shared lines\n",
              pair.similarity, a.path.c_str(), a.words, b.path.c_str(), b.words, pair.new_words,
              pair.shared_line_words);
  std::printf("           \"%.70s\" ~ \"%.70s\"\n", a.subject.c_str(), b.subject.c_str());
}

int HardNegatives(const std::string& root, const std::vector<Pair>& positives, std::size_t examples,
                  const std::string& pairs_path) {
  const double start = trove::bench::NowSeconds();
  const std::vector<Message> messages = ReadMessages(root);
  if (messages.empty()) {
    std::fprintf(stderr, "no messages with a signature under %s\n", root.c_str());
    return 1;
  }
  const std::vector<std::size_t> thread_roots = ThreadRoots(messages);
  std::vector<HardPair> pairs;
  std::size_t identical = 0, spam_count = 0;
  for (const Message& message : messages) spam_count += message.is_spam;
  for (std::size_t ia = 0; ia < messages.size(); ++ia) {
    for (std::size_t ib = ia + 1; ib < messages.size(); ++ib) {
      const Message& a = messages[ia];
      const Message& b = messages[ib];
      const std::uint32_t shared_line_words = SharedLineWords(a, b);
      const Category category =
          Categorise(a, b, thread_roots[ia] == thread_roots[ib], shared_line_words);
      if (category == Category::kNone) continue;
      if (a.body == b.body) {  // the same text: a copy whatever the rule says
        ++identical;
        continue;
      }
      bool candidate = false;
      for (std::size_t band = 0; band < a.bands.size() && !candidate; ++band) {
        candidate = a.bands[band] == b.bands[band];
      }
      const double similarity = Similarity(*a.signature, *b.signature);
      bool is_copy = false;
      std::size_t new_words = 0;
      if (similarity >= kMinDiffSimilarity) {
        const auto bound = static_cast<std::size_t>(std::max<double>(
            kMinNewWords, kMinNewShare * static_cast<double>(std::min(a.words, b.words))));
        new_words = EditDistance(a.text, b.text, bound);
        is_copy = new_words < bound;
      }
      pairs.push_back(
          {ia, ib, category, similarity, candidate, is_copy, new_words, shared_line_words});
    }
  }

  std::printf(
      "\nhard negatives: %zu messages with a signature under %s (%zu spam), %zu categorised "
      "pairs, %zu with identical texts left out; %.1f s; load %.2f\n\n",
      messages.size(), root.c_str(), spam_count, pairs.size() + identical, identical,
      trove::bench::NowSeconds() - start, trove::bench::LoadAverage());

  // Populations and similarity distributions.
  std::printf(
      "| category | negative pairs | similarity p50 / p90 / p99 / max | copies (rule) | copies "
      "called duplicates at 0.6 |\n|---|---|---|---|---|\n");
  for (Category category : kCategories) {
    std::vector<double> negative, copy;
    std::size_t copies_found = 0;
    for (const HardPair& pair : pairs) {
      if (pair.category != category) continue;
      (pair.is_copy ? copy : negative).push_back(pair.similarity);
      if (pair.is_copy) copies_found += Found(pair.similarity, pair.candidate, kDefaultSimilarity);
    }
    std::sort(negative.begin(), negative.end());
    std::printf("| %s | %zu | %.3f / %.3f / %.3f / %.3f | %zu | %zu |\n", CategoryName(category),
                negative.size(), trove::bench::Quantile(negative, 0.5),
                trove::bench::Quantile(negative, 0.9), trove::bench::Quantile(negative, 0.99),
                negative.empty() ? 0.0 : negative.back(), copy.size(), copies_found);
  }

  // Negatives called duplicates, and precision against the labelled set's positives.
  std::printf(
      "\nnegatives called duplicates (share of the category), and precision = positives found / "
      "(positives found + these):\n\n| similarity >= | positives found |");
  for (Category category : kCategories) std::printf(" %s |", CategoryName(category));
  // trove's similar: and --collapse never pair a reply with the message it answers (index/
  // internal/similar.h): the reply category is exactly those pairs, so the last column is what
  // a user meets.
  std::printf(" all hard | all hard, reply links honoured |\n|---|---|");
  for (std::size_t idx = 0; idx <= kCategoryCount + 1; ++idx) std::printf("---|");
  std::printf("\n");
  for (double threshold : kHardThresholds) {
    std::size_t found_positives = 0, positive_count = 0;
    for (const Pair& pair : positives) {
      if (pair.rule.empty()) continue;
      ++positive_count;
      found_positives += Found(pair.similarity, pair.candidate, threshold);
    }
    std::array<std::size_t, kCategoryCount + 1> called{}, total{};
    for (const HardPair& pair : pairs) {
      if (pair.is_copy) continue;
      const auto slot = static_cast<std::size_t>(pair.category);
      const bool found = Found(pair.similarity, pair.candidate, threshold);
      called[slot] += found;
      ++total[slot];
      called[kCategoryCount] += found;
      ++total[kCategoryCount];
    }
    std::printf("| %.1f | %zu / %zu |", threshold, found_positives, positive_count);
    for (std::size_t slot = 0; slot <= kCategoryCount; ++slot) {
      const double precision = found_positives + called[slot] == 0
                                   ? 1.0
                                   : static_cast<double>(found_positives) /
                                         static_cast<double>(found_positives + called[slot]);
      std::printf(" %zu (%.2f%%) %.4f |", called[slot],
                  total[slot] == 0 ? 0.0 : 100.0 * called[slot] / total[slot], precision);
    }
    const std::size_t honoured =
        called[kCategoryCount] - called[static_cast<std::size_t>(Category::kReply)];
    std::printf(" %zu %.4f |\n", honoured,
                found_positives + honoured == 0
                    ? 1.0
                    : static_cast<double>(found_positives) /
                          static_cast<double>(found_positives + honoured));
  }

  if (!pairs_path.empty()) {
    std::ofstream out(pairs_path);
    out << "category\tlabel\tsimilarity\ta\tb\twords_a\twords_b\tnew_words\tshared_line_words\n";
    for (const HardPair& pair : pairs) {
      if (!Found(pair.similarity, pair.candidate, kHardThresholds[0])) continue;
      out << CategoryName(pair.category) << '\t' << (pair.is_copy ? "copy" : "negative") << '\t'
          << pair.similarity << '\t' << messages[pair.a].path << '\t' << messages[pair.b].path
          << '\t' << messages[pair.a].words << '\t' << messages[pair.b].words << '\t'
          << pair.new_words << '\t' << pair.shared_line_words << '\n';
    }
    if (!out) std::fprintf(stderr, "cannot write %s\n", pairs_path.c_str());
  }

  // Examples: the most similar negatives called duplicates at the default, then the copies the
  // rule left out, so that a person can judge both the detector and the rule.
  std::printf("\nexamples (similarity, paths under %s, words, new words, words in shared lines):\n",
              root.c_str());
  for (Category category : kCategories) {
    for (const bool copies : {false, true}) {
      std::vector<const HardPair*> shown;
      std::size_t count = 0;
      for (const HardPair& pair : pairs) {
        if (pair.category != category || pair.is_copy != copies) continue;
        if (!Found(pair.similarity, pair.candidate, kDefaultSimilarity)) continue;
        ++count;
        shown.push_back(&pair);
      }
      std::stable_sort(shown.begin(), shown.end(), [](const HardPair* x, const HardPair* y) {
        return x->similarity > y->similarity;
      });
      std::printf("  %s, %s called duplicates at %.1f: %zu%s\n", CategoryName(category),
                  copies ? "copies (not negatives)" : "negatives", kDefaultSimilarity, count,
                  count == 0 ? "" : ":");
      // Spread the examples over the range: the top, then evenly down to the threshold.
      const std::size_t limit = std::min(examples, shown.size());
      for (std::size_t idx = 0; idx < limit; ++idx) {
        const std::size_t pick = limit <= 1 ? 0 : idx * (shown.size() - 1) / (limit - 1);
        PrintPair(messages, *shown[pick]);
      }
    }
  }
  return 0;
}

int Throughput(const std::string& corpus, std::size_t docs) {
  trove::bench::CorpusReader reader(corpus);
  if (!reader.is_open()) {
    std::fprintf(stderr, "cannot read %s\n", corpus.c_str());
    return 1;
  }
  trove::bench::CorpusDoc doc;
  std::vector<std::pair<std::string, std::uint32_t>> keys;  // (band key, document)
  std::size_t read = 0, signed_docs = 0;
  std::uint64_t bytes = 0;
  const double start = trove::bench::NowSeconds();
  while (read < docs && reader.Next(&doc)) {
    ++read;
    bytes += doc.body.size();
    const auto signature = MinHashOf(doc.body);
    if (!signature) continue;
    ++signed_docs;
    for (std::string& key : BandKeys(*signature)) {
      keys.emplace_back(std::move(key), static_cast<std::uint32_t>(read));
    }
  }
  const double signed_at = trove::bench::NowSeconds();
  std::sort(keys.begin(), keys.end());
  std::uint64_t candidate_pairs = 0;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i;
    while (j < keys.size() && keys[j].first == keys[i].first) ++j;
    candidate_pairs += (j - i) * (j - i - 1) / 2;
    i = j;
  }
  const double end = trove::bench::NowSeconds();
  std::printf(
      "| documents | signed | MB | signatures/s | MB/s | LSH grouping s | candidate pairs | "
      "peak RSS MiB | load |\n|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %zu | %zu | %.1f | %.0f | %.2f | %.1f | %llu | %.0f | %.2f |\n", read, signed_docs,
              bytes / 1e6, read / (signed_at - start), bytes / 1e6 / (signed_at - start),
              end - signed_at, static_cast<unsigned long long>(candidate_pairs),
              trove::bench::PeakRssMib(), trove::bench::LoadAverage());
  std::printf("RESULT near_dup_signatures_per_s=%.0f docs=%zu\n", read / (signed_at - start), read);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mail, corpus, hard, pairs_path;
  std::size_t bases = 1000, docs = 1000000, examples = 5;
  unsigned seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--mail")
      mail = value;
    else if (flag == "--corpus")
      corpus = value;
    else if (flag == "--bases")
      bases = std::stoul(value);
    else if (flag == "--docs")
      docs = std::stoul(value);
    else if (flag == "--seed")
      seed = static_cast<unsigned>(std::stoul(value));
    else if (flag == "--hard")
      hard = value;
    else if (flag == "--examples")
      examples = std::stoul(value);
    else if (flag == "--pairs")
      pairs_path = value;
  }
  if (!mail.empty()) {
    const std::vector<Pair> pairs = Labelled(mail, bases, seed, /*visible=*/false, /*print=*/true);
    if (pairs.empty()) return 1;
    if (hard.empty()) return 0;
    // The hard negatives are compared on decoded text (below); so are their positives.
    const std::vector<Pair> visible_pairs =
        Labelled(mail, bases, seed, /*visible=*/true, /*print=*/false);
    return HardNegatives(hard, visible_pairs, examples, pairs_path);
  }
  if (!corpus.empty()) return Throughput(corpus, docs);
  std::fprintf(
      stderr,
      "usage: bench_near_dups --mail DIR [--bases N] [--seed N] [--hard ROOT] "
      "[--examples N] [--pairs FILE]\n       bench_near_dups --corpus corpus.tsv [--docs N]\n");
  return 2;
}
