#include "pcustomer/store/sqlite/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace pcustomer::sqlite {

Error StoreUnavailable(int sqlite_code) {
  return Error::Unavailable(std::string("Store unavailable: ") + sqlite3_errstr(sqlite_code));
}

}  // namespace pcustomer::sqlite
