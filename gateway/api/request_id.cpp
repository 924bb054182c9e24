#include "gateway/api/request_id.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace tekser::api {
namespace {

bool is_lower_hex(std::string_view text) {
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// "00-<trace id: 32 hex>-<parent id: 16 hex>-<flags: 2 hex>"; the trace id, or "" when the header
// is not a valid traceparent (version ff and all-zero ids are invalid).
std::string trace_id_of(std::string_view traceparent) {
  if (traceparent.size() < 55 || traceparent[2] != '-' || traceparent[35] != '-' ||
      traceparent[52] != '-')
    return {};
  const auto version = traceparent.substr(0, 2);
  const auto trace_id = traceparent.substr(3, 32);
  const auto parent_id = traceparent.substr(36, 16);
  const auto flags = traceparent.substr(53, 2);
  if (!is_lower_hex(version) || version == "ff" || !is_lower_hex(trace_id) ||
      !is_lower_hex(parent_id) || !is_lower_hex(flags))
    return {};
  // Version 00 is exactly 55 characters; a later version may append fields after a '-'.
  if (version == "00" ? traceparent.size() != 55
                      : traceparent.size() > 55 && traceparent[55] != '-')
    return {};
  if (trace_id.find_first_not_of('0') == std::string_view::npos ||
      parent_id.find_first_not_of('0') == std::string_view::npos)
    return {};
  return std::string(trace_id);
}

}  // namespace

std::string request_id_problem(std::string_view id) {
  if (id.empty()) return "must not be empty";
  if (id.size() > 128) return "longer than 128 characters";
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '/' ||
                         c == '+' || c == '=' || c == '@' || c == '-';
    if (!allowed)
      return "may hold only A-Z a-z 0-9 . _ : / + = @ - (a character not allowed at byte " +
             std::to_string(i) + ")";
  }
  return {};
}

std::string make_request_id() {
  // Per thread, seeded once from the system's entropy: ids must not repeat, not be unguessable.
  thread_local std::mt19937_64 bits([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (int half = 0; half < 2; ++half) {
    auto word = bits();
    for (int i = 0; i < 16; ++i, word >>= 4) out.push_back(kHex[word & 0xF]);
  }
  return out;
}

RequestId request_id_of(const net::HttpRequest& request) {
  if (const auto given = request.find(kRequestIdHeader); given != request.end()) {
    const std::string_view id(given->value().data(), given->value().size());
    auto problem = request_id_problem(id);
    if (problem.empty()) return {std::string(id), {}};
    return {make_request_id(), std::move(problem)};
  }
  if (const auto trace = request.find(kTraceparentHeader); trace != request.end()) {
    auto id = trace_id_of(std::string_view(trace->value().data(), trace->value().size()));
    if (!id.empty()) return {std::move(id), {}};
  }
  return {make_request_id(), {}};
}

}  // namespace tekser::api
