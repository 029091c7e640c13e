#include "pcustomer/aws/http_message.hpp"

#include <algorithm>

namespace pcustomer {

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Set(std::string name, std::string value) {
  std::erase_if(fields_, [&](const Field& field) { return EqualsIgnoringCase(field.first, name); });
  Add(std::move(name), std::move(value));
}

std::optional<std::string_view> HttpHeaders::Find(std::string_view name) const {
  for (const Field& field : fields_) {
    if (EqualsIgnoringCase(field.first, name)) return field.second;
  }
  return std::nullopt;
}

bool IsIdempotent(const HttpRequest& request) {
  if (request.idempotent) return *request.idempotent;
  for (std::string_view method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
    if (EqualsIgnoringCase(request.method, method)) return true;
  }
  return false;
}

}  // namespace pcustomer
