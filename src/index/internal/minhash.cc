#include "index/internal/minhash.h"

#include <cstdio>
#include <deque>
#include <limits>

#include "core/text.h"

namespace trove::index::internal {
namespace {

// SplitMix64's finaliser: a fast, well-mixed 64-bit hash of a 64-bit value.
constexpr std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a over bytes: stable across machines and runs (std::hash is not).
std::uint64_t HashBytes(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ULL) {
  std::uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

struct HashConstants {
  std::array<std::uint64_t, kMinHashes> mul{}, add{};
};
constexpr HashConstants MakeHashConstants() {
  HashConstants c;
  for (int i = 0; i < kMinHashes; ++i) {
    c.mul[i] = Mix(2 * static_cast<std::uint64_t>(i) + 1) | 1;  // odd multipliers
    c.add[i] = Mix(2 * static_cast<std::uint64_t>(i) + 2);
  }
  return c;
}
constexpr HashConstants kHashConstants = MakeHashConstants();
constexpr const auto& kHashMul = kHashConstants.mul;
constexpr const auto& kHashAdd = kHashConstants.add;

}  // namespace

std::optional<Signature> MinHashOf(std::string_view text) {
  Signature signature;
  signature.fill(std::numeric_limits<std::uint32_t>::max());
  std::deque<std::uint64_t> window;  // hashes of the last kShingleWords words
  std::size_t shingles = 0;
  ForEachFoldedWord(text, [&](const std::string& folded, const Token& /*token*/) {
    window.push_back(HashBytes(folded));
    if (window.size() > static_cast<std::size_t>(kShingleWords)) window.pop_front();
    if (window.size() < static_cast<std::size_t>(kShingleWords)) return;
    std::uint64_t shingle = 0;
    for (std::uint64_t word : window) shingle = Mix(shingle ^ word);
    ++shingles;
    // The i-th hash function: a multiply-add of the (well mixed) shingle hash with constants of
    // its own, keeping the high 32 bits. One multiply per function instead of a full mix per
    // function: 1.35-1.9x faster signatures, with the same precision and recall
    // (bench/RESULTS.md, session 4).
    for (int i = 0; i < kMinHashes; ++i) {
      const auto h = static_cast<std::uint32_t>((kHashMul[i] * shingle + kHashAdd[i]) >> 32);
      if (h < signature[i]) signature[i] = h;
    }
  });
  if (shingles < kMinShingles) return std::nullopt;
  return signature;
}

double Similarity(const Signature& a, const Signature& b) {
  int equal = 0;
  for (int i = 0; i < kMinHashes; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / kMinHashes;
}

std::vector<std::string> BandKeys(const Signature& signature) {
  std::vector<std::string> keys;
  keys.reserve(kBands);
  for (int band = 0; band < kBands; ++band) {
    std::uint64_t h = Mix(static_cast<std::uint64_t>(band));
    for (int row = 0; row < kRows; ++row) h = Mix(h ^ signature[band * kRows + row]);
    char key[20];
    std::snprintf(key, sizeof key, "%c%016llx", 'a' + band, static_cast<unsigned long long>(h));
    keys.emplace_back(key);
  }
  return keys;
}

std::string EncodeSignature(const Signature& signature) {
  std::string out;
  out.reserve(kMinHashes * 4);
  for (std::uint32_t v : signature) {
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xff);
  }
  return out;
}

std::optional<Signature> DecodeSignature(std::string_view bytes) {
  if (bytes.size() != kMinHashes * 4) return std::nullopt;
  Signature signature;
  for (int i = 0; i < kMinHashes; ++i) {
    std::uint32_t v = 0;
    for (int b = 0; b < 4; ++b) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i * 4 + b])) << (8 * b);
    }
    signature[i] = v;
  }
  return signature;
}

}  // namespace trove::index::internal
