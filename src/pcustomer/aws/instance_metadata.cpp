#include "pcustomer/aws/instance_metadata.hpp"

#include <rapidjson/document.h>

#include <charconv>
#include <mutex>
#include <utility>
#include <vector>

#include "pcustomer/util/clock.hpp"

namespace pcustomer {

namespace {

constexpr std::string_view kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
// Six hours, the longest the service grants: one token would do for every refresh, but a
// fresh one per refresh keeps the code free of a second cache.
constexpr std::string_view kTokenTtlSeconds = "21600";

Error MetadataError(std::string what) {
  return Error::Unavailable("instance metadata: " + std::move(what));
}

std::optional<int> Digits(std::string_view text, size_t position, size_t count) {
  if (position + count > text.size()) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data() + position, text.data() + position + count, value);
  if (ec != std::errc() || end != text.data() + position + count) return std::nullopt;
  return value;
}

std::optional<std::string> StringMember(const rapidjson::Value& object, const char* name) {
  auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return std::nullopt;
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

}  // namespace

std::optional<int64_t> ParseIsoUtcSeconds(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::optional<int> year = Digits(text, 0, 4);
  std::optional<int> month = Digits(text, 5, 2);
  std::optional<int> day = Digits(text, 8, 2);
  std::optional<int> hour = Digits(text, 11, 2);
  std::optional<int> minute = Digits(text, 14, 2);
  std::optional<int> second = Digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  std::string_view rest = text.substr(19);
  if (rest.starts_with('.')) {
    size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    rest.remove_prefix(digits);
  }
  if (rest != "Z" && rest != "z" && rest != "+00:00") return std::nullopt;

  using namespace std::chrono;
  year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                      std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return int64_t{sys_days(date).time_since_epoch().count()} * 86400 + int64_t{*hour} * 3600 +
         int64_t{*minute} * 60 + *second;
}

Result<AwsCredentials> ParseInstanceCredentials(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return MetadataError("the credentials document is not JSON");
  }
  std::optional<std::string> code = StringMember(document, "Code");
  if (code && *code != "Success") return MetadataError("the role's credentials are " + *code);
  AwsCredentials credentials;
  std::optional<std::string> key = StringMember(document, "AccessKeyId");
  std::optional<std::string> secret = StringMember(document, "SecretAccessKey");
  if (!key || !secret || key->empty() || secret->empty()) {
    return MetadataError("the credentials document has no AccessKeyId or SecretAccessKey");
  }
  credentials.access_key_id = std::move(*key);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = StringMember(document, "Token");
  if (std::optional<std::string> expiration = StringMember(document, "Expiration")) {
    credentials.expires_at = ParseIsoUtcSeconds(*expiration);
    if (!credentials.expires_at) return MetadataError("unreadable Expiration " + *expiration);
  }
  return credentials;
}

std::string InstanceMetadataEndpoint(const EnvLookup& env) {
  std::string endpoint = env("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("");
  while (endpoint.ends_with('/')) endpoint.pop_back();
  return endpoint.empty() ? InstanceMetadataOptions{}.endpoint : endpoint;
}

bool InstanceMetadataDisabled(const EnvLookup& env) {
  std::optional<std::string> value = env("AWS_EC2_METADATA_DISABLED");
  return value && EqualsIgnoringCase(*value, "true");
}

// Shared with the requests in flight, which keep it alive after the provider is gone.
class InstanceMetadataCredentialsProvider::State
    : public std::enable_shared_from_this<InstanceMetadataCredentialsProvider::State> {
 public:
  State(HttpTransport& transport, InstanceMetadataOptions options)
      : transport_(transport), options_(std::move(options)) {
    if (!options_.now_seconds) options_.now_seconds = [] { return NowUnixMillis() / 1000; };
  }

  void Get(Done<AwsCredentials> done) {
    std::unique_lock lock(mutex_);
    const int64_t now = options_.now_seconds();
    // Past the refresh time, the cached credentials still serve while a failed refresh is
    // held back, as long as they have not expired.
    const bool held_back = now < failure_until_;
    if (cached_ && (now < refresh_at_ || (held_back && StillValid(*cached_, now)))) {
      AwsCredentials credentials = *cached_;
      lock.unlock();
      done(std::move(credentials));
      return;
    }
    if (failure_ && held_back) {
      Error error = *failure_;
      lock.unlock();
      done(std::move(error));
      return;
    }
    waiters_.push_back(std::move(done));
    if (fetching_) return;
    fetching_ = true;
    lock.unlock();
    FetchToken();
  }

 private:
  HttpRequest Request(std::string method, std::string_view path) const {
    HttpRequest request;
    request.method = std::move(method);
    request.url = options_.endpoint + std::string(path);
    request.timeout = options_.timeout;
    return request;
  }

  void FetchToken() {
    HttpRequest request = Request("PUT", "/latest/api/token");
    request.headers.Add("X-aws-ec2-metadata-token-ttl-seconds", std::string(kTokenTtlSeconds));
    transport_.Send(std::move(request), [self = shared_from_this()](Result<HttpResponse> answer) {
      if (!answer) return self->Finish(MetadataError(answer.error().message));
      if (answer->status != 200 || answer->body.empty()) {
        return self->Finish(
            MetadataError("no session token (HTTP " + std::to_string(answer->status) + ")"));
      }
      self->FetchRole(std::move(answer->body));
    });
  }

  void FetchRole(std::string token) {
    HttpRequest request = Request("GET", kCredentialsPath);
    request.headers.Add("X-aws-ec2-metadata-token", token);
    transport_.Send(std::move(request), [self = shared_from_this(),
                                         token](Result<HttpResponse> answer) mutable {
      if (!answer) return self->Finish(MetadataError(answer.error().message));
      if (answer->status == 404) {
        return self->Finish(MetadataError("no IAM role is attached to this instance"));
      }
      // One role per instance profile; the listing is one name per line.
      std::string_view body = answer->body;
      std::string_view role = body.substr(0, body.find('\n'));
      while (!role.empty() && (role.back() == '\r' || role.back() == ' ')) role.remove_suffix(1);
      if (answer->status != 200 || role.empty() || role.find('/') != std::string_view::npos) {
        return self->Finish(
            MetadataError("no role name (HTTP " + std::to_string(answer->status) + ")"));
      }
      self->FetchCredentials(std::move(token), std::string(role));
    });
  }

  void FetchCredentials(std::string token, const std::string& role) {
    HttpRequest request = Request("GET", std::string(kCredentialsPath) + role);
    request.headers.Add("X-aws-ec2-metadata-token", std::move(token));
    transport_.Send(std::move(request), [self = shared_from_this()](Result<HttpResponse> answer) {
      if (!answer) return self->Finish(MetadataError(answer.error().message));
      if (answer->status != 200) {
        return self->Finish(MetadataError("no credentials for the role (HTTP " +
                                          std::to_string(answer->status) + ")"));
      }
      self->Finish(ParseInstanceCredentials(answer->body));
    });
  }

  void Finish(Result<AwsCredentials> result) {
    std::vector<Done<AwsCredentials>> waiters;
    {
      std::lock_guard lock(mutex_);
      const int64_t now = options_.now_seconds();
      fetching_ = false;
      if (result) {
        cached_ = *result;
        failure_.reset();
        failure_until_ = 0;
        // Without an expiry, look again after a while anyway: the role may be rotated.
        refresh_at_ = result->expires_at ? *result->expires_at - options_.refresh_margin.count()
                                         : now + int64_t{15} * 60;
      } else if (cached_ && StillValid(*cached_, now)) {
        result = *cached_;  // still good for a few minutes; tried again after the hold
        failure_until_ = now + options_.failure_hold.count();
      } else {
        cached_.reset();
        failure_ = result.error();
        failure_until_ = now + options_.failure_hold.count();
      }
      waiters.swap(waiters_);
    }
    for (Done<AwsCredentials>& done : waiters) done(result);
  }

  static bool StillValid(const AwsCredentials& credentials, int64_t now) {
    return !credentials.expires_at || now < *credentials.expires_at;
  }

  HttpTransport& transport_;
  InstanceMetadataOptions options_;
  std::mutex mutex_;
  std::optional<AwsCredentials> cached_;
  int64_t refresh_at_ = 0;
  std::optional<Error> failure_;
  int64_t failure_until_ = 0;
  bool fetching_ = false;
  std::vector<Done<AwsCredentials>> waiters_;
};

InstanceMetadataCredentialsProvider::InstanceMetadataCredentialsProvider(
    HttpTransport& transport, InstanceMetadataOptions options)
    : state_(std::make_shared<State>(transport, std::move(options))) {}

InstanceMetadataCredentialsProvider::~InstanceMetadataCredentialsProvider() = default;

void InstanceMetadataCredentialsProvider::GetCredentials(Done<AwsCredentials> done) {
  state_->Get(std::move(done));
}

}  // namespace pcustomer
