#include "pcustomer/api/token_authorizer.hpp"

#include <cctype>

#include "pcustomer/auth/policy.hpp"

namespace pcustomer {
namespace {

// The token of "Bearer <token>" (scheme case-insensitive, RFC 7235), or empty.
std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace

void TokenAuthorizer::Authorize(const Request& request, Permission permission,
                                Done<Principal> done) {
  if (permission == Permission::kPublic) return done(Principal{});
  std::string_view token = BearerToken(request.authorization);
  if (token.empty()) {
    return done(Error::Unauthorized("A bearer access token is required"));
  }
  identity_.Authenticate(std::string(token),
                         [permission, done = std::move(done)](Result<Principal> caller) {
                           if (!caller) return done(std::move(caller).error());
                           if (Status allowed = CheckPermission(*caller, permission); !allowed)
                             return done(allowed.error());
                           done(std::move(*caller));
                         });
}

}  // namespace pcustomer
