#include "pcustomer/app/config.hpp"

#include <gtest/gtest.h>

#include "pcustomer/app/dotenv.hpp"

namespace pcustomer {
namespace {

TEST(Config, DefaultsMatchTheContract) {
  auto config = BuildConfig({});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 7800);
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->store, "sqlite");
  EXPECT_EQ(config->auth, "local");
  EXPECT_EQ(config->table_name, "pcustomers");
}

TEST(Config, ReadsEverySetting) {
  auto config = BuildConfig({{"HOST", "localhost"},
                             {"PORT", "0"},
                             {"PCUSTOMER_DATA_DIR", "/tmp/x"},
                             {"PCUSTOMER_LOG_LEVEL", "warn"},
                             {"PCUSTOMER_THREADS", "3"},
                             {"PCUSTOMER_ADMIN_PASSWORD", "S3cret!pass"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 0);
  EXPECT_EQ(config->data_dir, "/tmp/x");
  EXPECT_EQ(config->log_level, "warn");
  EXPECT_EQ(config->threads, 3);
  EXPECT_EQ(config->admin_password, "S3cret!pass");
}

TEST(Config, ReportsEveryBadSettingAtOnce) {
  auto config = BuildConfig({{"PORT", "70000"},
                             {"PCUSTOMER_STORE", "mysql"},
                             {"HOST", "my host"},
                             {"PCUSTOMER_LOG_LEVEL", "loud"},
                             {"PCUSTOMER_THREADS", "x"}});
  ASSERT_FALSE(config.ok());
  std::vector<std::string> sources;
  for (const Reason& reason : config.error().reasons) sources.push_back(reason.source);
  EXPECT_EQ(sources, (std::vector<std::string>{"HOST", "PORT", "PCUSTOMER_STORE",
                                               "PCUSTOMER_LOG_LEVEL", "PCUSTOMER_THREADS"}));
}

TEST(Config, RefusesPortsThatAreNotPlainIntegers) {
  for (const char* port : {"", "-1", "80a", " 80", "1e3"}) {
    EXPECT_FALSE(BuildConfig({{"PORT", port}}).ok()) << port;
  }
}

TEST(DotEnv, ParsesAssignmentsCommentsAndQuotes) {
  auto values =
      ParseDotEnv("# comment\nPORT=7900\nexport HOST = 0.0.0.0\nA=\"x y\"\nB='#z'\nC=v # note\n\n");
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(values->at("PORT"), "7900");
  EXPECT_EQ(values->at("HOST"), "0.0.0.0");
  EXPECT_EQ(values->at("A"), "x y");
  EXPECT_EQ(values->at("B"), "#z");
  EXPECT_EQ(values->at("C"), "v");
}

TEST(DotEnv, NamesTheBadLine) {
  auto values = ParseDotEnv("PORT=1\nnot an assignment\n");
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.error().message.find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace pcustomer
