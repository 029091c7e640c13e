#include "pcustomer/store/sqlite/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace pcustomer::sqlite {

Error StoreUnavailable(int sqlite_code, std::string_view context) {
  std::string detail = "SQLite: " + std::string(sqlite3_errstr(sqlite_code)) + " (" +
                       std::to_string(sqlite_code) + ")";
  if (!context.empty()) detail += ": " + std::string(context);
  return Error::Unavailable(kStoreUnavailableMessage, std::move(detail), 1);
}

}  // namespace pcustomer::sqlite
