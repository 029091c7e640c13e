#include "lead_generator.hpp"

#include <array>
#include <cstdio>
#include <string_view>
#include <utility>

namespace pcustomer::bench {
namespace {

// Family names and their approximate share (per mille) among Vietnamese people.
constexpr std::array<std::pair<std::string_view, int>, 16> kFamilies = {{
    {"Nguyễn", 380},
    {"Trần", 110},
    {"Lê", 95},
    {"Phạm", 70},
    {"Hoàng", 51},
    {"Phan", 45},
    {"Vũ", 39},
    {"Đặng", 21},
    {"Bùi", 20},
    {"Đỗ", 14},
    {"Hồ", 13},
    {"Ngô", 13},
    {"Dương", 10},
    {"Lý", 5},
    {"Võ", 60},
    {"Huỳnh", 54},
}};
constexpr std::array<std::string_view, 16> kMiddles = {
    "Văn",   "Thị", "Hữu",  "Đức", "Minh", "Thanh", "Ngọc", "Quốc",
    "Hoàng", "Thu", "Xuân", "Gia", "Bảo",  "Anh",   "Tuấn", "Kim"};
constexpr std::array<std::string_view, 48> kGivens = {
    "An",   "Anh",   "Bình",  "Châu", "Cường", "Dũng",  "Duy",   "Đạt",   "Giang", "Hà",
    "Hải",  "Hạnh",  "Hiếu",  "Hoa",  "Hùng",  "Hương", "Huy",   "Khánh", "Lan",   "Linh",
    "Long", "Mai",   "Minh",  "Nam",  "Nga",   "Ngọc",  "Nhung", "Phong", "Phúc",  "Phương",
    "Quân", "Quang", "Quỳnh", "Sơn",  "Tâm",   "Thảo",  "Thu",   "Thủy",  "Trang", "Trung",
    "Tuấn", "Tú",    "Việt",  "Vy",   "Yến",   "Ánh",   "Đông",  "Ân"};
constexpr std::array<std::string_view, 6> kProducts = {
    "home_loan", "credit_card", "life_insurance", "car", "household_tool", "savings"};
// Current mobile prefixes (after the 2018 renumbering) of the carriers.
constexpr std::array<std::string_view, 25> kPrefixes = {
    "090", "093", "089", "070", "079", "077", "076", "078", "091", "094", "088", "083", "084",
    "085", "081", "082", "096", "097", "098", "086", "032", "033", "034", "035", "056"};

// A bijection of [0, 10^7) (an affine map modulo 10^7 with a multiplier prime to it): the
// seven digits after the prefix, so that numbers look random yet never repeat.
uint64_t Scatter(uint64_t n) { return (n * 7'654'321 + 1'234'567) % 10'000'000; }

}  // namespace

LeadGenerator::LeadGenerator(uint64_t seed) : random_(seed) {}

std::string LeadGenerator::Name() {
  int total = 0;
  for (const auto& family : kFamilies) total += family.second;
  int pick = std::uniform_int_distribution<int>(0, total - 1)(random_);
  std::string name;
  for (const auto& [family, share] : kFamilies) {
    if (pick < share) {
      name = family;
      break;
    }
    pick -= share;
  }
  auto any = [this](const auto& list) {
    return list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(random_)];
  };
  name += ' ';
  name += any(kMiddles);
  // One given name in three has two words ("Thu Thảo").
  if (std::uniform_int_distribution<int>(0, 2)(random_) == 0) {
    name += ' ';
    name += any(kGivens);
  }
  name += ' ';
  name += any(kGivens);
  return name;
}

NewCustomer LeadGenerator::Lead(uint64_t n) {
  NewCustomer lead;
  lead.full_name = Name();
  char phone[16];
  std::snprintf(phone, sizeof phone, "%s%07llu", kPrefixes[n % kPrefixes.size()].data(),
                static_cast<unsigned long long>(Scatter(n / kPrefixes.size())));
  lead.phone = phone;
  lead.age = std::uniform_int_distribution<int>(18, 90)(random_);
  lead.product_code = std::string(
      kProducts[std::uniform_int_distribution<size_t>(0, kProducts.size() - 1)(random_)]);
  return lead;
}

}  // namespace pcustomer::bench
