#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/api/cursor.hpp"
#include "pcustomer/api/lead_owners.hpp"
#include "pcustomer/api/list_query.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// The /pcustomers routes: parse and validate the request, call the store, render the
// envelope. No storage logic lives here.
class CustomerRoutes {
 public:
  CustomerRoutes(CustomerStore& store, CursorCodec cursors, LeadOwners owners = {})
      : store_(store), cursors_(std::move(cursors)), owners_(owners) {}

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
  // A batch between its validation and its write: the valid items, where each stands in the
  // batch and whether it named an owner, and the answers so far.
  struct BatchRun {
    std::vector<std::string> results;
    std::vector<NewCustomer> valid;
    std::vector<size_t> positions;
    std::vector<bool> owner_sent;
    BatchMode mode = BatchMode::kCreate;
    Actor by;
  };
  // The batch written once its owners are checked: items with an unknown owner answer 400.
  void WriteBatch(BatchRun& run,
                  const std::map<std::string, Result<std::optional<std::string>>>& owners,
                  const std::vector<std::string>& turns, Reply reply);
  // `customer` with its owner checked, or given one in turn when the body named none
  // (`owner_sent` false): what a create stores.
  void WithOwner(NewCustomer customer, bool owner_sent, Done<NewCustomer> done) const;

  CustomerStore& store_;
  CursorCodec cursors_;
  LeadOwners owners_;
};

}  // namespace pcustomer
