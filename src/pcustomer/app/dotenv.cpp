#include "pcustomer/app/dotenv.hpp"

namespace pcustomer {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsKey(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::map<std::string, std::string>> ParseDotEnv(std::string_view text) {
  std::map<std::string, std::string> values;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    if (line.rfind("export ", 0) == 0) line = Trim(line.substr(7));
    size_t equals = line.find('=');
    std::string_view key = equals == std::string_view::npos ? line : Trim(line.substr(0, equals));
    if (equals == std::string_view::npos || !IsKey(key)) {
      return Error::BadRequest(".env line " + std::to_string(line_number) + " is not KEY=VALUE");
    }
    std::string_view value = Trim(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (size_t comment = value.find(" #"); comment != std::string_view::npos) {
      value = Trim(value.substr(0, comment));
    }
    values[std::string(key)] = std::string(value);
  }
  return values;
}

}  // namespace pcustomer
