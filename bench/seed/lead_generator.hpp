#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "pcustomer/domain/customer.hpp"

namespace pcustomer::bench {

// Realistic Vietnamese leads for the search benchmark: family names drawn with their share
// of the population (Nguyễn about 38%, Trần 11%, Lê 9.5%, ...), a middle name and one or two
// given names from common lists, mobile numbers of every carrier's current prefixes (each
// number drawn once: the n-th lead's number is a fixed permutation of n), ages 18..90 and a
// few product codes. The same seed gives the same leads.
class LeadGenerator {
 public:
  explicit LeadGenerator(uint64_t seed);

  // The n-th lead (n < kMaxLeads); its phone is unique among all n.
  NewCustomer Lead(uint64_t n);

  static constexpr uint64_t kMaxLeads = 50'000'000;

 private:
  std::string Name();
  std::mt19937_64 random_;
};

}  // namespace pcustomer::bench
