#include "pcustomer/api/customer_routes.hpp"

#include "pcustomer/api/customer_json.hpp"
#include "pcustomer/api/customer_reply.hpp"
#include "pcustomer/api/entity_tags.hpp"
#include "pcustomer/api/error_response.hpp"
#include "pcustomer/api/history_json.hpp"
#include "pcustomer/api/history_pages.hpp"
#include "pcustomer/api/sent_body.hpp"
#include "pcustomer/api/url.hpp"
#include "pcustomer/domain/customer_fields.hpp"
#include "pcustomer/util/numbers.hpp"
#include "pcustomer/validation/customer_validation.hpp"

namespace pcustomer {

void CustomerRoutes::Register(Router& router) {
  auto bind = [this](void (CustomerRoutes::*method)(Request, Reply)) {
    return [this, method](Request request, Principal, Reply reply) {
      (this->*method)(std::move(request), std::move(reply));
    };
  };
  // The writes record their caller in the lead's history.
  auto bind_caller = [this](void (CustomerRoutes::*method)(Request, Principal, Reply)) {
    return [this, method](Request request, Principal caller, Reply reply) {
      (this->*method)(std::move(request), std::move(caller), std::move(reply));
    };
  };
  // The reference serves creation on the singular path; both stay for compatibility.
  router.Add({"POST", "/pcustomers", Permission::kWriteCustomers, true,
              bind_caller(&CustomerRoutes::Create), true});
  router.Add({"POST", "/pcustomer", Permission::kWriteCustomers, true,
              bind_caller(&CustomerRoutes::Create), true});
  router.Add({"POST", "/pcustomers/batch", Permission::kWriteCustomers, true,
              bind_caller(&CustomerRoutes::CreateBatch), true, true});
  router.Add({"GET", "/pcustomers", Permission::kReadCustomers, false,
              bind_caller(&CustomerRoutes::List)});
  router.Add(
      {"GET", "/pcustomers/{id}", Permission::kReadCustomers, false, bind(&CustomerRoutes::Get)});
  router.Add({"PATCH", "/pcustomers/{id}", Permission::kWriteCustomers, true,
              bind_caller(&CustomerRoutes::Update), true});
  router.Add({"GET", "/pcustomers/{id}/history", Permission::kReadCustomers, false,
              bind(&CustomerRoutes::History)});
  router.Add({"DELETE", "/pcustomers/{id}", Permission::kWriteCustomers, false,
              bind_caller(&CustomerRoutes::Delete)});
}

void CustomerRoutes::Create(Request request, Principal caller, Reply reply) {
  Result<SentBody> body = ReadSentBody(request.body);
  if (!body) return reply(ErrorResponse(body.error()));
  Result<NewCustomer> customer = ValidateNewCustomer(*body);
  if (!customer) return reply(ErrorResponse(customer.error()));
  WithOwner(std::move(*customer), HasMember(*body, kOwnerIdField.json),
            [this, by = ActorOf(caller), reply = std::move(reply)](Result<NewCustomer> ready) {
              if (!ready) return reply(ErrorResponse(ready.error()));
              store_.Create(std::move(*ready), by, ReplyCustomer(reply, 201));
            });
}

void CustomerRoutes::WithOwner(NewCustomer customer, bool owner_sent,
                               Done<NewCustomer> done) const {
  std::optional<std::string> owner = customer.owner_id;
  owners_.Check(std::move(owner),
                [this, customer = std::move(customer), owner_sent,
                 done = std::move(done)](Result<std::optional<std::string>> checked) mutable {
                  if (!checked) return done(std::move(checked).error());
                  customer.owner_id = std::move(*checked);
                  if (customer.owner_id || owner_sent) return done(std::move(customer));
                  owners_.TakingTurns([customer = std::move(customer), done = std::move(done)](
                                          Result<std::vector<std::string>> turns) mutable {
                    if (!turns) return done(std::move(turns).error());
                    customer.assign_in_turn = std::move(*turns);
                    done(std::move(customer));
                  });
                });
}

void CustomerRoutes::Get(Request request, Reply reply) {
  if (request.if_none_match.empty()) {
    return store_.Get(std::move(request.path_params[0]), ReplyCustomer(std::move(reply)));
  }
  store_.Get(std::move(request.path_params[0]),
             [if_none_match = std::move(request.if_none_match), answer = ReplyCustomer(reply),
              reply](Result<Customer> customer) {
               if (!customer || !NoneMatchHolds(if_none_match, customer->version)) {
                 return answer(std::move(customer));
               }
               Response unchanged;
               unchanged.status = 304;
               unchanged.headers.emplace_back("ETag", EntityTag(customer->version));
               reply(std::move(unchanged));
             });
}

void CustomerRoutes::Update(Request request, Principal caller, Reply reply) {
  Result<SentBody> body = ReadSentBody(request.body);
  if (!body) return reply(ErrorResponse(body.error()));
  Result<CustomerPatch> patch = ValidateCustomerPatch(*body);
  if (!patch) return reply(ErrorResponse(patch.error()));
  Result<ExpectedVersion> expected = ExpectedVersionOf(request.if_match);
  if (!expected) return reply(ErrorResponse(expected.error()));
  std::optional<std::string> owner;
  if (patch->owner_id) owner = *patch->owner_id;
  owners_.Check(
      std::move(owner), [this, id = std::move(request.path_params[0]), patch = std::move(*patch),
                         expected = *expected, by = ActorOf(caller), reply = std::move(reply)](
                            Result<std::optional<std::string>> checked) mutable {
        if (!checked) return reply(ErrorResponse(checked.error()));
        if (patch.owner_id) patch.owner_id = std::move(*checked);
        store_.Update(std::move(id), std::move(patch), expected, by, ReplyCustomer(reply));
      });
}

void CustomerRoutes::Delete(Request request, Principal caller, Reply reply) {
  Result<ExpectedVersion> expected = ExpectedVersionOf(request.if_match);
  if (!expected) return reply(ErrorResponse(expected.error()));
  // A delete moves the lead to the trash (CONTRACT.md section 8); the answer is as before.
  store_.Trash(std::move(request.path_params[0]), *expected, ActorOf(caller),
               [reply = std::move(reply)](Status deleted) {
                 if (!deleted) return reply(ErrorResponse(deleted.error()));
                 reply(JsonResponse(DataEnvelope("true")));
               });
}

void CustomerRoutes::History(Request request, Reply reply) {
  ReplyHistoryPage(store_, cursors_, std::move(request), "GET /pcustomers/{id}/history",
                   std::nullopt, HistoryEnvelope, std::move(reply));
}

void CustomerRoutes::List(Request request, Principal caller, Reply reply) {
  Result<ListQuery> query = ParseListQuery(request.query, caller.username);
  if (!query) return reply(ErrorResponse(query.error()));
  if (query->plain) return ListAll(std::move(*query), std::move(reply));
  Search(std::move(*query), std::move(reply));
}

void CustomerRoutes::ListAll(ListQuery query, Reply reply) {
  PageRequest page_request;
  page_request.limit = query.search.limit;
  // An empty startKey means "from the start", as an absent one.
  if (!query.start_key.empty()) {
    Result<std::string> after = cursors_.Decode(query.start_key);
    if (!after) return reply(ErrorResponse(after.error()));
    page_request.after_id = std::move(*after);
  }
  const int limit = query.search.limit;
  store_.List(std::move(page_request),
              [this, limit, reply = std::move(reply)](Result<CustomerPage> page) {
                if (!page) return reply(ErrorResponse(page.error()));
                std::optional<std::string> cursor;
                if (page->last_id) cursor = cursors_.Encode(*page->last_id);
                reply(JsonResponse(PageEnvelope(*page, limit, cursor)));
              });
}

void CustomerRoutes::Search(ListQuery query, Reply reply) {
  const CustomerSortField field = query.search.sort.field;
  if (!query.start_key.empty()) {
    Result<Customer> after = cursors_.DecodeSearch(query.start_key, query.fingerprint, field);
    if (!after) return reply(ErrorResponse(after.error()));
    query.search.after = std::move(*after);
  }
  const int limit = query.search.limit;
  store_.Search(std::move(query.search),
                [this, limit, field, fingerprint = std::move(query.fingerprint),
                 reply = std::move(reply)](Result<SearchPage> page) {
                  if (!page) return reply(ErrorResponse(page.error()));
                  std::optional<std::string> cursor;
                  if (page->more && !page->items.empty()) {
                    cursor = cursors_.EncodeSearch(fingerprint, field, page->items.back());
                  }
                  reply(JsonResponse(PageEnvelope(page->items, limit, cursor, page->total)));
                });
}

}  // namespace pcustomer
