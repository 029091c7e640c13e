#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/domain/result.hpp"

// Setting up and checking the table (for `pcustomer dynamodb create-table|migrate|check`).
// Every function here blocks until the client answers: call them from a command, never on the
// client's callback thread.
namespace pcustomer::dynamodb {

// A global secondary index of the table: partition key `partition_key` (S), sort key
// `sort_key` of type `sort_type`, projection ALL. Sparse: it holds only the items that have
// both attributes, so the other partitions (claims, users, tokens) never show in it.
struct GlobalIndex {
  std::string_view name;
  std::string_view partition_key;
  std::string_view sort_key;
  std::string_view sort_type;  // "S" or "B"
};

// Leads by name: `nameKey` = the ICU collation key bytes of fullName, 0x00, the id (binary
// sorts as unsigned bytes, so the order is the collation's, ties broken by id).
inline constexpr GlobalIndex kNameIndex{"by_name", "type", "nameKey", "B"};
// Leads by age: `ageKey`, a string that sorts as the age does, ties broken by id.
inline constexpr GlobalIndex kAgeIndex{"by_age", "type", "ageKey", "S"};
// Leads by last change: `updatedKey` = updatedAt "#" id (ISO times sort as text).
inline constexpr GlobalIndex kUpdatedIndex{"by_updated", "type", "updatedKey", "S"};
inline constexpr std::array<GlobalIndex, 3> kGlobalIndexes{kNameIndex, kAgeIndex, kUpdatedIndex};

struct TableWaitOptions {
  // How often DescribeTable is asked while the table or an index is being created, and for
  // how long (for each index MigrateTable adds).
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds timeout{120'000};
};

struct TableSetup {
  bool created = false;  // false: the table existed already
  // What did not work but leaves the table usable, e.g. time to live that the endpoint does
  // not support (dynalite), so that expired refresh tokens are kept, or an existing table
  // without the global secondary indexes (`pcustomer dynamodb migrate` adds them).
  std::vector<std::string> notes;
};

// Creates the table in the reference's layout (`type` HASH, `id` RANGE, both S) with the
// kGlobalIndexes, billed PAY_PER_REQUEST, unless it exists (ResourceInUseException), waits
// until it and its indexes are ACTIVE, and enables time to live on kTimeToLiveAttribute.
// An endpoint that refuses the indexes gets the table without them, and a note. An existing
// table keeps what it has: missing indexes are a note. kUnavailable when the endpoint or the
// credentials fail or the table is not ACTIVE in time; kBadRequest when a table of that name
// exists with another layout (its problems listed in the message, as CheckTable).
Result<TableSetup> CreateTable(DynamoDbClient& client, const std::string& table,
                               const TableWaitOptions& options = {});

struct TableMigration {
  std::vector<std::string> added;  // the indexes created, in order
};

// Adds the kGlobalIndexes that an existing table lacks, one UpdateTable each (DynamoDB
// creates one index per call), waiting after each until it is ACTIVE (DynamoDB fills a new
// index from the table's items first: minutes on a large table). Nothing to add is an empty
// migration. A provisioned table's new indexes get the table's capacity. kBadRequest when the
// table does not exist, has another layout or an index of that name with another layout, or
// the endpoint accepts UpdateTable without creating the index (dynalite); kUnavailable when
// the endpoint fails or an index is not ACTIVE within `options.timeout`.
Result<TableMigration> MigrateTable(DynamoDbClient& client, const std::string& table,
                                    const TableWaitOptions& options = {});

// What keeps the table from serving this service, one line per problem: missing, wrong key
// schema (names, types, order), not ACTIVE, a global secondary index missing (to add with
// `pcustomer dynamodb migrate`), of another layout or not ACTIVE. Empty when it is fine.
// Endpoint and credential failures are errors (kUnavailable with the client's message), not
// problems.
Result<std::vector<std::string>> CheckTable(DynamoDbClient& client, const std::string& table);

}  // namespace pcustomer::dynamodb
