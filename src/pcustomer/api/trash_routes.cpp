#include "pcustomer/api/trash_routes.hpp"

#include <optional>
#include <string>
#include <utility>

#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/customer_reply.hpp"
#include "pcustomer/api/entity_tags.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/page_query.hpp"

namespace pcustomer {

void TrashRoutes::Register(Router& router) {
  router.Add({"GET", "/trash", Permission::kReadCustomers, false,
              [this](Request request, Principal, Reply reply) {
                List(std::move(request), std::move(reply));
              }});
  router.Add({"POST", "/trash/{id}/restore", Permission::kWriteCustomers, false,
              [this](Request request, Principal caller, Reply reply) {
                Restore(std::move(request), std::move(caller), std::move(reply));
              },
              true});
  router.Add({"DELETE", "/trash/{id}", Permission::kEraseCustomers, false,
              [this](Request request, Principal, Reply reply) {
                Erase(std::move(request), std::move(reply));
              }});
}

void TrashRoutes::List(Request request, Reply reply) {
  Result<PageQuery> query = ParsePageQuery(request.query, "GET /trash");
  if (!query) return reply(ErrorResponse(query.error()));
  TrashPageRequest page_request;
  page_request.limit = query->limit;
  if (!query->start_key.empty()) {
    Result<TrashPosition> after = cursors_.DecodeTrash(query->start_key);
    if (!after) return reply(ErrorResponse(after.error()));
    page_request.after = std::move(*after);
  }
  const int limit = page_request.limit;
  store_.ListTrash(std::move(page_request),
                   [this, limit, reply = std::move(reply)](Result<TrashPage> page) {
                     if (!page) return reply(ErrorResponse(page.error()));
                     std::optional<std::string> cursor;
                     if (page->more && !page->items.empty()) {
                       const TrashedCustomer& last = page->items.back();
                       cursor = cursors_.EncodeTrash({last.deleted_at, last.customer.id});
                     }
                     reply(JsonResponse(TrashPageEnvelope(*page, limit, cursor)));
                   });
}

void TrashRoutes::Restore(Request request, Principal caller, Reply reply) {
  Result<ExpectedVersion> expected = ExpectedVersionOf(request.if_match);
  if (!expected) return reply(ErrorResponse(expected.error()));
  store_.Restore(std::move(request.path_params[0]), *expected, ActorOf(caller),
                 ReplyCustomer(std::move(reply)));
}

void TrashRoutes::Erase(Request request, Reply reply) {
  store_.Erase(std::move(request.path_params[0]), [reply = std::move(reply)](Status erased) {
    if (!erased) return reply(ErrorResponse(erased.error()));
    reply(JsonResponse(DataEnvelope("true")));
  });
}

}  // namespace pcustomer
