// Throughput of pattern entity recognition (analyze::FindPatternEntities), one thread, on real
// files: MB/s, files/s and the mentions found per type.
//
//   bench_entities --dir DIR [--files N] [--language en] [--repeat R]
//
// Reads the first N regular files under DIR (recursively, in path order; default 1000) into
// memory, then runs FindPatternEntities on each file's bytes as one text, R times (default 3),
// and reports the best run. The reference corpus is the SpamAssassin messages of
// ../shared/data/mail-spamassassin, unpacked:
//
//   mkdir -p /tmp/trove-bench/sa
//   tar -xJf ../shared/data/mail-spamassassin/spamassassin-shared.tar.xz -C /tmp/trove-bench/sa
//   build-d/bench/bench_entities --dir /tmp/trove-bench/sa --files 1000
//
// Raw messages (headers, HTML and base64 included) are harder than extracted text: more digits,
// addresses and URLs per byte.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analyze/entities.h"
#include "bench/bench_util.h"

namespace trove::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string dir;
  std::size_t files = 1000;
  std::string language = "en";
  int repeat = 3;
};

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string flag = argv[arg_idx];
    const std::string value = argv[arg_idx + 1];
    if (flag == "--dir") {
      options->dir = value;
    } else if (flag == "--files") {
      options->files = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--language") {
      options->language = value;
    } else if (flag == "--repeat") {
      options->repeat = std::max(1, std::atoi(value.c_str()));
    } else {
      return false;
    }
  }
  return !options->dir.empty() && argc % 2 == 1;
}

std::vector<std::string> ReadFiles(const Options& options) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::recursive_directory_iterator(options.dir)) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.size() > options.files) paths.resize(options.files);
  std::vector<std::string> texts;
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    texts.push_back(content.str());
  }
  return texts;
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) {
  using namespace trove;
  bench::Options options;
  if (!bench::ParseOptions(argc, argv, &options)) {
    std::fprintf(stderr,
                 "usage: bench_entities --dir DIR [--files N] [--language en] [--repeat R]\n");
    return 2;
  }
  const std::vector<std::string> texts = bench::ReadFiles(options);
  std::uint64_t bytes = 0;
  for (const std::string& text : texts) bytes += text.size();
  if (texts.empty()) {
    std::fprintf(stderr, "no files under %s\n", options.dir.c_str());
    return 1;
  }

  constexpr std::size_t kTypeCount = static_cast<std::size_t>(analyze::EntityType::kMarking) + 1;
  std::array<std::uint64_t, kTypeCount> counts{};
  double best_seconds = 0;
  for (int run_idx = 0; run_idx < options.repeat; ++run_idx) {
    std::array<std::uint64_t, kTypeCount> run_counts{};
    const double start = bench::NowSeconds();
    for (const std::string& text : texts) {
      for (const analyze::Mention& mention : analyze::FindPatternEntities(text, options.language)) {
        ++run_counts[static_cast<std::size_t>(mention.type)];
      }
    }
    const double seconds = bench::NowSeconds() - start;
    if (run_idx == 0 || seconds < best_seconds) best_seconds = seconds;
    counts = run_counts;
  }

  const double megabytes = static_cast<double>(bytes) / 1e6;
  std::printf("| files | MB | best of %d (s) | MB/s | files/s | load |\n", options.repeat);
  std::printf("|---|---|---|---|---|---|\n");
  std::printf("| %zu | %.2f | %.3f | %.1f | %.0f | %.2f |\n\n", texts.size(), megabytes,
              best_seconds, megabytes / best_seconds,
              static_cast<double>(texts.size()) / best_seconds, bench::LoadAverage());
  std::printf("| type | mentions |\n|---|---|\n");
  for (std::size_t type_idx = 0; type_idx < kTypeCount; ++type_idx) {
    std::printf(
        "| %s | %llu |\n",
        std::string(analyze::EntityTypeName(static_cast<analyze::EntityType>(type_idx))).c_str(),
        static_cast<unsigned long long>(counts[type_idx]));
  }
  std::printf("RESULT engine=trove-entities files=%zu mb=%.2f secs=%.3f mb_per_s=%.1f\n",
              texts.size(), megabytes, best_seconds, megabytes / best_seconds);
  return 0;
}
