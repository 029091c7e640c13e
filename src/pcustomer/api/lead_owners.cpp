#include "pcustomer/api/lead_owners.hpp"

#include <memory>
#include <utility>

namespace pcustomer {
namespace {

Error NotAnOwner(const std::string& owner) {
  return Error::Validation(
      {{"ownerId", "ownerId must name an existing, enabled user: " + owner + " is not one"}});
}

// The state of CheckEach: the names left, and the answers so far.
struct OwnerChecks {
  const LeadOwners* owners;
  std::vector<std::string> names;
  size_t next = 0;
  std::map<std::string, Result<std::optional<std::string>>> checked;
  Done<std::map<std::string, Result<std::optional<std::string>>>> done;
};

void CheckNext(std::shared_ptr<OwnerChecks> state) {
  if (state->next == state->names.size()) return state->done(std::move(state->checked));
  const std::string name = state->names[state->next++];
  state->owners->Check(name, [state, name](Result<std::optional<std::string>> owner) {
    state->checked.emplace(name, std::move(owner));
    CheckNext(state);
  });
}

}  // namespace

void LeadOwners::Check(std::optional<std::string> owner,
                       Done<std::optional<std::string>> done) const {
  if (!owner) return done(std::optional<std::string>());
  if (directory_ == nullptr) return done(NotAnOwner(*owner));
  std::string name = *owner;
  directory_->LookUpUser(std::move(*owner), [name = std::move(name), done = std::move(done)](
                                                Result<std::optional<DirectoryUser>> user) {
    if (!user.ok()) return done(std::move(user).error());
    if (!user->has_value() || !(*user)->enabled) return done(NotAnOwner(name));
    done(std::optional<std::string>((*user)->username));
  });
}

void LeadOwners::CheckEach(
    std::vector<std::string> owners,
    Done<std::map<std::string, Result<std::optional<std::string>>>> done) const {
  auto state = std::make_shared<OwnerChecks>();
  state->owners = this;
  state->names = std::move(owners);
  state->done = std::move(done);
  CheckNext(std::move(state));
}

void LeadOwners::TakingTurns(Done<std::vector<std::string>> done) const {
  if (assignment_ != LeadAssignment::kRoundRobin || directory_ == nullptr)
    return done(std::vector<std::string>());
  directory_->TeamMembers("sales", std::move(done));
}

}  // namespace pcustomer
