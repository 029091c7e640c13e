#pragma once

#include <vector>

#include "pcustomer/domain/batch.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// CustomerStore::CreateBatch through a store's single-lead operations, one item after the
// other in the batch's order (so an item sees the ones before it): Create, or under upsert
// FindByPhone then Update or Create. Each item lands or fails on its own; one the store could
// not write carries that error (kUnavailable) while the others stand.
void WriteBatchOneByOne(CustomerStore& store, std::vector<NewCustomer> items, BatchMode mode,
                        Actor by, Done<std::vector<BatchItemResult>> done);

}  // namespace pcustomer
