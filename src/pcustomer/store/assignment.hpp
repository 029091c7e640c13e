#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pcustomer {

// Round-robin assignment (CONTRACT.md section 9) as both backends take turns: turn `turn`
// (the count of leads assigned in turn so far) goes to this one of `owners` (not empty).
inline const std::string& OwnerOfTurn(int64_t turn, const std::vector<std::string>& owners) {
  const auto size = static_cast<int64_t>(owners.size());
  // A turn number is never negative unless the stored one was tampered with.
  return owners[static_cast<size_t>(((turn % size) + size) % size)];
}

}  // namespace pcustomer
