#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/api/cursor.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/domain/history.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// Renders a page of history entries with its cursor (history_json.hpp, lead_work_json.hpp).
using HistoryPageRenderer = std::string (*)(const HistoryPage& page, int limit,
                                            const std::optional<std::string>& cursor);

// Answers GET `route` for the lead of path parameter 0: a page of its history entries (only
// those of `action` when set), newest first, after the entry `startKey` names, with a cursor
// bound to the lead. What GET /pcustomers/{id}/history and /notes share. `store` and `cursors`
// must outlive the answer.
void ReplyHistoryPage(CustomerStore& store, const CursorCodec& cursors, Request request,
                      std::string_view route, std::optional<HistoryAction> action,
                      HistoryPageRenderer render, Reply reply);

}  // namespace pcustomer
