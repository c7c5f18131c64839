#include "shipledger/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace shipledger {
namespace {

TEST(Status, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, FactoriesSetCodeAndMessage) {
  struct Case {
    Status status;
    Code code;
  };
  const std::vector<Case> cases = {
      {Status::InvalidArgument("m"), Code::kInvalidArgument},
      {Status::NotFound("m"), Code::kNotFound},
      {Status::AlreadyExists("m"), Code::kAlreadyExists},
      {Status::PermissionDenied("m"), Code::kPermissionDenied},
      {Status::ResourceExhausted("m"), Code::kResourceExhausted},
      {Status::FailedPrecondition("m"), Code::kFailedPrecondition},
      {Status::Internal("m"), Code::kInternal},
      {Status::Unavailable("m"), Code::kUnavailable},
      {Status::DataLoss("m"), Code::kDataLoss},
      {Status::Unauthenticated("m"), Code::kUnauthenticated},
      {Status::DeadlineExceeded("m"), Code::kDeadlineExceeded},
      {Status::OutOfRange("m"), Code::kOutOfRange},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(c.status.ok()) << CodeName(c.code);
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
  }
}

TEST(Status, CodesHaveGrpcNumericValues) {
  EXPECT_EQ(static_cast<int>(Code::kOk), 0);
  EXPECT_EQ(static_cast<int>(Code::kCancelled), 1);
  EXPECT_EQ(static_cast<int>(Code::kInvalidArgument), 3);
  EXPECT_EQ(static_cast<int>(Code::kNotFound), 5);
  EXPECT_EQ(static_cast<int>(Code::kAlreadyExists), 6);
  EXPECT_EQ(static_cast<int>(Code::kPermissionDenied), 7);
  EXPECT_EQ(static_cast<int>(Code::kResourceExhausted), 8);
  EXPECT_EQ(static_cast<int>(Code::kFailedPrecondition), 9);
  EXPECT_EQ(static_cast<int>(Code::kUnavailable), 14);
  EXPECT_EQ(static_cast<int>(Code::kUnauthenticated), 16);
}

TEST(Status, CodeNameOfEveryCode) {
  const std::vector<std::pair<Code, std::string_view>> names = {
      {Code::kOk, "OK"},
      {Code::kCancelled, "CANCELLED"},
      {Code::kUnknown, "UNKNOWN"},
      {Code::kInvalidArgument, "INVALID_ARGUMENT"},
      {Code::kDeadlineExceeded, "DEADLINE_EXCEEDED"},
      {Code::kNotFound, "NOT_FOUND"},
      {Code::kAlreadyExists, "ALREADY_EXISTS"},
      {Code::kPermissionDenied, "PERMISSION_DENIED"},
      {Code::kResourceExhausted, "RESOURCE_EXHAUSTED"},
      {Code::kFailedPrecondition, "FAILED_PRECONDITION"},
      {Code::kAborted, "ABORTED"},
      {Code::kOutOfRange, "OUT_OF_RANGE"},
      {Code::kUnimplemented, "UNIMPLEMENTED"},
      {Code::kInternal, "INTERNAL"},
      {Code::kUnavailable, "UNAVAILABLE"},
      {Code::kDataLoss, "DATA_LOSS"},
      {Code::kUnauthenticated, "UNAUTHENTICATED"},
  };
  for (const auto& [code, name] : names) EXPECT_EQ(CodeName(code), name);
}

TEST(Status, CodeNameOfOutOfRangeValueIsUnknown) {
  EXPECT_EQ(CodeName(static_cast<Code>(99)), "UNKNOWN");
}

TEST(Status, ToStringHasCodeNameAndMessage) {
  EXPECT_EQ(Status::NotFound("no block 7").ToString(), "NOT_FOUND: no block 7");
  EXPECT_EQ(Status(Code::kAborted, "x").ToString(), "ABORTED: x");
}

TEST(Status, WithContextPrefixesMessageAndKeepsCode) {
  const Status s = Status::PermissionDenied("role not allowed").WithContext("event 3");
  EXPECT_EQ(s.code(), Code::kPermissionDenied);
  EXPECT_EQ(s.message(), "event 3: role not allowed");
  const Status twice = s.WithContext("batch");
  EXPECT_EQ(twice.message(), "batch: event 3: role not allowed");
}

TEST(Status, WithContextLeavesOriginalUnchanged) {
  const Status s = Status::Internal("disk");
  const Status c = s.WithContext("store");
  EXPECT_EQ(s.message(), "disk");
  EXPECT_EQ(c.message(), "store: disk");
}

TEST(Status, WithContextOnOkStaysOkWithoutMessage) {
  const Status s = Status::Ok().WithContext("ignored");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(Result, HoldsValue) {
  Result<int> r(42);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  *r = 7;
  EXPECT_EQ(r.value(), 7);
}

TEST(Result, HoldsStatus) {
  const Result<int> r(Status::NotFound("gone"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(), "gone");
}

TEST(Result, ArrowAndMoveOut) {
  Result<std::string> r(std::string("abc"));
  EXPECT_EQ(r->size(), 3u);
  const std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "abc");
}

TEST(Result, MoveOnlyValue) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

TEST(ResultDeathTest, ConstructingFromOkStatusAborts) {
  EXPECT_DEATH(
      {
        Result<int> r{Status::Ok()};
        (void)r;
      },
      "check failed");
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  EXPECT_DEATH(
      {
        Result<int> r(Status::Internal("x"));
        (void)r.value();
      },
      "check failed");
}

// --- SL_RETURN_IF_ERROR / SL_ASSIGN_OR_RETURN --------------------------------------------

Status Step(bool ok, int* calls) {
  ++*calls;
  return ok ? Status::Ok() : Status::DataLoss("step failed");
}

Status TwoSteps(bool first_ok, bool second_ok, int* calls, bool* reached_end) {
  SL_RETURN_IF_ERROR(Step(first_ok, calls));
  SL_RETURN_IF_ERROR(Step(second_ok, calls));
  *reached_end = true;
  return Status::Ok();
}

TEST(StatusMacros, ReturnIfErrorContinuesOnOk) {
  int calls = 0;
  bool end = false;
  EXPECT_TRUE(TwoSteps(true, true, &calls, &end).ok());
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(end);
}

TEST(StatusMacros, ReturnIfErrorReturnsFirstError) {
  int calls = 0;
  bool end = false;
  const Status s = TwoSteps(false, true, &calls, &end);
  EXPECT_EQ(s.code(), Code::kDataLoss);
  EXPECT_EQ(s.message(), "step failed");
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(end);
}

TEST(StatusMacros, ReturnIfErrorReturnsLaterError) {
  int calls = 0;
  bool end = false;
  EXPECT_EQ(TwoSteps(true, false, &calls, &end).code(), Code::kDataLoss);
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(end);
}

Result<int> Half(int v) {
  if (v % 2 != 0) return Status::InvalidArgument(std::to_string(v) + " is odd");
  return v / 2;
}

// Two SL_ASSIGN_OR_RETURN in one scope must not collide.
Result<int> Quarter(int v) {
  SL_ASSIGN_OR_RETURN(const int half, Half(v));
  SL_ASSIGN_OR_RETURN(const int quarter, Half(half));
  return quarter;
}

TEST(StatusMacros, AssignOrReturnAssignsValues) {
  const Result<int> r = Quarter(12);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 3);
}

TEST(StatusMacros, AssignOrReturnPropagatesFirstError) {
  const Result<int> r = Quarter(7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "7 is odd");
}

TEST(StatusMacros, AssignOrReturnPropagatesSecondError) {
  const Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "3 is odd");
}

Result<std::unique_ptr<int>> MakeBox(bool ok) {
  if (!ok) return Status::ResourceExhausted("full");
  return std::make_unique<int>(9);
}

Status UseBox(bool ok, int* out) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<int> box, MakeBox(ok));
  *out = *box;
  return Status::Ok();
}

TEST(StatusMacros, AssignOrReturnMovesMoveOnlyValueIntoStatusFunction) {
  int out = 0;
  EXPECT_TRUE(UseBox(true, &out).ok());
  EXPECT_EQ(out, 9);
  out = 0;
  const Status s = UseBox(false, &out);
  EXPECT_EQ(s.code(), Code::kResourceExhausted);
  EXPECT_EQ(out, 0);
}

}  // namespace
}  // namespace shipledger
