#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pcustomer/aws/endpoint.hpp"

namespace pcustomer {

// The AWS shared files as the SDKs read them: ~/.aws/credentials and ~/.aws/config.

// Section name -> key -> value. Keys are lower-cased; a repeated section adds to the first
// and a repeated key keeps the last value.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;

// Parses INI text: "[section]" lines, "key = value" lines, blank lines, and comments that
// start a line with '#' or ';' or follow a value or section after white space. White space
// around names and values is dropped. Indented lines under a key with an empty value (the
// nested form the S3 settings use) and lines outside any section are ignored, as are lines
// that are none of the above; a UTF-8 byte-order mark and CRLF line ends are accepted.
IniSections ParseIni(std::string_view text);

struct AwsSharedFilePaths {
  std::string credentials;  // AWS_SHARED_CREDENTIALS_FILE, else <home>/.aws/credentials
  std::string config;       // AWS_CONFIG_FILE, else <home>/.aws/config
};

// A leading "~/" in the variables is the home directory, as the SDKs expand it.
AwsSharedFilePaths SharedFilePaths(const EnvLookup& env, std::string_view home);

// AWS_PROFILE, else "default".
std::string ProfileName(const EnvLookup& env);

struct AwsProfile {
  std::string name;
  // The config file's "[profile <name>]" (or "[default]") overlaid by the credentials file's
  // "[<name>]", since the SDKs let the credentials file win.
  std::map<std::string, std::string> values;
};

// The named profile from both files (a missing or unreadable file counts as empty); none
// when neither file has it.
std::optional<AwsProfile> LoadProfile(const AwsSharedFilePaths& paths, std::string_view name);

// The region the SDKs would use: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's
// `region`. None when none is set.
std::optional<std::string> ResolveRegion(const EnvLookup& env, std::string_view home);

// $HOME from `env`; empty when unset.
std::string HomeDirectory(const EnvLookup& env);

}  // namespace pcustomer
