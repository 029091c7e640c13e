#pragma once

#include <string_view>

#include "pcustomer/domain/error.hpp"

namespace pcustomer::sqlite {

// The message of every kUnavailable that SQLite's own failures turn into. Clients see it
// (the 503 body), so it is fixed text without SQLite's wording, paths or data.
inline constexpr const char* kStoreUnavailableMessage = "The store is unavailable; retry shortly";

// The error callers see when SQLite fails for a reason of its own: busy or locked by another
// process, failing or full disk, file gone. Retrying later may succeed, so it is
// kUnavailable, never a 500. SQLite's text for `sqlite_code` (and `context`, when given) goes
// to Error::detail, which is logged and never sent.
Error StoreUnavailable(int sqlite_code, std::string_view context = {});

}  // namespace pcustomer::sqlite
