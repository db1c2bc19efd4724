// Near-duplicates: MinHash signatures over word shingles, and the locality-sensitive hashing
// (LSH) bands that find candidates without comparing every pair.
//
// Written here rather than taken from a library: Debian packages no MinHash library for C++, and
// the whole method is the few lines below (Broder 1997; Leskovec, Rajaraman and Ullman, "Mining
// of Massive Datasets", ch. 3).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trove::index::internal {

inline constexpr int kShingleWords = 3;  // a shingle: three consecutive folded words
inline constexpr int kMinHashes = 64;    // 64 hash functions: standard error of J about 0.06
inline constexpr int kBands = 16;        // 16 bands of 4 rows: a pair at J = 0.5 is a candidate
inline constexpr int kRows = kMinHashes / kBands;  // with probability 0.64, at 0.8 with 0.9998
// Texts with fewer shingles than this get no signature: too short to call near-duplicates.
inline constexpr std::size_t kMinShingles = 8;

using Signature = std::array<std::uint32_t, kMinHashes>;

// The signature of `text` (folded words, so case and accents do not count), or nullopt when it
// is too short.
std::optional<Signature> MinHashOf(std::string_view text);

// The estimated Jaccard similarity of the shingle sets: the share of equal slots.
double Similarity(const Signature& a, const Signature& b);

// The LSH band keys of a signature: kBands strings, each the band number and a hash of its rows.
std::vector<std::string> BandKeys(const Signature& signature);

// As a value slot holds it: kMinHashes little-endian 32-bit words.
std::string EncodeSignature(const Signature& signature);
std::optional<Signature> DecodeSignature(std::string_view bytes);

}  // namespace trove::index::internal
