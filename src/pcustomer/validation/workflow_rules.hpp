#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// The rules of the workflow fields (CONTRACT.md section 9): status, source, ownerId, email.
// Each answers the stored form of a client's value, or none when the value is refused.
namespace pcustomer {

// The longest address kept: the 254 characters a mail path allows (RFC 5321 section 4.5.3).
inline constexpr size_t kEmailMaxLength = 254;
// The longest owner name: Cognito's username limit (the built-in provider's is 30).
inline constexpr size_t kOwnerIdMaxLength = 128;

// One of kLeadStatuses / kLeadSources, exactly as listed.
std::optional<std::string> NormalizeLeadStatus(std::string_view text);
std::optional<std::string> NormalizeLeadSource(std::string_view text);

// A "valid e-mail address" of the WHATWG HTML standard (the rule of <input type=email>:
// atext and dots before the @, dot-separated LDH labels of 1 to 63 characters after it),
// after trimming white space, at most kEmailMaxLength characters, lower-cased.
std::optional<std::string> NormalizeEmail(std::string_view text);

// The form of a username: 1 to kOwnerIdMaxLength printable ASCII characters without spaces,
// after trimming. Whether such a user exists is the identity provider's to say.
std::optional<std::string> NormalizeOwnerId(std::string_view text);

// A note's text: 1 to kNoteMaxCharacters code points after NFC and trimming white space.
inline constexpr size_t kNoteMaxCharacters = 2000;
std::optional<std::string> NormalizeNoteText(std::string_view text);

}  // namespace pcustomer
