#include "pcustomer/aws/endpoint.hpp"

#include <gtest/gtest.h>

#include <map>

namespace pcustomer {
namespace {

EnvLookup Env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

struct Case {
  const char* name;
  AwsService service;
  const char* region;
  std::map<std::string, std::string> env;
  const char* url;  // null: expect kBadRequest
  bool custom;
};

TEST(EndpointTest, ResolvesLikeTheAwsSdks) {
  const Case cases[] = {
      {"default dynamodb",
       kDynamoDbService,
       "eu-west-1",
       {},
       "https://dynamodb.eu-west-1.amazonaws.com",
       false},
      {"default cognito",
       kCognitoIdentityProviderService,
       "ap-southeast-1",
       {},
       "https://cognito-idp.ap-southeast-1.amazonaws.com",
       false},
      {"service variable",
       kDynamoDbService,
       "eu-west-1",
       {{"AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"}},
       "http://127.0.0.1:8000",
       true},
      {"service variable wins",
       kCognitoIdentityProviderService,
       "eu-west-1",
       {{"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "http://localhost:9229/"},
        {"AWS_ENDPOINT_URL", "http://other:1"}},
       "http://localhost:9229",
       true},
      {"other service's variable ignored",
       kDynamoDbService,
       "eu-west-1",
       {{"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "http://localhost:9229"}},
       "https://dynamodb.eu-west-1.amazonaws.com",
       false},
      {"general variable",
       kDynamoDbService,
       "",
       {{"AWS_ENDPOINT_URL", "https://proxy:4566"}},
       "https://proxy:4566",
       true},
      {"empty counts as unset",
       kDynamoDbService,
       "us-east-1",
       {{"AWS_ENDPOINT_URL_DYNAMODB", ""}, {"AWS_ENDPOINT_URL", "http://h:1"}},
       "http://h:1",
       true},
      {"ignore flag",
       kDynamoDbService,
       "us-east-1",
       {{"AWS_ENDPOINT_URL_DYNAMODB", "http://h:1"},
        {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}},
       "https://dynamodb.us-east-1.amazonaws.com",
       false},
      {"path kept",
       kDynamoDbService,
       "",
       {{"AWS_ENDPOINT_URL", "http://h:1/base/"}},
       "http://h:1/base",
       true},
      {"no region", kDynamoDbService, "", {}, nullptr, false},
      {"bad region", kDynamoDbService, "eu-west-1.evil.com/", {}, nullptr, false},
      {"not a URL",
       kDynamoDbService,
       "eu-west-1",
       {{"AWS_ENDPOINT_URL_DYNAMODB", "localhost:8000"}},
       nullptr,
       false},
      {"query in URL",
       kDynamoDbService,
       "eu-west-1",
       {{"AWS_ENDPOINT_URL", "http://h/?a=b"}},
       nullptr,
       false},
  };
  for (const Case& c : cases) {
    Result<AwsEndpoint> endpoint = ResolveEndpoint(c.service, c.region, Env(c.env));
    if (c.url == nullptr) {
      ASSERT_FALSE(endpoint.ok()) << c.name;
      EXPECT_EQ(endpoint.error().code, ErrorCode::kBadRequest) << c.name;
      ASSERT_EQ(endpoint.error().reasons.size(), 1u) << c.name;
      continue;
    }
    ASSERT_TRUE(endpoint.ok()) << c.name << ": " << endpoint.error().message;
    EXPECT_EQ(endpoint->url, c.url) << c.name;
    EXPECT_EQ(endpoint->custom, c.custom) << c.name;
  }
}

TEST(EndpointTest, ReasonNamesTheBadVariable) {
  Result<AwsEndpoint> endpoint = ResolveEndpoint(kDynamoDbService, "eu-west-1",
                                                 Env({{"AWS_ENDPOINT_URL_DYNAMODB", "ftp://x"}}));
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().reasons[0].source, "AWS_ENDPOINT_URL_DYNAMODB");
  endpoint = ResolveEndpoint(kDynamoDbService, "", Env({}));
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().reasons[0].source, "AWS_REGION");
}

TEST(EndpointTest, ProcessEnvironmentReadsGetenv) {
  ::setenv("PC_AWS_ENDPOINT_TEST_VARIABLE", "value", 1);
  EXPECT_EQ(ProcessEnvironment()("PC_AWS_ENDPOINT_TEST_VARIABLE"), "value");
  ::unsetenv("PC_AWS_ENDPOINT_TEST_VARIABLE");
  EXPECT_FALSE(ProcessEnvironment()("PC_AWS_ENDPOINT_TEST_VARIABLE").has_value());
}

}  // namespace
}  // namespace pcustomer
