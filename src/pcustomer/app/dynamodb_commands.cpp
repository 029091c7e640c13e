#include "pcustomer/app/dynamodb_commands.hpp"

#include <chrono>
#include <cstdio>

#include "pcustomer/app/store_setup.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_table.hpp"

namespace pcustomer {
namespace {

constexpr int kExitFailure = 1;

int Fail(const std::string& message) {
  std::fprintf(stderr, "pcustomer: %s\n", message.c_str());
  return kExitFailure;
}

// The AWS runtime with a DynamoDB client, whatever PCUSTOMER_STORE says.
Result<std::shared_ptr<AwsRuntime>> OpenDynamoDb(const Config& config) {
  Config dynamodb = config;
  dynamodb.store = "dynamodb";
  return OpenAwsRuntime(dynamodb);
}

}  // namespace

int RunDynamoDbCreateTable(const Config& config) {
  auto aws = OpenDynamoDb(config);
  if (!aws) return Fail(aws.error().Described());
  auto setup =
      dynamodb::CreateTable(*(*aws)->dynamodb, config.table_name, dynamodb::TableWaitOptions{});
  if (!setup)
    return Fail("cannot create table " + config.table_name + ": " + setup.error().Described());
  std::printf("table %s %s and ACTIVE\n", config.table_name.c_str(),
              setup->created ? "created" : "exists");
  for (const std::string& note : setup->notes) std::printf("note: %s\n", note.c_str());
  return 0;
}

int RunDynamoDbMigrate(const Config& config) {
  auto aws = OpenDynamoDb(config);
  if (!aws) return Fail(aws.error().Described());
  dynamodb::TableWaitOptions wait;
  // Filling an index reads every item of the table: minutes to hours on a large one.
  wait.poll_interval = std::chrono::seconds(2);
  wait.timeout = std::chrono::hours(2);
  auto migration = dynamodb::MigrateTable(*(*aws)->dynamodb, config.table_name, wait);
  if (!migration)
    return Fail("cannot migrate table " + config.table_name + ": " + migration.error().Described());
  for (const std::string& index : migration->added) {
    std::printf("table %s: index %s added and ACTIVE\n", config.table_name.c_str(), index.c_str());
  }
  if (migration->added.empty()) {
    std::printf("table %s has every index\n", config.table_name.c_str());
  }
  // The customers written without the search index (the reference's) get it now.
  auto backfill = BackfillSearchIndex(*(*aws)->dynamodb, config.table_name);
  if (!backfill) return Fail("cannot index the customers: " + backfill.error().Described());
  std::printf(
      "%lld customers read, %lld indexed now, %lld changed meanwhile (indexed by their writer)\n",
      static_cast<long long>(backfill->customers), static_cast<long long>(backfill->indexed),
      static_cast<long long>(backfill->changed));
  return 0;
}

int RunDynamoDbCheck(const Config& config) {
  auto aws = OpenDynamoDb(config);
  if (!aws) return Fail(aws.error().Described());
  auto problems = dynamodb::CheckTable(*(*aws)->dynamodb, config.table_name);
  if (!problems) return Fail(problems.error().Described());
  if (problems->empty()) {
    std::printf("table %s is ready\n", config.table_name.c_str());
    return 0;
  }
  for (const std::string& problem : *problems)
    std::fprintf(stderr, "pcustomer: %s\n", problem.c_str());
  return kExitFailure;
}

int RunDynamoDbBackfillPhones(const Config& config) {
  auto aws = OpenDynamoDb(config);
  if (!aws) return Fail(aws.error().Described());
  auto backfill = BackfillPhoneClaims(*(*aws)->dynamodb, config.table_name);
  if (!backfill) return Fail(backfill.error().Described());
  std::printf("%lld customers read, %lld phones claimed\n",
              static_cast<long long>(backfill->customers),
              static_cast<long long>(backfill->claimed));
  for (const std::string& problem : backfill->problems)
    std::fprintf(stderr, "pcustomer: %s\n", problem.c_str());
  return backfill->problems.empty() ? 0 : kExitFailure;
}

}  // namespace pcustomer
