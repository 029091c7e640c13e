# Google Benchmark micro-benchmarks of the per-request code paths (bench/micro/, run by
# bench/micro/run). They link the same layer libraries as the binary.
add_executable(pc_micro_bench "${PROJECT_SOURCE_DIR}/bench/micro/micro_bench.cpp")
target_link_libraries(pc_micro_bench PRIVATE pc_api benchmark::benchmark)

# The lead generator and seeding tool of the search benchmark (bench/run --scenario search).
add_executable(pc_seed_leads "${PROJECT_SOURCE_DIR}/bench/seed/seed_leads.cpp"
                             "${PROJECT_SOURCE_DIR}/bench/seed/lead_generator.cpp")
target_link_libraries(pc_seed_leads PRIVATE pc_store_sqlite CLI11::CLI11)
