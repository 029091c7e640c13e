#pragma once

#include <string_view>
#include <vector>

#include "pcustomer/domain/batch.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/validation/customer_validation.hpp"

namespace pcustomer {

// Parses a customer request body (ParseJsonBody's rules) into the plain form validation
// takes: its members in body order, each value as sent. kBadRequest for a body that is not
// one well-formed JSON value.
Result<SentBody> ReadSentBody(std::string_view body);

// A batch body, {"items": [<customer>, ...], "mode": "create" | "upsert"} (CONTRACT.md section
// 8): each item in the plain form (an item that is not an object is one that validation
// refuses), the mode (create when absent). kBadRequest naming the member for another shape, an
// unknown member or no items; kPayloadTooLarge for more than kMaxBatchItems items.
struct SentBatch {
  std::vector<SentBody> items;
  BatchMode mode = BatchMode::kCreate;
};
Result<SentBatch> ReadSentBatch(std::string_view body);

}  // namespace pcustomer
