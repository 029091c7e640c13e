#include "pcustomer/aws/http_message.hpp"

#include <algorithm>

namespace pcustomer {

namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

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
