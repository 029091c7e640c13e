#include "pcustomer/auth/remote_key_source.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcustomer/auth/test_keys.hpp"

namespace pcustomer {
namespace {

using auth_test::TestKey;

// Fetches that the test answers by hand.
struct FakeFetcher {
  std::vector<Done<std::string>> pending;
  JwksFetcher Fetcher() {
    return [this](Done<std::string> done) { pending.push_back(std::move(done)); };
  }
  void Answer(Result<std::string> body) {
    ASSERT_FALSE(pending.empty());
    auto done = std::move(pending.front());
    pending.erase(pending.begin());
    done(std::move(body));
  }
};

class RemoteKeySourceTest : public ::testing::Test {
 protected:
  RemoteKeySourceTest() {
    RemoteKeySource::Options options;
    options.now_millis = [this] { return now_; };
    source_ = std::make_unique<RemoteKeySource>(fetcher_.Fetcher(), options);
  }
  int Refresh() {
    ++requested_;
    source_->Refresh([this] { ++answered_; });
    return answered_;
  }

  FakeFetcher fetcher_;
  int64_t now_ = 1'000'000;
  std::unique_ptr<RemoteKeySource> source_;
  int requested_ = 0;
  int answered_ = 0;
};

TEST_F(RemoteKeySourceTest, StartsEmptyAndServesWhatItFetched) {
  EXPECT_TRUE(source_->Current()->empty());
  Refresh();
  EXPECT_EQ(answered_, 0);
  fetcher_.Answer(JwksJson({{"a", TestKey(0)}}));
  EXPECT_EQ(answered_, 1);
  EXPECT_EQ(source_->Current()->size(), 1u);
  EXPECT_FALSE(source_->last_error().has_value());
}

TEST_F(RemoteKeySourceTest, ServesTheLastGoodKeysWhenTheProviderFails) {
  Refresh();
  fetcher_.Answer(JwksJson({{"a", TestKey(0)}}));
  for (Result<std::string> bad : {Result<std::string>(Error::Unavailable("connection refused")),
                                  Result<std::string>(std::string("<html>502</html>")),
                                  Result<std::string>(std::string(R"({"keys":[]})"))}) {
    now_ += 60'000;
    Refresh();
    fetcher_.Answer(std::move(bad));
    EXPECT_EQ(source_->Current()->size(), 1u);
    EXPECT_TRUE(source_->Current()->contains("a"));
    EXPECT_TRUE(source_->last_error().has_value());
  }
  EXPECT_EQ(answered_, 4);
}

TEST_F(RemoteKeySourceTest, ConcurrentRefreshesShareOneFetch) {
  Refresh();
  Refresh();
  Refresh();
  EXPECT_EQ(fetcher_.pending.size(), 1u);
  fetcher_.Answer(JwksJson({{"a", TestKey(0)}}));
  EXPECT_EQ(answered_, 3);
}

TEST_F(RemoteKeySourceTest, FetchesAtMostOncePerInterval) {
  Refresh();
  fetcher_.Answer(Error::Unavailable("down"));
  now_ += 4'999;
  EXPECT_EQ(Refresh(), 2);  // answered at once, no fetch
  EXPECT_TRUE(fetcher_.pending.empty());
  now_ += 1;
  Refresh();
  EXPECT_EQ(fetcher_.pending.size(), 1u);
}

TEST_F(RemoteKeySourceTest, MayBeDestroyedWhileAFetchIsInFlight) {
  Refresh();
  source_.reset();
  fetcher_.Answer(JwksJson({{"a", TestKey(0)}}));
  EXPECT_EQ(answered_, 1);
}

}  // namespace
}  // namespace pcustomer
