#pragma once

#include <cstdint>
#include <string>

#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// The cutoff of PCUSTOMER_TRASH_DAYS at `now_millis`: leads trashed before it are erased.
std::string TrashCutoff(int64_t now_millis, int trash_days);

// Erases every lead trashed before `cutoff` (ISO time) with its history, a batch of
// kTrashSweepBatch at a time so that no write holds the store long; answers how many.
inline constexpr int kTrashSweepBatch = 100;
void SweepTrash(CustomerStore& store, std::string cutoff, Done<int> done);

}  // namespace pcustomer
