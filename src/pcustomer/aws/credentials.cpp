#include "pcustomer/aws/credentials.hpp"

#include <initializer_list>

#include "pcustomer/aws/aws_config_file.hpp"
#include "pcustomer/aws/instance_metadata.hpp"

namespace pcustomer {

namespace {

std::optional<std::string> NonEmpty(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

Error ConfigurationError(std::string source, std::string description) {
  return Error::BadRequest("Invalid configuration", {{std::move(source), std::move(description)}});
}

// The last link of the chain: instance metadata when allowed, and in any case an answer
// that tells the operator every way to provide credentials.
class FallbackCredentialsProvider final : public AwsCredentialsProvider {
 public:
  explicit FallbackCredentialsProvider(std::unique_ptr<AwsCredentialsProvider> instance_metadata)
      : instance_metadata_(std::move(instance_metadata)) {}

  void GetCredentials(Done<AwsCredentials> done) override {
    if (!instance_metadata_) {
      done(Error::Unavailable(std::string(kNoCredentialsMessage) +
                              " (instance metadata is disabled by AWS_EC2_METADATA_DISABLED)"));
      return;
    }
    instance_metadata_->GetCredentials(
        [done = std::move(done)](Result<AwsCredentials> credentials) {
          if (credentials) return done(std::move(credentials));
          done(Error::Unavailable(std::string(kNoCredentialsMessage) + " (" +
                                  credentials.error().message + ")"));
        });
  }

  std::string source() const override {
    return instance_metadata_ ? instance_metadata_->source() : "none";
  }

 private:
  std::unique_ptr<AwsCredentialsProvider> instance_metadata_;
};

}  // namespace

Result<std::optional<AwsCredentials>> CredentialsFromEnvironment(const EnvLookup& env) {
  std::optional<std::string> key = NonEmpty(env, "AWS_ACCESS_KEY_ID");
  std::optional<std::string> secret = NonEmpty(env, "AWS_SECRET_ACCESS_KEY");
  if (!key && !secret) return std::optional<AwsCredentials>();
  if (!key)
    return ConfigurationError("AWS_ACCESS_KEY_ID", "must be set with AWS_SECRET_ACCESS_KEY");
  if (!secret) {
    return ConfigurationError("AWS_SECRET_ACCESS_KEY", "must be set with AWS_ACCESS_KEY_ID");
  }
  return std::optional<AwsCredentials>(
      AwsCredentials{std::move(*key), std::move(*secret), NonEmpty(env, "AWS_SESSION_TOKEN"), {}});
}

Result<std::optional<AwsCredentials>> CredentialsFromProfile(const EnvLookup& env,
                                                             std::string_view home) {
  const std::string name = ProfileName(env);
  const AwsSharedFilePaths paths = SharedFilePaths(env, home);
  std::optional<AwsProfile> profile = LoadProfile(paths, name);
  if (!profile) {
    // Only a profile asked for by name must exist; without one the default is optional.
    if (NonEmpty(env, "AWS_PROFILE")) {
      return ConfigurationError("AWS_PROFILE", "profile \"" + name + "\" is in neither " +
                                                   paths.credentials + " nor " + paths.config);
    }
    return std::optional<AwsCredentials>();
  }
  auto value = [&](const char* key) -> std::optional<std::string> {
    auto found = profile->values.find(key);
    if (found == profile->values.end() || found->second.empty()) return std::nullopt;
    return found->second;
  };
  const std::string where = "profile " + name;
  std::optional<std::string> key = value("aws_access_key_id");
  std::optional<std::string> secret = value("aws_secret_access_key");
  if (!key && !secret) {
    for (const char* unsupported : {"role_arn", "credential_process", "sso_session",
                                    "sso_start_url", "web_identity_token_file"}) {
      if (value(unsupported)) {
        return ConfigurationError(where, std::string(unsupported) +
                                             " is not supported: use keys, environment "
                                             "variables or an instance role");
      }
    }
    return std::optional<AwsCredentials>();
  }
  if (!key) return ConfigurationError(where, "has aws_secret_access_key without aws_access_key_id");
  if (!secret) {
    return ConfigurationError(where, "has aws_access_key_id without aws_secret_access_key");
  }
  return std::optional<AwsCredentials>(
      AwsCredentials{std::move(*key), std::move(*secret), value("aws_session_token"), {}});
}

Result<std::unique_ptr<AwsCredentialsProvider>> MakeDefaultCredentialsProvider(
    const EnvLookup& env, std::string_view home, HttpTransport& transport) {
  Result<std::optional<AwsCredentials>> from_environment = CredentialsFromEnvironment(env);
  if (!from_environment) return std::move(from_environment).error();
  if (*from_environment) {
    return std::unique_ptr<AwsCredentialsProvider>(
        std::make_unique<StaticCredentialsProvider>(std::move(**from_environment), "environment"));
  }

  Result<std::optional<AwsCredentials>> from_profile = CredentialsFromProfile(env, home);
  if (!from_profile) return std::move(from_profile).error();
  if (*from_profile) {
    return std::unique_ptr<AwsCredentialsProvider>(std::make_unique<StaticCredentialsProvider>(
        std::move(**from_profile), "profile " + ProfileName(env)));
  }

  std::unique_ptr<AwsCredentialsProvider> instance_metadata;
  if (!InstanceMetadataDisabled(env)) {
    InstanceMetadataOptions options;
    options.endpoint = InstanceMetadataEndpoint(env);
    instance_metadata =
        std::make_unique<InstanceMetadataCredentialsProvider>(transport, std::move(options));
  }
  return std::unique_ptr<AwsCredentialsProvider>(
      std::make_unique<FallbackCredentialsProvider>(std::move(instance_metadata)));
}

}  // namespace pcustomer
