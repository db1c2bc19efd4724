// The pipeline tests' extractors misbehave on demand, to prove that one bad file costs that file
// alone: text starting with CRASH crashes, HANG hangs, HOG allocates without end.
#pragma once

#include <chrono>
#include <csignal>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace trove::pipeline::test_util {

// Returns only when `bytes` asks for no misbehaviour.
inline void MisbehaveOnDemand(std::string_view bytes) {
  if (bytes.rfind("CRASH", 0) == 0) raise(SIGSEGV);
  if (bytes.rfind("HANG", 0) == 0) {
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (bytes.rfind("HOG", 0) == 0) {
    // Address space, not touched pages: the limit trips at once, however loaded the machine.
    std::vector<std::unique_ptr<char[]>> hog;
    while (true) hog.emplace_back(new char[64 << 20]);
  }
}

}  // namespace trove::pipeline::test_util
