#include "pcustomer/api/history_pages.hpp"

#include <utility>

#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/page_query.hpp"

namespace pcustomer {

void ReplyHistoryPage(CustomerStore& store, const CursorCodec& cursors, Request request,
                      std::string_view route, std::optional<HistoryAction> action,
                      HistoryPageRenderer render, Reply reply) {
  Result<PageQuery> query = ParsePageQuery(request.query, route);
  if (!query) return reply(ErrorResponse(query.error()));
  HistoryRequest history;
  history.lead_id = std::move(request.path_params[0]);
  history.limit = query->limit;
  history.action = action;
  if (!query->start_key.empty()) {
    Result<int64_t> before = cursors.DecodeHistory(query->start_key, history.lead_id);
    if (!before) return reply(ErrorResponse(before.error()));
    history.before_version = *before;
  }
  const int limit = history.limit;
  std::string lead_id = history.lead_id;
  store.History(std::move(history), [&cursors, render, limit, lead_id = std::move(lead_id),
                                     reply = std::move(reply)](Result<HistoryPage> page) {
    if (!page) return reply(ErrorResponse(page.error()));
    std::optional<std::string> cursor;
    if (page->more && !page->items.empty()) {
      cursor = cursors.EncodeHistory(lead_id, page->items.back().version);
    }
    reply(JsonResponse(render(*page, limit, cursor)));
  });
}

}  // namespace pcustomer
