#include "pcustomer/validation/customer_validation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "pcustomer/api/sent_body.hpp"

namespace pcustomer {

void PrintTo(const Reason& reason, std::ostream* os) {
  *os << "{" << reason.source << ": " << reason.desc << "}";
}

namespace {

using ::testing::ElementsAreArray;

// The body as the customer routes hand it to validation.
SentBody Parse(const std::string& json) {
  Result<SentBody> body = ReadSentBody(json);
  EXPECT_TRUE(body.ok()) << body.error().message << " in " << json;
  return body.ok() ? std::move(body).value() : SentBody{};
}

// A create body whose fields are all valid except those a case replaces.
std::string Body(const std::string& age = "30", const std::string& extra = "") {
  return R"({"fullName": "Nguyễn Văn An", "phone": "0912345678", "age": )" + age +
         R"(, "productCode": "household_tool")" + extra + "}";
}

const std::string kNameMessage(kFullNameFormatMessage);
const std::string kPhoneMessage(kPhoneFormatMessage);
const std::string kProductMessage(kProductCodeFormatMessage);
const std::string kAgeType(kAgeTypeMessage);
const std::string kAgeRange(kAgeRangeMessage);

// ---------------------------------------------------------------------------------------------
// Bodies that are valid.

struct CreateOkCase {
  std::string json;
  NewCustomer expected;
};

void PrintTo(const CreateOkCase& c, std::ostream* os) { *os << c.json; }

class CreateAccepts : public ::testing::TestWithParam<CreateOkCase> {};

TEST_P(CreateAccepts, ReturnsNormalisedFields) {
  const SentBody body = Parse(GetParam().json);
  const Result<NewCustomer> result = ValidateNewCustomer(body);
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.error().reasons);
  const NewCustomer& expected = GetParam().expected;
  EXPECT_EQ(result->full_name, expected.full_name);
  EXPECT_EQ(result->phone, expected.phone);
  EXPECT_EQ(result->age, expected.age);
  EXPECT_EQ(result->product_code, expected.product_code);
}

const NewCustomer kAn{"Nguyễn Văn An", "0912345678", 30, "household_tool"};

NewCustomer WithAge(int age) {
  NewCustomer customer = kAn;
  customer.age = age;
  return customer;
}

const std::vector<CreateOkCase> kCreateOkCases = {
    {Body(), kAn},
    {Body("18"), WithAge(18)},
    {Body("90"), WithAge(90)},
    {Body("30.0"), WithAge(30)},
    {Body("90.0"), WithAge(90)},
    {Body("3e1"), WithAge(30)},
    {Body("1.8E1"), WithAge(18)},
    {R"({"productCode": "  household_tool ", "age": 30, "phone": "+84 91-234-5678",)"
     R"( "fullName": "\u00a0Nguye\u0302\u0303n Va\u0306n An "})",
     kAn},
    {R"({"fullName": "Ngô Ý", "phone": "84 987 654 321", "age": 45, "productCode": "a"})",
     {"Ngô Ý", "0987654321", 45, "a"}},
};

INSTANTIATE_TEST_SUITE_P(Table, CreateAccepts, ::testing::ValuesIn(kCreateOkCases));

struct PatchOkCase {
  std::string json;
  CustomerPatch expected;
};

void PrintTo(const PatchOkCase& c, std::ostream* os) { *os << c.json; }

class PatchAccepts : public ::testing::TestWithParam<PatchOkCase> {};

TEST_P(PatchAccepts, ReturnsOnlyTheFieldsSent) {
  const SentBody body = Parse(GetParam().json);
  const Result<CustomerPatch> result = ValidateCustomerPatch(body);
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.error().reasons);
  const CustomerPatch& expected = GetParam().expected;
  EXPECT_EQ(result->full_name, expected.full_name);
  EXPECT_EQ(result->phone, expected.phone);
  EXPECT_EQ(result->age, expected.age);
  EXPECT_EQ(result->product_code, expected.product_code);
}

const std::vector<PatchOkCase> kPatchOkCases = {
    {R"({"fullName": "Trần Thị B"})", {"Trần Thị B", std::nullopt, std::nullopt, std::nullopt}},
    {R"({"phone": "+84912345678"})", {std::nullopt, "0912345678", std::nullopt, std::nullopt}},
    {R"({"age": 18})", {std::nullopt, std::nullopt, 18, std::nullopt}},
    {R"({"age": 90.0})", {std::nullopt, std::nullopt, 90, std::nullopt}},
    {R"({"productCode": "tool"})", {std::nullopt, std::nullopt, std::nullopt, "tool"}},
    {R"({"phone": "091.234.5678", "age": 40})", {std::nullopt, "0912345678", 40, std::nullopt}},
    {Body(), {"Nguyễn Văn An", "0912345678", 30, "household_tool"}},
};

INSTANTIATE_TEST_SUITE_P(Table, PatchAccepts, ::testing::ValuesIn(kPatchOkCases));

// ---------------------------------------------------------------------------------------------
// Bodies that are refused, with every reason in the contract's order.

enum class Operation { kCreate, kPatch };

struct RefusalCase {
  Operation operation;
  std::string json;
  std::string message;
  std::vector<Reason> reasons;
};

void PrintTo(const RefusalCase& c, std::ostream* os) {
  *os << (c.operation == Operation::kCreate ? "create " : "patch ") << c.json;
}

class Refuses : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(Refuses, WithEveryReasonInOrder) {
  const RefusalCase& c = GetParam();
  const SentBody body = Parse(c.json);
  const std::optional<Error> error =
      c.operation == Operation::kCreate ? [&]() -> std::optional<Error> {
    Result<NewCustomer> result = ValidateNewCustomer(body);
    if (result.ok()) return std::nullopt;
    return std::move(result).error();
  }()
      : [&]() -> std::optional<Error> {
          Result<CustomerPatch> result = ValidateCustomerPatch(body);
          if (result.ok()) return std::nullopt;
          return std::move(result).error();
        }();
  ASSERT_TRUE(error.has_value()) << "accepted";
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_EQ(error->message, c.message);
  EXPECT_THAT(error->reasons, ElementsAreArray(c.reasons));
}

constexpr Operation kCreate = Operation::kCreate;
constexpr Operation kPatch = Operation::kPatch;
const std::string kFailed = "Validation failed";
const std::string kNotObject(kNotObjectMessage);

RefusalCase CreateAge(const std::string& age, const std::string& desc) {
  return {kCreate, Body(age), kFailed, {{"age", desc}}};
}

const std::vector<RefusalCase> kRefusalCases = {
    // Not an object.
    {kCreate, "[]", kNotObject, {}},
    {kCreate, R"(["fullName"])", kNotObject, {}},
    {kCreate, R"("text")", kNotObject, {}},
    {kCreate, "42", kNotObject, {}},
    {kCreate, "null", kNotObject, {}},
    {kPatch, "[]", kNotObject, {}},
    {kPatch, "true", kNotObject, {}},
    // Missing fields on create.
    {kCreate,
     "{}",
     kFailed,
     {{"fullName", "fullName is required"},
      {"phone", "phone is required"},
      {"age", "age is required"},
      {"productCode", "productCode is required"}}},
    {kCreate,
     R"({"fullName": "Nguyễn Văn An", "age": 30, "productCode": "tool"})",
     kFailed,
     {{"phone", "phone is required"}}},
    {kCreate,
     R"({"fullName": "Nguyễn Văn An", "phone": "0912345678", "age": 30})",
     kFailed,
     {{"productCode", "productCode is required"}}},
    // Empty PATCH.
    {kPatch, "{}", kFailed, {{"body", std::string(kEmptyPatchMessage)}}},
    // Ages.
    CreateAge("17", kAgeRange),
    CreateAge("91", kAgeRange),
    CreateAge("-1", kAgeRange),
    CreateAge("0", kAgeRange),
    CreateAge("-0.0", kAgeRange),
    CreateAge("17.0", kAgeRange),
    CreateAge("1e2", kAgeRange),
    CreateAge("1e300", kAgeRange),
    CreateAge("-1e300", kAgeRange),
    CreateAge("9223372036854775807", kAgeRange),
    CreateAge("-9223372036854775808", kAgeRange),
    CreateAge("18446744073709551615", kAgeRange),
    CreateAge("100000000000000000000000", kAgeRange),
    CreateAge("30.5", kAgeType),
    CreateAge("17.5", kAgeType),
    CreateAge("90.0000001", kAgeType),
    CreateAge(R"("30")", kAgeType),
    CreateAge("true", kAgeType),
    CreateAge("false", kAgeType),
    CreateAge("null", kAgeType),
    CreateAge("[30]", kAgeType),
    CreateAge(R"({"value": 30})", kAgeType),
    {kPatch, R"({"age": null})", kFailed, {{"age", kAgeType}}},
    {kPatch, R"({"age": 91})", kFailed, {{"age", kAgeRange}}},
    // Wrong JSON types for the text fields.
    {kCreate,
     R"({"fullName": 1, "phone": 912345678, "age": 30, "productCode": true})",
     kFailed,
     {{"fullName", std::string(kFullNameTypeMessage)},
      {"phone", std::string(kPhoneTypeMessage)},
      {"productCode", std::string(kProductCodeTypeMessage)}}},
    {kCreate,
     R"({"fullName": ["Nguyễn Văn An"], "phone": {"n": "0912345678"}, "age": 30,)"
     R"( "productCode": null})",
     kFailed,
     {{"fullName", std::string(kFullNameTypeMessage)},
      {"phone", std::string(kPhoneTypeMessage)},
      {"productCode", std::string(kProductCodeTypeMessage)}}},
    {kPatch, R"({"fullName": null})", kFailed, {{"fullName", std::string(kFullNameTypeMessage)}}},
    {kPatch, R"({"phone": null})", kFailed, {{"phone", std::string(kPhoneTypeMessage)}}},
    {kPatch, R"({"phone": 84912345678})", kFailed, {{"phone", std::string(kPhoneTypeMessage)}}},
    {kPatch,
     R"({"productCode": null})",
     kFailed,
     {{"productCode", std::string(kProductCodeTypeMessage)}}},
    // Values that break the rules.
    {kPatch, R"({"fullName": "Nguyễn"})", kFailed, {{"fullName", kNameMessage}}},
    {kPatch, R"({"fullName": "Nguyễn Văn An1"})", kFailed, {{"fullName", kNameMessage}}},
    {kPatch, R"({"phone": "abc0912345678"})", kFailed, {{"phone", kPhoneMessage}}},
    {kPatch, R"({"phone": "02438253456"})", kFailed, {{"phone", kPhoneMessage}}},
    {kPatch, R"({"productCode": "Household_Tool"})", kFailed, {{"productCode", kProductMessage}}},
    {kPatch, R"({"fullName": ""})", kFailed, {{"fullName", kNameMessage}}},
    // Unknown keys, in body order, as sent; server-set fields are unknown too.
    {kCreate,
     Body("30", R"(, "id": "CUSTOMER#1", "type": "x", "createAt": "2026")"),
     kFailed,
     {{"id", R"("id" is not allowed)"},
      {"type", R"("type" is not allowed)"},
      {"createAt", R"("createAt" is not allowed)"}}},
    {kPatch, R"({"id": "CUSTOMER#1"})", kFailed, {{"id", R"("id" is not allowed)"}}},
    {kPatch,
     R"({"FullName": "Nguyễn Văn An", "age": 30})",
     kFailed,
     {{"FullName", R"("FullName" is not allowed)"}}},
    {kCreate,
     R"({"FullName": "Nguyễn Văn An", "phone": "0912345678", "age": 30,)"
     R"( "productCode": "tool"})",
     kFailed,
     {{"fullName", "fullName is required"}, {"FullName", R"("FullName" is not allowed)"}}},
    {kPatch,
     R"({"age": 30, "full name": 1, "ý": 2, "": 3})",
     kFailed,
     {{"full name", R"("full name" is not allowed)"},
      {"ý", R"("ý" is not allowed)"},
      {"", R"("" is not allowed)"}}},
    {kPatch, R"({"x": 1, "x": 2, "age": 30})", kFailed, {{"x", R"("x" is not allowed)"}}},
    // Duplicated keys.
    {kCreate,
     Body("30", R"(, "fullName": "Trần Thị B")"),
     kFailed,
     {{"fullName", R"("fullName" is duplicated)"}}},
    {kPatch, R"({"age": 30, "age": 31})", kFailed, {{"age", R"("age" is duplicated)"}}},
    {kPatch,
     R"({"phone": "bad", "phone": "0912345678"})",
     kFailed,
     {{"phone", R"("phone" is duplicated)"}}},
    {kPatch,
     R"({"productCode": "a", "fullName": 1, "productCode": "a"})",
     kFailed,
     {{"fullName", std::string(kFullNameTypeMessage)},
      {"productCode", R"("productCode" is duplicated)"}}},
    // Several problems at once, reported in field order and then unknown keys in body order.
    {kCreate,
     R"({"zeta": 1, "productCode": "X", "age": 1, "phone": "x", "fullName": "x", "alpha": 2})",
     kFailed,
     {{"fullName", kNameMessage},
      {"phone", kPhoneMessage},
      {"age", kAgeRange},
      {"productCode", kProductMessage},
      {"zeta", R"("zeta" is not allowed)"},
      {"alpha", R"("alpha" is not allowed)"}}},
    {kCreate,
     R"({"age": "30", "id": 1})",
     kFailed,
     {{"fullName", "fullName is required"},
      {"phone", "phone is required"},
      {"age", kAgeType},
      {"productCode", "productCode is required"},
      {"id", R"("id" is not allowed)"}}},
    {kPatch,
     R"({"productCode": "a__b", "age": 30.5, "phone": "01303456789", "fullName": "An"})",
     kFailed,
     {{"fullName", kNameMessage},
      {"phone", kPhoneMessage},
      {"age", kAgeType},
      {"productCode", kProductMessage}}},
};

INSTANTIATE_TEST_SUITE_P(Table, Refuses, ::testing::ValuesIn(kRefusalCases));

TEST(ValidateNewCustomer, IsSafeToCallFromManyThreads) {
  const SentBody body =
      Parse(R"({"fullName": "Nguye\u0302\u0303n Va\u0306n An", "phone": "+84 91-234-5678",)"
            R"( "age": 30, "productCode": "household_tool"})");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const Result<NewCustomer> result = ValidateNewCustomer(body);
        if (!result.ok() || result->full_name != "Nguyễn Văn An" || result->phone != "0912345678") {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace pcustomer
