#include "pcustomer/app/store_setup.hpp"

#include <cstdlib>

#include "pcustomer/aws/aws_config_file.hpp"
#include "pcustomer/aws/dynamodb_http_client.hpp"
#include "pcustomer/store/dynamodb/dynamodb_customer_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_idempotency_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_secret_store.hpp"
#include "pcustomer/store/dynamodb/dynamodb_user_store.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"
#include "pcustomer/store/sqlite/sqlite_idempotency_store.hpp"
#include "pcustomer/store/sqlite/sqlite_secret_store.hpp"
#include "pcustomer/store/sqlite/sqlite_user_store.hpp"

namespace pcustomer {

EnvLookup AwsEnvironment(const Config& config) {
  return [variables = config.variables](std::string_view name) -> std::optional<std::string> {
    if (auto found = variables.find(std::string(name)); found != variables.end())
      return found->second;
    if (const char* value = std::getenv(std::string(name).c_str())) return std::string(value);
    return std::nullopt;
  };
}

Result<std::shared_ptr<AwsRuntime>> OpenAwsRuntime(const Config& config) {
  auto runtime = std::make_shared<AwsRuntime>();
  runtime->http = std::make_unique<HttpClient>(HttpClient::Options{});
  if (config.store != "dynamodb") return runtime;
  EnvLookup env = AwsEnvironment(config);
  std::string home = HomeDirectory(env);
  // An explicit region wins; else the profile's; else the reference's default.
  std::string region = config.aws_region;
  if (!env("AWS_REGION") && !env("AWS_DEFAULT_REGION")) {
    if (auto from_profile = ResolveRegion(env, home)) region = *from_profile;
  }
  auto credentials = MakeDefaultCredentialsProvider(env, home, *runtime->http);
  if (!credentials) return std::move(credentials).error();
  runtime->credentials = std::move(*credentials);
  auto endpoint = ResolveEndpoint(kDynamoDbService, region, env);
  if (!endpoint) return std::move(endpoint).error();
  DynamoDbHttpClientOptions options;
  options.endpoint = std::move(*endpoint);
  options.region = region;
  runtime->dynamodb = std::make_unique<DynamoDbHttpClient>(std::move(options), *runtime->http,
                                                           *runtime->credentials);
  return runtime;
}

Result<Stores> OpenStores(const Config& config) {
  Stores stores;
  if (config.store == "dynamodb") {
    auto aws = OpenAwsRuntime(config);
    if (!aws) return std::move(aws).error();
    stores.aws = std::move(*aws);
    DynamoDbStoreOptions options;
    options.trash_days = config.trash_days;
    stores.customers =
        std::make_unique<DynamoDbCustomerStore>(*stores.aws->dynamodb, config.table_name, options);
    stores.users = std::make_unique<DynamoDbUserStore>(*stores.aws->dynamodb, config.table_name);
    stores.secrets =
        std::make_unique<DynamoDbSecretStore>(*stores.aws->dynamodb, config.table_name);
    stores.idempotency =
        std::make_unique<DynamoDbIdempotencyStore>(*stores.aws->dynamodb, config.table_name);
    return stores;
  }
  SqliteOptions options;
  options.data_dir = config.data_dir;
  auto sqlite = SqliteCustomerStore::Open(options);
  if (!sqlite) return std::move(sqlite).error();
  stores.users = std::make_unique<SqliteUserStore>((*sqlite)->database());
  stores.secrets = std::make_unique<SqliteSecretStore>((*sqlite)->database());
  stores.idempotency = std::make_unique<SqliteIdempotencyStore>((*sqlite)->database());
  stores.customers = std::move(*sqlite);
  return stores;
}

}  // namespace pcustomer
