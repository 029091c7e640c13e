#pragma once

#include <functional>
#include <string>
#include <utility>

#include "pcustomer/api/cursor.hpp"
#include "pcustomer/api/router.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// The routes of working on leads beside their fields (CONTRACT.md section 9): a lead's notes
// and the numbers of GET /stats.
class LeadWorkRoutes {
 public:
  // `now` answers Unix milliseconds: the day /stats counts back from.
  LeadWorkRoutes(CustomerStore& store, CursorCodec cursors, std::function<int64_t()> now)
      : store_(store), cursors_(std::move(cursors)), now_(std::move(now)) {}

  // Adds the routes to `router`; this object must outlive it.
  void Register(Router& router);

  // POST /pcustomers/{id}/notes {"text": "..."}: 201 with the note.
  void AddNote(Request request, Principal caller, Reply reply);
  // GET /pcustomers/{id}/notes: newest first, limit / startKey.
  void ListNotes(Request request, Reply reply);
  // GET /stats: the lead counters, the last 30 UTC days of creations.
  void Stats(Request request, Reply reply);

 private:
  CustomerStore& store_;
  CursorCodec cursors_;
  std::function<int64_t()> now_;
};

}  // namespace pcustomer
