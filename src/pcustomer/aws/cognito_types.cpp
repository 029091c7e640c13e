#include "pcustomer/aws/cognito_types.hpp"

namespace pcustomer {

std::optional<std::string_view> CognitoUser::FindAttribute(std::string_view name) const {
  auto found = attributes.find(std::string(name));
  if (found == attributes.end()) return std::nullopt;
  return found->second;
}

}  // namespace pcustomer
