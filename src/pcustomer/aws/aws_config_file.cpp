#include "pcustomer/aws/aws_config_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace pcustomer {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

// Cuts a comment that starts after white space ("value ; note"). Key values never hold white
// space followed by '#' or ';', while a secret may hold either character on its own.
std::string_view StripTrailingComment(std::string_view text) {
  for (size_t i = 1; i < text.size(); ++i) {
    if ((text[i] == '#' || text[i] == ';') && IsBlank(text[i - 1])) return text.substr(0, i);
  }
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return out;
}

std::optional<std::string> NonEmpty(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::string ExpandHome(std::string path, std::string_view home) {
  if (path == "~" || path.starts_with("~/")) return std::string(home) + path.substr(1);
  return path;
}

// A missing or unreadable file reads as empty: the SDKs treat both files as optional.
std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return {};
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

IniSections ParseIni(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  IniSections sections;
  std::map<std::string, std::string>* section = nullptr;
  bool in_nested_block = false;
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    std::string_view raw = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));

    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (indented && in_nested_block) continue;
    in_nested_block = false;

    if (line.front() == '[') {
      line = Trim(StripTrailingComment(line));
      if (!line.ends_with(']')) {
        section = nullptr;  // a broken header: ignore its keys rather than file them elsewhere
        continue;
      }
      section = &sections[std::string(Trim(line.substr(1, line.size() - 2)))];
      continue;
    }
    size_t equals = line.find('=');
    if (section == nullptr || equals == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, equals)));
    std::string_view value = Trim(StripTrailingComment(Trim(line.substr(equals + 1))));
    if (key.empty()) continue;
    if (value.empty()) in_nested_block = true;
    (*section)[key] = std::string(value);
  }
  return sections;
}

AwsSharedFilePaths SharedFilePaths(const EnvLookup& env, std::string_view home) {
  const std::string aws_dir = std::string(home) + "/.aws/";
  AwsSharedFilePaths paths;
  paths.credentials = ExpandHome(
      NonEmpty(env, "AWS_SHARED_CREDENTIALS_FILE").value_or(aws_dir + "credentials"), home);
  paths.config = ExpandHome(NonEmpty(env, "AWS_CONFIG_FILE").value_or(aws_dir + "config"), home);
  return paths;
}

std::string ProfileName(const EnvLookup& env) {
  return NonEmpty(env, "AWS_PROFILE").value_or("default");
}

std::optional<AwsProfile> LoadProfile(const AwsSharedFilePaths& paths, std::string_view name) {
  AwsProfile profile{std::string(name), {}};
  bool found = false;

  IniSections config = ParseIni(ReadFile(paths.config));
  // The config file names profiles "[profile x]", except the default, which the SDKs accept
  // either way.
  std::vector<std::string> config_names = {"profile " + std::string(name)};
  if (name == "default") config_names.insert(config_names.begin(), "default");
  for (const std::string& section_name : config_names) {
    auto section = config.find(section_name);
    if (section == config.end()) continue;
    found = true;
    for (const auto& [key, value] : section->second) profile.values[key] = value;
  }

  IniSections credentials = ParseIni(ReadFile(paths.credentials));
  if (auto section = credentials.find(std::string(name)); section != credentials.end()) {
    found = true;
    for (const auto& [key, value] : section->second) profile.values[key] = value;
  }
  if (!found) return std::nullopt;
  return profile;
}

std::optional<std::string> ResolveRegion(const EnvLookup& env, std::string_view home) {
  for (std::string_view name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::optional<std::string> region = NonEmpty(env, name)) return region;
  }
  std::optional<AwsProfile> profile = LoadProfile(SharedFilePaths(env, home), ProfileName(env));
  if (!profile) return std::nullopt;
  auto region = profile->values.find("region");
  if (region == profile->values.end() || region->second.empty()) return std::nullopt;
  return region->second;
}

std::string HomeDirectory(const EnvLookup& env) { return env("HOME").value_or(""); }

}  // namespace pcustomer
