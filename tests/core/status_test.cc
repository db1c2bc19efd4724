#include "core/status.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace trove {
namespace {

TEST(Status, IsOkByDefault) {
  const Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(Status, ToStringNamesTheCodeAndMessage) {
  EXPECT_EQ(Status::NotFound("no document abc").ToString(), "not found: no document abc");
  EXPECT_EQ(Status::Corrupt("truncated zip member a/b.pdf").ToString(),
            "corrupt: truncated zip member a/b.pdf");
  EXPECT_EQ(Status::IOError("").ToString(), "I/O error");
}

TEST(Status, NamedConstructorsSetTheirCode) {
  EXPECT_TRUE(Status::InvalidArgument("x").Is(StatusCode::kInvalidArgument));
  EXPECT_TRUE(Status::Unsupported("x").Is(StatusCode::kUnsupported));
  EXPECT_TRUE(Status::LimitExceeded("x").Is(StatusCode::kLimitExceeded));
  EXPECT_TRUE(Status::Timeout("x").Is(StatusCode::kTimeout));
  EXPECT_TRUE(Status::Crashed("x").Is(StatusCode::kCrashed));
  EXPECT_TRUE(Status::Internal("x").Is(StatusCode::kInternal));
  EXPECT_FALSE(Status::Internal("x").ok());
  EXPECT_EQ(Status::FromCode(StatusCode::kTimeout, "slow").message(), "slow");
}

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::InvalidArgument(std::to_string(n) + " is odd");
  return n / 2;
}

Result<int> Quarter(int n) {
  TROVE_ASSIGN_OR_RETURN(const int half, Half(n));
  TROVE_ASSIGN_OR_RETURN(const int quarter, Half(half));
  return quarter;
}

Status CheckEven(int n) {
  TROVE_RETURN_IF_ERROR(Half(n).status());
  return Status::Ok();
}

TEST(Result, HoldsAValueOrAStatus) {
  const Result<int> good = Half(8);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 4);
  const Result<int> bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "3 is odd");
}

TEST(Result, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(12), 3);
  const Result<int> bad = Quarter(6);  // 6 / 2 = 3 is odd
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "3 is odd");
}

TEST(Result, ReturnIfErrorStopsAtAFailure) {
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_TRUE(CheckEven(5).Is(StatusCode::kInvalidArgument));
}

TEST(Result, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> result(std::make_unique<int>(7));
  const std::unique_ptr<int> value = std::move(result).value();
  EXPECT_EQ(*value, 7);
}

}  // namespace
}  // namespace trove
