// Status and Result<T>: how every fallible function in src/ reports failure.
//
// A Status is either OK or carries a code and a message that names the path, document id or
// offset involved. Build failures with the named constructors (Status::NotFound(...)). Status is
// cheap to copy; Result<T> holds either a T or a non-OK Status. Neither throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/check.h"

namespace trove {

enum class StatusCode : std::uint8_t {
  kOk = 0,
  kNotFound,
  kInvalidArgument,
  kCorrupt,      // the input is damaged (truncated zip member, bad xref table)
  kUnsupported,  // a format or feature we do not read (encrypted PDF, unknown type)
  kIOError,
  kLimitExceeded,  // a configured limit stopped the work (archive depth, expanded size)
  kTimeout,
  kCrashed,  // a worker died while handling the input
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status Corrupt(std::string msg) { return {StatusCode::kCorrupt, std::move(msg)}; }
  static Status Unsupported(std::string msg) { return {StatusCode::kUnsupported, std::move(msg)}; }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status LimitExceeded(std::string msg) {
    return {StatusCode::kLimitExceeded, std::move(msg)};
  }
  static Status Timeout(std::string msg) { return {StatusCode::kTimeout, std::move(msg)}; }
  static Status Crashed(std::string msg) { return {StatusCode::kCrashed, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status FromCode(StatusCode code, std::string msg) { return {code, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool Is(StatusCode code) const { return code_ == code; }

  // "corrupt: truncated zip member a/b.pdf"; "OK" for success.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    TROVE_CHECK(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    TROVE_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    TROVE_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    TROVE_CHECK(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace trove

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define TROVE_RETURN_IF_ERROR(expr)                        \
  do {                                                     \
    ::trove::Status trove_status_tmp_ = (expr);            \
    if (!trove_status_tmp_.ok()) return trove_status_tmp_; \
  } while (false)

#define TROVE_CONCAT_INNER_(a, b) a##b
#define TROVE_CONCAT_(a, b) TROVE_CONCAT_INNER_(a, b)
// `TROVE_ASSIGN_OR_RETURN(auto x, Fallible());` binds x or returns the error.
#define TROVE_ASSIGN_OR_RETURN(lhs, rexpr)                  \
  auto TROVE_CONCAT_(trove_result_, __LINE__) = (rexpr);    \
  if (!TROVE_CONCAT_(trove_result_, __LINE__).ok())         \
    return TROVE_CONCAT_(trove_result_, __LINE__).status(); \
  lhs = std::move(TROVE_CONCAT_(trove_result_, __LINE__)).value()
