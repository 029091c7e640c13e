#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pcustomer/auth/identity_provider.hpp"
#include "pcustomer/domain/result.hpp"

namespace pcustomer {

// How new leads without an owner get one (PCUSTOMER_ASSIGNMENT).
enum class LeadAssignment { kNone, kRoundRobin };

// The owners of leads (CONTRACT.md section 9), as the identity provider in use knows its
// users: an ownerId must name an existing, enabled user, and round-robin assignment takes
// turns over the enabled users of team sales. Without a provider no name is an owner.
class LeadOwners {
 public:
  LeadOwners(IdentityProvider* directory = nullptr,
             LeadAssignment assignment = LeadAssignment::kNone)
      : directory_(directory), assignment_(assignment) {}

  // The owner as the provider spells the user `owner` names (none stays none); kBadRequest
  // with a reason of source "ownerId" for an unknown or disabled user.
  void Check(std::optional<std::string> owner, Done<std::optional<std::string>> done) const;

  // Check of each of `owners` (distinct names), one after the other.
  void CheckEach(std::vector<std::string> owners,
                 Done<std::map<std::string, Result<std::optional<std::string>>>> done) const;

  // Whom a lead created without an owner goes to in turn: the enabled sales users under
  // round-robin assignment (none when the team has nobody), otherwise nobody.
  void TakingTurns(Done<std::vector<std::string>> done) const;

 private:
  IdentityProvider* directory_;
  LeadAssignment assignment_;
};

}  // namespace pcustomer
