#pragma once

#include <string>
#include <string_view>

namespace pcustomer {

// `count` bytes from the operating system's CSPRNG (OpenSSL RAND_bytes). Throws
// std::runtime_error only if the generator is unusable, which is fatal anyway.
std::string RandomBytes(size_t count);

std::string HmacSha256(std::string_view key, std::string_view message);
std::string Sha256(std::string_view message);

// Comparison whose duration does not depend on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace pcustomer
