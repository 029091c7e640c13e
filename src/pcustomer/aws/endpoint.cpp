#include "pcustomer/aws/endpoint.hpp"

#include <algorithm>
#include <cstdlib>

#include "pcustomer/aws/http_message.hpp"
#include "pcustomer/aws/http_url.hpp"

namespace pcustomer {

namespace {

std::optional<std::string> NonEmpty(const EnvLookup& env, const std::string& name) {
  std::optional<std::string> value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// Region names are lower-case letters, digits and dashes ("eu-west-1"); anything else would
// end up inside a host name.
bool IsRegionName(std::string_view region) {
  return !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<AwsEndpoint> ResolveEndpoint(const AwsService& service, std::string_view region,
                                    const EnvLookup& env) {
  const std::string specific = "AWS_ENDPOINT_URL_" + std::string(service.env_suffix);
  const std::string general = "AWS_ENDPOINT_URL";
  std::optional<std::string> ignore = NonEmpty(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  const bool ignored = ignore && EqualsIgnoringCase(*ignore, "true");

  for (const std::string& name : {specific, general}) {
    if (ignored) break;
    std::optional<std::string> value = NonEmpty(env, name);
    if (!value) continue;
    std::string url = *value;
    while (url.ends_with('/')) url.pop_back();
    std::optional<HttpUrl> parsed = ParseHttpUrl(url);
    if (!parsed || url.find_first_of("?#") != std::string::npos) {
      return Error::BadRequest("Invalid configuration",
                               {{name, "must be an http:// or https:// URL"}});
    }
    return AwsEndpoint{std::move(url), true};
  }
  if (!IsRegionName(region)) {
    return Error::BadRequest("Invalid configuration",
                             {{"AWS_REGION", region.empty() ? "must be set (or " + specific + ")"
                                                            : "is not an AWS region name"}});
  }
  return AwsEndpoint{"https://" + std::string(service.endpoint_prefix) + "." + std::string(region) +
                         ".amazonaws.com",
                     false};
}

}  // namespace pcustomer
