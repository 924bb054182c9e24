// The mocks log through the project's structured log (common/log).
#pragma once

#include "common/log/json_log.hpp"

namespace tekser::mocks {
using logging::JsonLog;
}  // namespace tekser::mocks
