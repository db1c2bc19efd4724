// Invariant checks. TROVE_CHECK is always on; TROVE_DCHECK only in debug builds. They are for
// bugs, never for user input or document content (those get a Status).
#pragma once

namespace trove::internal {
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line);
}  // namespace trove::internal

#define TROVE_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::trove::internal::CheckFailed(#cond, __FILE__, __LINE__))

#ifdef NDEBUG
#define TROVE_DCHECK(cond) static_cast<void>(0)
#else
#define TROVE_DCHECK(cond) TROVE_CHECK(cond)
#endif
