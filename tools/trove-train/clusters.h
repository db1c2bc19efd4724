// Word clusters from unlabelled text by the exchange algorithm (Kneser & Ney 1993; the
// one-sided "predictive" class bigram objective of Uszkoreit & Brants 2008), the fast
// alternative to Brown clustering. Run at several class counts, the clusterings play the role
// of Brown path prefixes of several lengths.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trove::train {

struct ClusterOptions {
  std::vector<std::uint32_t> class_counts = {32, 128, 512};
  std::uint32_t iterations = 12;
  std::uint32_t min_count = 3;  // rarer words get no cluster
};

// Sentences of tokens; every word's clusters, one id per class count, in order.
std::map<std::string, std::vector<std::uint16_t>> ClusterWords(
    const std::vector<std::vector<std::string>>& sentences, const ClusterOptions& options,
    bool verbose);

}  // namespace trove::train
