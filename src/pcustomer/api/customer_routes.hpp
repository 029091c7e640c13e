#pragma once

#include "pcustomer/api/cursor.hpp"
#include "pcustomer/api/list_query.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// The /pcustomers routes: parse and validate the request, call the store, render the
// envelope. No storage logic lives here.
class CustomerRoutes {
 public:
  CustomerRoutes(CustomerStore& store, CursorCodec cursors)
      : store_(store), cursors_(std::move(cursors)) {}

  // Adds the routes to `router`; this object must outlive it.
  void Register(Router& router);

  void Create(Request request, Principal caller, Reply reply);
  // POST /pcustomers/batch: up to 100 leads, each judged on its own (customer_batch.cpp).
  void CreateBatch(Request request, Principal caller, Reply reply);
  void Get(Request request, Reply reply);
  void Update(Request request, Principal caller, Reply reply);
  void Delete(Request request, Principal caller, Reply reply);
  // `ownerId=me` names the caller.
  void List(Request request, Principal caller, Reply reply);
  // GET /pcustomers/{id}/history: the lead's changes, newest first (CONTRACT.md section 8).
  void History(Request request, Reply reply);

 private:
  // GET /pcustomers without filter, sort or total: the listing of CONTRACT.md section 4.
  void ListAll(ListQuery query, Reply reply);
  // GET /pcustomers with any of them (section 7).
  void Search(ListQuery query, Reply reply);

  CustomerStore& store_;
  CursorCodec cursors_;
};

}  // namespace pcustomer
