// A minimal fault switch: integration tests make one service misbehave for the next N requests
// (or until cleared) without restarting the mocks. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::mocks {

enum class FaultMode {
  http_503,      // HTTP 503 from the bus, no SOAP at all
  soap_fault,    // SOAP fault soap:Server with an ErrorInfo
  status_error,  // SendMessageResponse whose status code is not SCSS001, no data
  timeout,       // never answer: hold the connection until the client gives up
  malformed,     // HTTP 200 with a truncated, not well-formed envelope
  reset,         // TCP reset instead of an answer
};

std::string_view to_string(FaultMode mode);
std::optional<FaultMode> parse_fault_mode(std::string_view text);

struct FaultRule {
  std::string service_id;
  FaultMode mode = FaultMode::soap_fault;
  std::optional<int> remaining;  // nullopt = until cleared
};

class FaultSwitch {
 public:
  // Replaces any rule for the same service.
  void set(FaultRule rule);
  // Clears the rule of one service, or all rules; returns how many were removed.
  std::size_t clear(std::optional<std::string_view> service_id = std::nullopt);
  // The fault to inject into this request, if any; uses up one of a counted rule's requests.
  std::optional<FaultMode> take(std::string_view service_id);
  std::vector<FaultRule> rules() const;

 private:
  mutable std::mutex mutex_;
  std::vector<FaultRule> rules_;
};

}  // namespace tekser::mocks
