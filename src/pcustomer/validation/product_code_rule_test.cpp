#include "pcustomer/validation/product_code_rule.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace pcustomer {
namespace {

struct ProductCodeCase {
  std::string input;
  std::optional<std::string> expected;  // none = rejected
};

void PrintTo(const ProductCodeCase& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class ProductCode : public ::testing::TestWithParam<ProductCodeCase> {};

TEST_P(ProductCode, MatchesTable) {
  EXPECT_EQ(NormalizeProductCode(GetParam().input), GetParam().expected);
}

const std::string kCode64 = std::string(30, 'a') + "_" + std::string(33, 'b');
const std::string kCode65 = kCode64 + "c";

const std::vector<ProductCodeCase> kProductCodeCases = {
    {"household_tool", "household_tool"},
    {"a", "a"},
    {"tool", "tool"},
    {"a_b_c", "a_b_c"},
    {"kitchen_knife_set", "kitchen_knife_set"},
    {"  household_tool  ", "household_tool"},
    {"\u00a0household_tool\u3000", "household_tool"},
    {kCode64, kCode64},
    {std::string(64, 'z'), std::string(64, 'z')},
    {kCode65, std::nullopt},
    {std::string(65, 'z'), std::nullopt},
    {"Household_tool", std::nullopt},
    {"HOUSEHOLD_TOOL", std::nullopt},
    {"householdTool", std::nullopt},
    {"_tool", std::nullopt},
    {"tool_", std::nullopt},
    {"_", std::nullopt},
    {"__", std::nullopt},
    {"house__tool", std::nullopt},
    {"tool1", std::nullopt},
    {"1tool", std::nullopt},
    {"tool_2", std::nullopt},
    {"house-tool", std::nullopt},
    {"house tool", std::nullopt},
    {"house.tool", std::nullopt},
    {"house\ttool", std::nullopt},
    {"house\u00a0tool", std::nullopt},
    {"đồ_gia_dụng", std::nullopt},
    {"\uff54ool", std::nullopt},  // fullwidth t
    {"", std::nullopt},
    {"   ", std::nullopt},
    {std::string("tool") + '\0', std::nullopt},
    {"to\xffol", std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(Table, ProductCode, ::testing::ValuesIn(kProductCodeCases));

}  // namespace
}  // namespace pcustomer
