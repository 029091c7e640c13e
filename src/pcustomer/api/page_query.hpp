#pragma once

#include <string>
#include <string_view>

#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// The query string of a route that pages and takes nothing else (a lead's history, the
// trash): `limit` 1..100 (default 10) and `startKey`, a cursor of the route's (empty = from
// the start).
struct PageQuery {
  int limit = 10;
  std::string start_key;
};

// kBadRequest naming the parameter for a malformed query string, an unknown or repeated
// parameter, or a limit out of range. `route` names the route in the reason ("GET /trash").
Result<PageQuery> ParsePageQuery(std::string_view raw_query, std::string_view route);

}  // namespace pcustomer
