#pragma once

#include "pcustomer/app/config.hpp"

namespace pcustomer {

// Runs the HTTP service until SIGTERM or SIGINT. Returns the process exit status.
int RunServe(const Config& config);

}  // namespace pcustomer
