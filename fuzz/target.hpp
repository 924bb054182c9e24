// What every fuzz target shares: the libFuzzer entry point, and a guard that turns an exception
// escaping into a crash the fuzzer (or the replay driver under ctest) reports. A target catches
// only what its entry documents (e.g. the API's ApiError); anything else is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace tekser::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace tekser::fuzz
