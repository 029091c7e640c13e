// Seeds a SQLite data directory with generated leads through the store itself (validation is
// skipped: the generator only makes valid leads), as fast as the store takes them, and prints
// the rate. bench/run --scenario search uses it.
//
//   pc_seed_leads --data-dir DIR --count N [--seed S] [--in-flight K]

#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "lead_generator.hpp"
#include "pcustomer/store/sqlite/sqlite_customer_store.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"Seeds a SQLite data directory with generated Vietnamese leads"};
  std::filesystem::path data_dir;
  uint64_t count = 0;
  uint64_t seed = 1;
  size_t in_flight = 1000;
  cli.add_option("--data-dir", data_dir, "the data directory (pcustomer.db is created there)")
      ->required();
  cli.add_option("--count", count, "leads to create")
      ->required()
      ->check(CLI::Range(uint64_t{1}, pcustomer::bench::LeadGenerator::kMaxLeads));
  cli.add_option("--seed", seed, "seed of the generator (the same seed gives the same leads)");
  cli.add_option("--in-flight", in_flight,
                 "creates queued at once (the writer commits them in groups)")
      ->check(CLI::Range(size_t{1}, size_t{1000}));
  CLI11_PARSE(cli, argc, argv);

  pcustomer::SqliteOptions options;
  options.data_dir = data_dir;
  auto store = pcustomer::SqliteCustomerStore::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "pc_seed_leads: %s\n", store.error().Described().c_str());
    return 1;
  }
  pcustomer::bench::LeadGenerator generator(seed);
  std::mutex mutex;
  std::condition_variable changed;
  size_t pending = 0;
  uint64_t failed = 0;
  const auto started = std::chrono::steady_clock::now();
  for (uint64_t n = 0; n < count; ++n) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return pending < in_flight; });
      ++pending;
    }
    (*store)->Create(generator.Lead(n), {"seed", "seed"},
                     [&](pcustomer::Result<pcustomer::Customer> created) {
                       std::lock_guard lock(mutex);
                       --pending;
                       if (!created.ok()) ++failed;
                       changed.notify_all();
                     });
  }
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return pending == 0; });
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("seeded %llu leads in %.1f s: %.0f leads/s, %llu failed, %llu commits\n",
              static_cast<unsigned long long>(count - failed), seconds,
              static_cast<double>(count) / seconds, static_cast<unsigned long long>(failed),
              static_cast<unsigned long long>((*store)->CommitCount()));
  return failed == 0 ? 0 : 1;
}
