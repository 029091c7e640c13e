#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pcustomer/domain/batch.hpp"
#include "pcustomer/domain/customer.hpp"
#include "pcustomer/domain/customer_search.hpp"
#include "pcustomer/domain/history.hpp"
#include "pcustomer/domain/lead_counts.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/trash.hpp"

namespace pcustomer {

// Where potential customers live. Every operation is asynchronous so that a networked
// backend (DynamoDB) never blocks the server's event loops: the embedded backend answers
// reads on the calling thread (page-cache reads take microseconds) and sends writes to
// its single writer thread, which commits them in groups.
//
// Failures every method may report: kUnavailable (store busy, unreachable or failing I/O;
// retrying later may succeed). Nothing is half-written when an operation fails.
// Implementations are thread-safe.
class CustomerStore {
 public:
  virtual ~CustomerStore() = default;

  // Stores a new customer under a fresh id, never overwriting an existing one, with its
  // history entry (`created` by `by`). The change is durable before `done` runs. kConflict
  // when the phone is taken; its one reason is {"source": "phone", "desc": "<existing
  // customer's id>"}.
  virtual void Create(NewCustomer customer, Actor by, Done<Customer> done) = 0;

  // Writes valid new customers in their order, each judged on its own as Create would (a
  // phone taken by an earlier item of the batch too), with its history entry; under
  // kUpsert an item whose phone a lead holds updates that lead to the item's fields instead
  // (unchanged, at its version, when it already holds them). Answers one result per item in
  // the same order, every accepted item durable. Fails as a whole only when the store does.
  virtual void CreateBatch(std::vector<NewCustomer> items, BatchMode mode, Actor by,
                           Done<std::vector<BatchItemResult>> done) = 0;

  // The customer with `id`; kNotFound when there is none.
  virtual void Get(std::string id, Done<Customer> done) = 0;

  // Applies a non-empty patch at the next version, with its history entry (`updated` by
  // `by`, the fields changed), and answers the updated customer; kNotFound when `id` does not
  // exist (never creates); kConflict as Create when the new phone is taken by another;
  // kPreconditionFailed (with the current version) when `expected` is set and the customer is
  // at another version, checked in the same atomic write.
  virtual void Update(std::string id, CustomerPatch patch, ExpectedVersion expected, Actor by,
                      Done<Customer> done) = 0;

  // Moves the customer to the trash (CONTRACT.md section 8) at the next version, with its
  // history entry (`trashed` by `by`): it leaves get, list and search, and its phone is free.
  // kNotFound when `id` is not a customer; kPreconditionFailed as Update.
  virtual void Trash(std::string id, ExpectedVersion expected, Actor by, Done<Ok> done) = 0;

  // A page of the trash, newest deletion first (TrashPageRequest).
  virtual void ListTrash(TrashPageRequest request, Done<TrashPage> done) = 0;

  // Brings a trashed customer back at the next version, with its history entry (`restored`
  // by `by`), and answers it. kNotFound when `id` is not in the trash; kPreconditionFailed as
  // Update (against the trashed version); kConflict as Create when its phone was taken
  // meanwhile (it stays in the trash).
  virtual void Restore(std::string id, ExpectedVersion expected, Actor by, Done<Customer> done) = 0;

  // Erases a trashed customer and its history for good; kNotFound when `id` is not in the
  // trash.
  virtual void Erase(std::string id, Done<Ok> done) = 0;

  // Erases up to `limit` customers trashed before `cutoff` (ISO time), oldest first, with
  // their history; answers how many. The periodic sweep of PCUSTOMER_TRASH_DAYS.
  virtual void EraseTrashedBefore(std::string cutoff, int limit, Done<int> done) = 0;

  // Up to `request.limit` customers with ids greater than `request.after_id`, ascending
  // by id (byte order). `last_id` is set when the page is full and more may follow.
  virtual void List(PageRequest request, Done<CustomerPage> done) = 0;

  // One page of the leads matching `request.filter`, in `request.sort` order, after
  // `request.after` (CONTRACT.md section 7; store/customer_search.hpp evaluates the same
  // request in memory, and every backend answers as it does). `more` is set when another
  // page holds matches.
  virtual void Search(SearchRequest request, Done<SearchPage> done) = 0;

  // A page of the history of lead `request.lead_id`, newest first (HistoryRequest). kNotFound
  // when there is no such lead.
  virtual void History(HistoryRequest request, Done<HistoryPage> done) = 0;

  // Writes a note on lead `id` (`text` is NFC, trimmed, 1 to 2,000 characters: the caller
  // checks): the lead moves to the next version, no field changing, with its history entry
  // (`noted` by `by`, changes {"note": {"from": null, "to": text}}), which is the answer.
  // kNotFound when there is no such lead. A lead's notes are its history entries of action
  // kNoted (History with `action`).
  virtual void AddNote(std::string id, std::string text, Actor by, Done<HistoryEntry> done) = 0;

  // The lead counters (LeadCounts) as the writes keep them; day counters from `first_day`
  // ("YYYY-MM-DD") on. One read, however many leads there are.
  virtual void Counts(std::string first_day, Done<LeadCounts> done) = 0;

  // The customer holding `phone` (national form), if any.
  virtual void FindByPhone(std::string phone, Done<std::optional<Customer>> done) = 0;

  // Ok when a write can commit now (for /readyz): it rewrites one probe record, so a full
  // disk, a read-only database or an unreachable table shows as kUnavailable.
  virtual void CheckReady(Done<Ok> done) = 0;
};

}  // namespace pcustomer
