#include "core/hash.h"

#include <algorithm>

#include <sodium.h>

#include "core/check.h"

namespace trove {
namespace {
constexpr std::size_t kDigestBytes = 16;

std::string ToHex(const unsigned char* digest, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}
}  // namespace

static_assert(sizeof(crypto_generichash_state) <= 384);

std::string ContentHash(std::string_view bytes) {
  unsigned char digest[kDigestBytes];
  crypto_generichash(digest, kDigestBytes, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  return ToHex(digest, kDigestBytes);
}

std::string SourceKey(std::string_view absolute_path) {
  unsigned char digest[8];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(absolute_path.data()),
                     absolute_path.size(), nullptr, 0);
  return ToHex(digest, sizeof digest);
}

ContentHasher::ContentHasher() {
  TROVE_CHECK(crypto_generichash_init(reinterpret_cast<crypto_generichash_state*>(state_), nullptr,
                                      0, kDigestBytes) == 0);
}
ContentHasher::~ContentHasher() = default;

void ContentHasher::Update(std::string_view bytes) {
  crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(state_),
                            reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string ContentHasher::Finish() {
  unsigned char digest[kDigestBytes];
  crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(state_), digest,
                           kDigestBytes);
  return ToHex(digest, kDigestBytes);
}

bool IsDocumentId(std::string_view text) {
  return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace trove
