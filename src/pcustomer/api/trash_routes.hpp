#pragma once

#include "pcustomer/api/cursor.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// The /trash routes (CONTRACT.md section 8): list the trash, restore a lead from it, erase
// one for good. DELETE /pcustomers/{id} (customer_routes.hpp) is what puts leads there.
class TrashRoutes {
 public:
  TrashRoutes(CustomerStore& store, CursorCodec cursors)
      : store_(store), cursors_(std::move(cursors)) {}

  // Adds the routes to `router`; this object must outlive it.
  void Register(Router& router);

  void List(Request request, Reply reply);
  void Restore(Request request, Principal caller, Reply reply);
  void Erase(Request request, Reply reply);

 private:
  CustomerStore& store_;
  CursorCodec cursors_;
};

}  // namespace pcustomer
