#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pcustomer/aws/endpoint.hpp"
#include "pcustomer/aws/http_transport.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  // Temporary credentials (an instance role, an assumed role) come with a token that every
  // request must carry as X-Amz-Security-Token.
  std::optional<std::string> session_token;
  // Unix seconds after which AWS refuses them; none for long-term keys.
  std::optional<int64_t> expires_at;
};

// Where requests get their credentials. Implementations may fetch them over the network, so
// the answer is asynchronous.
class AwsCredentialsProvider {
 public:
  virtual ~AwsCredentialsProvider() = default;

  // Calls `done` exactly once, with credentials that stay valid for at least a few minutes,
  // or with kUnavailable saying why there are none. `done` may run on the calling thread
  // before this returns. Thread-safe.
  virtual void GetCredentials(Done<AwsCredentials> done) = 0;

  // Where the credentials come from, for a startup log line ("environment", "profile dev",
  // "EC2 instance metadata"); never a secret.
  virtual std::string source() const = 0;
};

// Always answers the same credentials (from the environment or a profile file).
class StaticCredentialsProvider final : public AwsCredentialsProvider {
 public:
  StaticCredentialsProvider(AwsCredentials credentials, std::string source)
      : credentials_(std::move(credentials)), source_(std::move(source)) {}
  void GetCredentials(Done<AwsCredentials> done) override { done(credentials_); }
  std::string source() const override { return source_; }

 private:
  AwsCredentials credentials_;
  std::string source_;
};

// What every failure to find credentials says, so that operators see the three ways out.
inline constexpr std::string_view kNoCredentialsMessage =
    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run "
    "on EC2 with an instance role";

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. None when neither key is
// set; kBadRequest naming the missing variable when only one of the two is.
Result<std::optional<AwsCredentials>> CredentialsFromEnvironment(const EnvLookup& env);

// The keys of the profile AWS_PROFILE names (default "default") in the shared credentials
// and config files (aws_config_file.hpp). None when the profile has no aws_access_key_id (it
// may hold only a region). kBadRequest when AWS_PROFILE names a profile that neither file
// has, when a profile has only one of the two keys, or when it relies on what is not
// supported here (role_arn, credential_process, sso_*).
Result<std::optional<AwsCredentials>> CredentialsFromProfile(const EnvLookup& env,
                                                             std::string_view home);

// The AWS SDKs' default chain, minus the container and SSO sources: the environment, then
// the shared profile files, then EC2 instance metadata (IMDSv2, instance_metadata.hpp)
// unless AWS_EC2_METADATA_DISABLED=true. The first two are read here, once; instance
// metadata is asked when credentials are first needed, through `transport`, which must
// outlive the provider and its requests. When no source has credentials, GetCredentials
// fails with kUnavailable kNoCredentialsMessage (and what the metadata service said).
// Fails with kBadRequest (naming the variable or file) for a broken configuration, so that
// the service can refuse to start.
Result<std::unique_ptr<AwsCredentialsProvider>> MakeDefaultCredentialsProvider(
    const EnvLookup& env, std::string_view home, HttpTransport& transport);

}  // namespace pcustomer
