#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/aws/credentials.hpp"
#include "pcustomer/aws/endpoint.hpp"
#include "pcustomer/aws/http_transport.hpp"

namespace pcustomer {

// Credentials of the IAM role attached to an EC2 instance, from the instance metadata
// service, version 2 (session tokens; IMDSv1 is not used, as AWS recommends turning it off):
//   PUT  /latest/api/token                           (X-aws-ec2-metadata-token-ttl-seconds)
//   GET  /latest/meta-data/iam/security-credentials/ (X-aws-ec2-metadata-token) -> role name
//   GET  /latest/meta-data/iam/security-credentials/<role>  -> JSON credentials

struct InstanceMetadataOptions {
  std::string endpoint = "http://169.254.169.254";
  // Per request. The service answers within milliseconds on EC2; elsewhere the address does
  // not answer at all, and this is how long finding that out costs.
  std::chrono::milliseconds timeout = std::chrono::seconds(1);
  // Credentials are fetched anew this long before they expire (the SDKs' margin), so that no
  // request is signed with credentials about to lapse.
  std::chrono::seconds refresh_margin = std::chrono::minutes(5);
  // After a failed fetch, callers get that failure without a new fetch for this long: on a
  // machine without the service every request would otherwise wait out the timeout.
  std::chrono::seconds failure_hold = std::chrono::seconds(5);
  // Unix seconds; the system clock when empty.
  std::function<int64_t()> now_seconds;
};

// AWS_EC2_METADATA_SERVICE_ENDPOINT (without a trailing '/'), else the link-local default.
std::string InstanceMetadataEndpoint(const EnvLookup& env);

// AWS_EC2_METADATA_DISABLED=true (any case).
bool InstanceMetadataDisabled(const EnvLookup& env);

// Fetches on first use and caches until `refresh_margin` before expiry; concurrent callers
// share one fetch. A failed refresh while the cached credentials have not yet expired still
// answers them. Failures are kUnavailable "instance metadata: <what went wrong>".
// Requests in flight do not refer to the provider, so it may be destroyed before they end;
// `transport` must outlive them. `done` runs on the transport's thread, or on the caller's
// when the answer is cached.
class InstanceMetadataCredentialsProvider final : public AwsCredentialsProvider {
 public:
  InstanceMetadataCredentialsProvider(HttpTransport& transport, InstanceMetadataOptions options);
  ~InstanceMetadataCredentialsProvider() override;

  void GetCredentials(Done<AwsCredentials> done) override;
  std::string source() const override { return "EC2 instance metadata"; }

 private:
  class State;
  std::shared_ptr<State> state_;
};

// The role credentials document: {"Code":"Success","AccessKeyId":...,"SecretAccessKey":...,
// "Token":...,"Expiration":"2015-08-30T12:36:00Z"}. kUnavailable when it is not one.
Result<AwsCredentials> ParseInstanceCredentials(std::string_view json);

// "2015-08-30T12:36:00Z" (fraction and "+00:00" accepted) as Unix seconds.
std::optional<int64_t> ParseIsoUtcSeconds(std::string_view text);

}  // namespace pcustomer
