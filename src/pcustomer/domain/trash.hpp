#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/history.hpp"

namespace pcustomer {

// How long a trashed lead is kept before it is erased by itself (PCUSTOMER_TRASH_DAYS).
inline constexpr int kDefaultTrashDays = 30;
inline constexpr int kMaxTrashDays = 3650;

// A lead in the trash (CONTRACT.md section 8): as it was when trashed, at the version the
// trashing brought it to, with when and by whom. Its phone is free meanwhile.
struct TrashedCustomer {
  Customer customer;
  std::string deleted_at;  // ISO 8601 UTC with milliseconds; the customer's updated_at
  Actor deleted_by;
  bool operator==(const TrashedCustomer&) const = default;
};

// Where a page of the trash ends: the trash runs newest deletion first, ties by id descending.
struct TrashPosition {
  std::string deleted_at;
  std::string id;
};

struct TrashPageRequest {
  std::optional<TrashPosition> after;  // exclusive; none = the newest deletion
  int limit = 10;                      // 1..100, checked by the caller
};

struct TrashPage {
  std::vector<TrashedCustomer> items;
  bool more = false;  // another page follows the last item
};

}  // namespace pcustomer
