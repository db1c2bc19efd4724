#include "clusters.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <unordered_map>

namespace trove::train {
namespace {

// One exchange clustering. The objective is the log likelihood of the text under
// P(w | v) = P(w | class(w)) P(class(w) | v), which up to constants is
//   sum over words v and classes c of f(N(v, c))  -  sum over classes c of f(N(c)),
// f(x) = x log x, N(v, c) = how often v is followed by a word of class c, N(c) = the count of
// the words of class c. Moving w changes only the columns of w's predecessors, so one pass
// costs (distinct bigrams) x (classes).
class Exchange {
 public:
  Exchange(std::uint32_t vocab, std::uint32_t classes, const std::vector<std::uint64_t>& counts,
           const std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>>& preds,
           const std::vector<double>& f)
      : vocab_(vocab), classes_(classes), counts_(counts), preds_(preds), f_(f) {}

  std::vector<std::uint32_t> Run(std::uint32_t iterations, bool verbose) {
    // Words arrive sorted by decreasing count; dealing them round robin spreads the frequent
    // ones over all classes, a deterministic start.
    cls_.resize(vocab_);
    for (std::uint32_t w = 0; w < vocab_; ++w) cls_[w] = w % classes_;
    class_counts_.assign(classes_, 0);
    table_.assign(static_cast<std::size_t>(vocab_) * classes_, 0);
    for (std::uint32_t w = 0; w < vocab_; ++w) {
      class_counts_[cls_[w]] += counts_[w];
      for (const auto& [v, n] : preds_[w]) table_[Cell(v, cls_[w])] += n;
    }
    std::vector<double> gain(classes_);
    for (std::uint32_t iteration = 1; iteration <= iterations; ++iteration) {
      const auto start = std::chrono::steady_clock::now();
      std::uint64_t moved = 0;
      for (std::uint32_t w = 0; w < vocab_; ++w) {
        const std::uint32_t from = cls_[w];
        Move(w, from, -1);
        std::fill(gain.begin(), gain.end(), 0.0);
        for (const auto& [v, n] : preds_[w]) {
          const std::uint32_t* row = &table_[Cell(v, 0)];
          for (std::uint32_t c = 0; c < classes_; ++c) gain[c] += F(row[c] + n) - F(row[c]);
        }
        std::uint32_t best = from;
        double best_gain = -1e300;
        for (std::uint32_t c = 0; c < classes_; ++c) {
          const double g = gain[c] - (F(class_counts_[c] + counts_[w]) - F(class_counts_[c]));
          // Ties keep the current class, so the result does not hinge on rounding.
          if (g > best_gain + 1e-9 || (c == from && g >= best_gain - 1e-9)) {
            best_gain = g;
            best = c;
          }
        }
        cls_[w] = best;
        Move(w, best, +1);
        moved += best != from;
      }
      if (verbose) {
        std::fprintf(
            stderr, "  %u classes, pass %u: %llu words moved (%.1f s)\n", classes_, iteration,
            static_cast<unsigned long long>(moved),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
      if (moved * 1000 < vocab_) break;
    }
    return cls_;
  }

 private:
  std::size_t Cell(std::uint32_t v, std::uint32_t c) const {
    return static_cast<std::size_t>(v) * classes_ + c;
  }
  double F(std::uint64_t x) const {
    if (x < f_.size()) return f_[x];
    const double d = static_cast<double>(x);
    return d * std::log(d);
  }
  void Move(std::uint32_t w, std::uint32_t c, int sign) {
    class_counts_[c] += sign * static_cast<std::int64_t>(counts_[w]);
    for (const auto& [v, n] : preds_[w]) table_[Cell(v, c)] += sign * static_cast<int>(n);
  }

  std::uint32_t vocab_;
  std::uint32_t classes_;
  const std::vector<std::uint64_t>& counts_;
  const std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>>& preds_;
  const std::vector<double>& f_;
  std::vector<std::uint32_t> cls_;
  std::vector<std::uint64_t> class_counts_;
  std::vector<std::uint32_t> table_;
};

}  // namespace

std::map<std::string, std::vector<std::uint16_t>> ClusterWords(
    const std::vector<std::vector<std::string>>& sentences, const ClusterOptions& options,
    bool verbose) {
  std::unordered_map<std::string, std::uint64_t> frequency;
  std::uint64_t tokens = 0;
  for (const auto& sentence : sentences) {
    for (const std::string& token : sentence) ++frequency[token];
    tokens += sentence.size() + 1;
  }
  // Vocabulary: id 0 is the sentence boundary, id 1 every rare word; the rest by decreasing
  // count, ties in byte order.
  std::vector<std::pair<std::uint64_t, std::string>> ranked;
  for (const auto& [word, count] : frequency) {
    if (count >= options.min_count) ranked.emplace_back(count, word);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<std::string> words = {"</s>", "<rare>"};
  for (const auto& [count, word] : ranked) {
    ids.emplace(word, static_cast<std::uint32_t>(words.size()));
    words.push_back(word);
  }
  const auto vocab = static_cast<std::uint32_t>(words.size());
  std::vector<std::uint64_t> counts(vocab, 0);
  std::vector<std::uint64_t> pairs;  // (predecessor << 32 | word), sorted to count bigrams
  pairs.reserve(tokens);
  for (const auto& sentence : sentences) {
    std::uint32_t prev = 0;
    for (std::size_t token_idx = 0; token_idx <= sentence.size(); ++token_idx) {
      std::uint32_t id = 0;
      if (token_idx < sentence.size()) {
        const auto it = ids.find(sentence[token_idx]);
        id = it == ids.end() ? 1 : it->second;
      }
      ++counts[id];
      pairs.push_back(static_cast<std::uint64_t>(prev) << 32 | id);
      prev = id;
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> preds(vocab);
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < pairs.size(); ++distinct) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    preds[pairs[i] & 0xffffffffu].emplace_back(static_cast<std::uint32_t>(pairs[i] >> 32),
                                               static_cast<std::uint32_t>(j - i));
    i = j;
  }
  if (verbose) {
    std::fprintf(stderr, "clusters: %llu tokens, %u words (count >= %u), %zu distinct bigrams\n",
                 static_cast<unsigned long long>(tokens), vocab - 2, options.min_count, distinct);
  }
  std::vector<double> f(std::min<std::uint64_t>(tokens + 1, 1u << 24));
  for (std::size_t x = 1; x < f.size(); ++x) {
    f[x] = static_cast<double>(x) * std::log(static_cast<double>(x));
  }
  std::map<std::string, std::vector<std::uint16_t>> out;
  for (const std::uint32_t classes : options.class_counts) {
    Exchange exchange(vocab, classes, counts, preds, f);
    const std::vector<std::uint32_t> cls = exchange.Run(options.iterations, verbose);
    for (std::uint32_t w = 2; w < vocab; ++w) {
      out[words[w]].push_back(static_cast<std::uint16_t>(cls[w]));
    }
  }
  return out;
}

}  // namespace trove::train
