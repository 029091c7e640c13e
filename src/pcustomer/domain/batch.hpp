#pragma once

#include <cstddef>
#include <utility>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// POST /pcustomers/batch (CONTRACT.md section 8): `create` refuses an item whose phone is
// taken (409, as a single create); `upsert` updates the lead holding it instead.
enum class BatchMode { kCreate, kUpsert };

inline constexpr size_t kMaxBatchItems = 100;

// What became of one item: the lead as stored, created or (upsert) updated, or its error.
struct BatchItemResult {
  explicit BatchItemResult(Result<Customer> outcome_in, bool created_in = true)
      : outcome(std::move(outcome_in)), created(created_in) {}
  Result<Customer> outcome;
  bool created;
};

}  // namespace pcustomer
