#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/domain/result.hpp"
#include "pcustomer/domain/trash.hpp"
#include "pcustomer/store/customer_id.hpp"
#include "pcustomer/store/customer_store.hpp"

namespace pcustomer {

// Partition values of the items this service adds to the reference's table, beside the
// customers' "potential_customer" (kCustomerType). The reference's list Query names its
// partition value, so it never sees these.
inline constexpr const char* kPhoneClaimType = "potential_customer_phone";
inline constexpr const char* kSecretType = "pcustomer_secret";
inline constexpr const char* kIdempotencyType = "pcustomer_idempotency_key";
// The sort key of a phone claim: this prefix and the phone's national form.
inline constexpr const char* kPhoneClaimPrefix = "PHONE#";

// How long a phone claim whose customer does not hold the phone is still respected. A create
// or update writes the claim first and the customer after it, so for a moment every claim
// looks like that; only a claim older than any write sequence can take (every call of it
// with all its attempts) is left over from a crash or an outage and may be taken over.
inline constexpr int64_t kDefaultClaimGraceMillis = int64_t{5} * 60 * 1000;

struct DynamoDbStoreOptions {
  // Milliseconds since the Unix epoch for ids, createAt and claim ages; the system clock
  // when empty.
  CustomerIdGenerator::Clock clock;
  int64_t claim_grace_millis = kDefaultClaimGraceMillis;
  // PCUSTOMER_TRASH_DAYS: trashed leads carry a TTL a week past it, a backstop for the sweep
  // (EraseTrashedBefore), which also erases their history.
  int trash_days = kDefaultTrashDays;
};

// The customer store on the reference application's DynamoDB table, in its exact layout:
// partition key `type` (S) = "potential_customer", sort key `id` (S) = "CUSTOMER#<digits>",
// attributes fullName (S), phone (S), age (N), productCode (S), createAt (S), plus the sort
// keys nameKey and ageKey of the by_name and by_age indexes. Items the reference wrote read
// back as they are, except that a phone its update stored as a number gets its leading zero
// back ("912345678" -> "0912345678").
//
// Search (lead_search.hpp): each lead has index entries in partitions of their own, one per
// name word and per phone suffix (search_entries.hpp), written with the lead in one
// TransactWriteItems together with the check of its phone claim (lead_writes.hpp); an
// endpoint without transactions gets the same writes step by step, in an order that keeps
// searches right.
//
// Phone uniqueness: each phone has a claim item {type: kPhoneClaimType, id: "PHONE#<phone>",
// customerId, claimedAt, claimToken}, written conditionally before the customer that takes
// the phone and deleted after the customer lets it go. Customers the reference wrote have no
// claims until BackfillPhoneClaims writes them, and no sort keys or entries until
// BackfillSearchIndex writes them.
//
// Every write is conditional, and a condition that fails because the client's own retry of
// an applied write finds it applied is recognised as success (the item holds exactly what
// was written, or the claim holds this write's token). When a write fails ambiguously
// (kUnavailable after the client's retries: it may or may not have been applied) the claim
// written before it is kept: if the write did land, the customer is still protected; if
// not, the claim is an orphan that another writer takes over after the grace period.
//
// Callbacks run on the client's thread. Thread-safe. The store may be destroyed while
// operations are in flight (they keep what they need); the client must outlive them.
class DynamoDbCustomerStore final : public CustomerStore {
 public:
  DynamoDbCustomerStore(DynamoDbClient& client, std::string table,
                        DynamoDbStoreOptions options = {});
  ~DynamoDbCustomerStore() override;

  DynamoDbCustomerStore(const DynamoDbCustomerStore&) = delete;
  DynamoDbCustomerStore& operator=(const DynamoDbCustomerStore&) = delete;

  // The lead's Put with attribute_not_exists(id) after claiming the phone, with its entries;
  // an id another process took is skipped (past the highest id of its millisecond) and never
  // overwritten.
  void Create(NewCustomer customer, Actor by, Done<Customer> done) override;
  // Item after item through Create, FindByPhone and Update (store/lead_batch.hpp), each with
  // their read-back of an unknown outcome.
  void CreateBatch(std::vector<NewCustomer> items, BatchMode mode, Actor by,
                   Done<std::vector<BatchItemResult>> done) override;
  // GetItem with ConsistentRead; ids that are not IsCustomerId are kNotFound unasked.
  void Get(std::string id, Done<Customer> done) override;
  // Never creates. A patch of age or product code is one UpdateItem with attribute_exists(id).
  // A patch of the name or phone reads the lead and writes it on condition that it is still
  // as read, with its entry changes; a new phone is claimed first and the old claim deleted
  // after, so that concurrent updates of one customer cannot leave its old claim behind.
  void Update(std::string id, CustomerPatch patch, ExpectedVersion expected, Actor by,
              Done<Customer> done) override;
  // Reads the customer (kNotFound when missing), deletes it with its entries on condition
  // that it is still as read, then deletes its phone claim.
  // A delete retried after it was applied answers Ok, not kNotFound.
  // The lead's Delete with its trash items (trash_items.hpp) in one transaction, then the
  // phone's claim released.
  void Trash(std::string id, ExpectedVersion expected, Actor by, Done<Ok> done) override;
  void ListTrash(TrashPageRequest request, Done<TrashPage> done) override;
  // Claims the phone, then puts the lead back and deletes its trash items in one transaction.
  void Restore(std::string id, ExpectedVersion expected, Actor by, Done<Customer> done) override;
  void Erase(std::string id, Done<Ok> done) override;
  void EraseTrashedBefore(std::string cutoff, int limit, Done<int> done) override;
  // Query on the customers' partition, begins_with(id, "CUSTOMER#"), ascending and
  // consistent, repeated until the page plus one item is read or the partition ends (a Query
  // answers at most 1 MB), so `last_id` is set only when another item follows.
  void List(PageRequest request, Done<CustomerPage> done) override;
  void Search(SearchRequest request, Done<SearchPage> done) override;
  // A Query of the lead's history partition (history_items.hpp), newest first.
  void History(HistoryRequest request, Done<HistoryPage> done) override;
  void AddNote(std::string id, std::string text, Actor by, Done<HistoryEntry> done) override;
  void Counts(std::string first_day, Done<LeadCounts> done) override;
  // Through the phone's claim: the customer it names when that customer holds the phone.
  void FindByPhone(std::string phone, Done<std::optional<Customer>> done) override;
  // A cheap GetItem: Ok when the table answers with the configured credentials.
  void CheckReady(Done<Ok> done) override;

  struct Context;

 private:
  std::shared_ptr<Context> context_;
};

// What BackfillPhoneClaims did.
struct PhoneClaimBackfill {
  int64_t customers = 0;  // customers read
  int64_t claimed = 0;    // customers whose phone is claimed for them now
  // One line per customer whose phone could not be claimed, e.g. a phone that two customers
  // of the reference share (resolve by hand: update or delete one of them).
  std::vector<std::string> problems;
};

// Claims the phone of every customer that has none yet (the reference wrote no claims), so
// that uniqueness covers the reference's customers too. Run it once after switching from the
// reference application (it is idempotent). Blocks: call it from a command, never on the
// client's callback thread. kUnavailable when the store fails.
Result<PhoneClaimBackfill> BackfillPhoneClaims(DynamoDbClient& client, std::string table,
                                               DynamoDbStoreOptions options = {});

// What BackfillSearchIndex did.
struct SearchIndexBackfill {
  int64_t customers = 0;  // customers read
  int64_t indexed = 0;    // customers given their sort keys and index entries now
  int64_t changed = 0;    // customers that changed while being indexed (written by this
                          // service meanwhile, which indexes them itself)
};

// Gives every customer without them (the reference's, or written before the search index)
// the sort keys of the by_name and by_age indexes and its index entries (search_entries.hpp),
// one customer at a time, each in one transaction with a condition that it is unchanged. A
// customer already indexed is read and left alone, so running it again is cheap and safe.
// `pcustomer dynamodb migrate` runs it after adding the indexes. Blocks: call it from a
// command. kUnavailable when the store fails.
Result<SearchIndexBackfill> BackfillSearchIndex(DynamoDbClient& client, std::string table,
                                                DynamoDbStoreOptions options = {});

}  // namespace pcustomer
