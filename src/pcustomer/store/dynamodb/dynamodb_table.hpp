#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pcustomer/aws/dynamodb_client.hpp"
#include "pcustomer/domain/result.hpp"

// Setting up and checking the table (for `pcustomer dynamodb create-table|check`). Every
// function here blocks until the client answers: call them from a command, never on the
// client's callback thread.
namespace pcustomer::dynamodb {

struct TableWaitOptions {
  // How often DescribeTable is asked while the table is being created, and for how long.
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds timeout{120'000};
};

struct TableSetup {
  bool created = false;  // false: the table existed already
  // What did not work but leaves the table usable, e.g. time to live that the endpoint does
  // not support (dynalite), so that expired refresh tokens are kept.
  std::vector<std::string> notes;
};

// Creates the table in the reference's layout (`type` HASH, `id` RANGE, both S), billed
// PAY_PER_REQUEST, unless it exists (ResourceInUseException), waits until it is ACTIVE, and
// enables time to live on kTimeToLiveAttribute. kUnavailable when the endpoint or the
// credentials fail or the table is not ACTIVE in time; kBadRequest when a table of that
// name exists with another layout (its problems listed in the message, as CheckTable).
Result<TableSetup> CreateTable(DynamoDbClient& client, const std::string& table,
                               const TableWaitOptions& options = {});

// What keeps the table from serving this service, one line per problem: missing, wrong key
// schema (names, types, order), not ACTIVE. Empty when it is fine. Endpoint and credential
// failures are errors (kUnavailable with the client's message), not problems.
Result<std::vector<std::string>> CheckTable(DynamoDbClient& client, const std::string& table);

}  // namespace pcustomer::dynamodb
