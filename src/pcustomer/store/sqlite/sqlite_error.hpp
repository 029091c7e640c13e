#pragma once

#include "pcustomer/domain/error.hpp"

namespace pcustomer::sqlite {

// The error callers see when SQLite fails for a reason of its own: busy or locked by another
// process, failing or full disk, file gone. Retrying later may succeed, so it is
// kUnavailable, never a 500. The message names the SQLite result code only (a fixed text
// without paths or data), which is safe to show.
Error StoreUnavailable(int sqlite_code);

}  // namespace pcustomer::sqlite
