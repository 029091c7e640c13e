#include "pcustomer/aws/cognito_client.hpp"

#include <utility>

#include "pcustomer/aws/cognito_error.hpp"
#include "pcustomer/aws/cognito_messages.hpp"

namespace pcustomer {

namespace {

// Pool ids are "<region>_<id>", and the issuer lives in the pool's region whatever region
// the service itself runs in.
std::string PoolRegion(const CognitoSettings& settings) {
  size_t underscore = settings.user_pool_id.find('_');
  if (underscore == std::string::npos || underscore == 0) return settings.region;
  return settings.user_pool_id.substr(0, underscore);
}

std::string Issuer(const CognitoSettings& settings) {
  if (settings.endpoint.custom) return settings.endpoint.url + "/" + settings.user_pool_id;
  return "https://cognito-idp." + PoolRegion(settings) + ".amazonaws.com/" + settings.user_pool_id;
}

bool IsSuccess(const HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

// Turns the HTTP outcome of a Cognito call into the operation's result.
template <class T, class Parse>
Done<HttpResponse> Answer(CognitoOperation operation, Done<T> done, Parse parse) {
  return [operation, done = std::move(done), parse](Result<HttpResponse> response) {
    if (!response) {
      done(std::move(response).error());
    } else if (!IsSuccess(*response)) {
      done(CognitoError(operation, *response));
    } else {
      done(parse(response->body));
    }
  };
}

}  // namespace

CognitoClient::CognitoClient(CognitoSettings settings, HttpTransport& transport)
    : settings_(std::move(settings)),
      transport_(transport),
      issuer_(Issuer(settings_)),
      jwks_url_(issuer_ + "/.well-known/jwks.json") {}

void CognitoClient::Call(std::string_view operation, std::string body,
                         Done<HttpResponse> done) const {
  HttpRequest request;
  request.method = "POST";
  request.url = settings_.endpoint.url + "/";
  request.headers.Add("Content-Type", "application/x-amz-json-1.1");
  request.headers.Add("X-Amz-Target",
                      "AWSCognitoIdentityProviderService." + std::string(operation));
  request.body = std::move(body);
  request.timeout = settings_.timeout;
  // The AWS SDKs retry these calls on connection failures as well: a repeated sign-in or
  // GetUser changes nothing, and revoking a revoked token again is harmless.
  request.idempotent = true;
  transport_.Send(std::move(request), std::move(done));
}

void CognitoClient::SignIn(const std::string& username, const std::string& password,
                           Done<CognitoTokens> done) const {
  Call("InitiateAuth", SignInRequestBody(settings_, username, password),
       Answer(CognitoOperation::kSignIn, std::move(done), ParseAuthenticationAnswer));
}

void CognitoClient::Refresh(const std::string& refresh_token,
                            const std::optional<std::string>& username,
                            Done<CognitoTokens> done) const {
  Call("InitiateAuth", RefreshRequestBody(settings_, refresh_token, username),
       Answer(CognitoOperation::kRefresh, std::move(done), ParseAuthenticationAnswer));
}

void CognitoClient::RevokeRefreshToken(const std::string& refresh_token, Done<Ok> done) const {
  Call("RevokeToken", RevokeRequestBody(settings_, refresh_token),
       Answer(CognitoOperation::kRevoke, std::move(done),
              [](std::string_view) -> Result<Ok> { return Ok{}; }));
}

void CognitoClient::GetUser(const std::string& access_token, Done<CognitoUser> done) const {
  Call("GetUser", GetUserRequestBody(access_token),
       Answer(CognitoOperation::kGetUser, std::move(done), ParseGetUserAnswer));
}

void CognitoClient::FetchJwks(Done<std::string> done) const {
  HttpRequest request;
  request.url = jwks_url_;
  request.timeout = settings_.timeout;
  transport_.Send(std::move(request), [done = std::move(done)](Result<HttpResponse> response) {
    if (!response) {
      done(std::move(response).error());
    } else if (response->status != 200) {
      done(Error::Unavailable("Cognito JWKS answered HTTP " + std::to_string(response->status)));
    } else {
      done(std::move(response->body));
    }
  });
}

}  // namespace pcustomer
