// Content hashing. Document ids are content hashes: identical bytes are one document.
#pragma once

#include <string>
#include <string_view>

namespace trove {

// 128-bit BLAKE2b of `bytes`, as 32 lowercase hex digits.
std::string ContentHash(std::string_view bytes);

// True when `text` has the form of a document id: 32 lower-case hex digits.
bool IsDocumentId(std::string_view text);

// The stable key of a source file: a hash of its absolute path (16 hex digits). Index terms
// and the ledger use it, so it is the same in every run and on every machine that sees the path.
std::string SourceKey(std::string_view absolute_path);

// Incremental form, for content that arrives in pieces (a file read in blocks).
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;

  void Update(std::string_view bytes);
  std::string Finish();  // hex digest; the hasher must not be used afterwards

 private:
  alignas(64) unsigned char state_[384];
};

}  // namespace trove
