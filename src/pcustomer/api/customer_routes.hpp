#pragma once

#include "pcustomer/api/cursor.hpp"
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

  void Create(Request request, Reply reply);
  void Get(Request request, Reply reply);
  void Update(Request request, Reply reply);
  void Delete(Request request, Reply reply);
  void List(Request request, Reply reply);

 private:
  CustomerStore& store_;
  CursorCodec cursors_;
};

}  // namespace pcustomer
