#pragma once

#include "pcustomer/app/config.hpp"

namespace pcustomer {

// Table administration for PCUSTOMER_STORE=dynamodb, on DYNAMODB_TABLE_NAME_PCUSTOMERS with
// the AWS settings of `config`. Each returns the process exit status.

// Creates the table (on-demand billing, key type HASH + id RANGE, the global secondary
// indexes) if it does not exist and waits until it is ACTIVE. Running it again is harmless.
int RunDynamoDbCreateTable(const Config& config);

// Adds the global secondary indexes that a table made before them lacks, one at a time,
// waiting until each is ACTIVE (DynamoDB fills a new index from the items first). Running it
// again is harmless; stopped midway, the next run waits for the index being made.
int RunDynamoDbMigrate(const Config& config);

// Says exactly what is wrong (credentials, endpoint, missing table, wrong key schema), or
// that all is well. Exit status 1 when something is wrong.
int RunDynamoDbCheck(const Config& config);

// Claims the phones of customers the reference application wrote, so uniqueness covers them.
int RunDynamoDbBackfillPhones(const Config& config);

}  // namespace pcustomer
