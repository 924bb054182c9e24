// The fault switch: integration testers make a state system misbehave without restarting the
// mocks. A rule matches requests by system and/or serviceId, optionally only those about one
// subject (BIN/IIN); several rules coexist and the most specific matching one decides. It fires
// on every matching call, on a seeded random share of them (`probability`), and for the next
// `count` injections or until removed. Thread-safe; no clock: delays are drawn, not waited.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::mocks {

// ErrorInfo / status codes of the injected soap_fault and status_error (the defaults; a rule may
// name its own). ASSUMED: SHEP publishes no list.
inline constexpr std::string_view kErrorProviderUnavailable = "SE_PROVIDER_UNAVAILABLE";
inline constexpr std::string_view kStatusProviderError = "SE_PROVIDER_ERROR";

// The pseudo-system that matches every SOAP service on the bus.
inline constexpr std::string_view kWholeBus = "shep";

enum class FaultMode {
  latency,            // the normal answer, late
  timeout,            // never answer: hold the connection until the client gives up
  reset,              // TCP reset instead of an answer
  empty,              // close the connection in order without a byte of answer
  empty_body,         // HTTP 200 with an empty body
  truncated,          // the real reply cut in the middle of an element (XML or JSON)
  malformed,          // HTTP 200 with garbage: not well-formed XML / not JSON
  http_500,           // HTTP 500 that is no SOAP fault (a crashed proxy or server)
  http_503,           // HTTP 503, no SOAP / JSON at all
  soap_fault,         // SOAP only: soap:Server fault with an ErrorInfo
  status_error,       // SOAP only: SendMessageResponse with a non-success status, no data
  missing_signature,  // SOAP only: the real reply, not passed through the reply signer
  invalid_signature,  // SOAP only: the real reply, signed, then its Body altered
  custom_body,  // HTTP 200 with the rule's own bytes (hostile input: a DTD, deep nesting, …)
  // Lying replies, valid and signed as usual (a gateway must refuse them by their content):
  other_subject,      // SOAP only: the real answer about `answer_subject`, not the one asked
  wrong_correlation,  // SOAP only: the real answer whose correlationId is not the request's id
};

std::string_view to_string(FaultMode mode);
std::optional<FaultMode> parse_fault_mode(std::string_view text);
std::span<const FaultMode> all_fault_modes();
// Modes that only make sense inside the SHEP envelope (refused for the REST systems).
bool is_soap_only(FaultMode mode);

// How late the answer comes: a fixed delay, or log-normal around a median (heavy right tail, as
// real response times are).
struct Latency {
  enum class Kind { fixed, log_normal };
  Kind kind = Kind::fixed;
  double median_ms = 0;  // fixed: the delay itself
  double sigma = 0;      // log_normal: the standard deviation of ln(delay)
};

// No delay is drawn above this (the HTTP server drops a held connection after 10 minutes).
inline constexpr std::chrono::milliseconds kMaxLatency{600'000};

// Draws one delay (fixed: the value itself), clamped to [0, kMaxLatency].
std::chrono::milliseconds draw_latency(const Latency& latency, std::mt19937_64& random);

struct FaultRule {
  FaultRule() = default;
  // The short form: every request of one service, for the next `count` calls or until removed.
  FaultRule(std::string service_id, FaultMode mode, std::optional<int> count = std::nullopt)
      : service_id(std::move(service_id)), mode(mode), remaining(count) {}

  // What it matches; empty = any. A rule names a system or a service (or both).
  std::string service_id;  // a SOAP serviceId, or a REST system's name ("goszakup", "samruk")
  FaultMode mode = FaultMode::soap_fault;
  std::optional<int> remaining;  // injections left; nullopt = until removed
  std::string system;            // "gbd_ul", "kgd", ..., "goszakup", or "shep" for the whole bus
  std::string subject;           // BIN / IIN the request asks about

  // When it fires: nullopt = every matching call. Draws come from a generator seeded with `seed`
  // (one is picked and reported when none is given), so a run can be replayed.
  std::optional<double> probability;
  std::optional<std::uint64_t> seed;

  // A delay before the mode acts (required for `latency`, optional for every other mode).
  std::optional<Latency> latency;
  std::string error_code = std::string(kErrorProviderUnavailable);  // soap_fault
  std::string status_code = std::string(kStatusProviderError);      // status_error
  std::string body;            // custom_body: the reply's bytes, sent as they are (no signing)
  std::string answer_subject;  // other_subject: the BIN / IIN the answer is about

  // Set by the switch.
  std::string id;
  std::uint64_t injected = 0;  // how many times it fired
};

// Who a request is: what the rules are matched against.
struct FaultTarget {
  std::string_view system;      // the system serving it ("gbd_ul", "goszakup", ...)
  std::string_view service_id;  // its serviceId; for a REST system the system's name
  std::string_view subject;     // BIN / IIN asked about, "" when unknown
  bool soap = true;             // on the SHEP bus (matched by system "shep")
};

// What to do to one request.
struct InjectedFault {
  std::string rule_id;
  FaultMode mode = FaultMode::latency;
  std::chrono::milliseconds delay{0};
  std::string error_code;      // soap_fault
  std::string status_code;     // status_error
  std::string body;            // custom_body
  std::string answer_subject;  // other_subject
};

// Whether `rule` matches `target`, and how specifically: higher wins; nullopt = no match.
std::optional<int> match_specificity(const FaultRule& rule, const FaultTarget& target);

class FaultSwitch {
 public:
  // Adds a rule beside the others and returns its id. Throws std::invalid_argument for a rule
  // that cannot work (no system nor service, probability outside 0..1, latency mode without a
  // latency, count < 1): the admin API checks all of that first and names the field.
  std::string add(FaultRule rule);
  // The name older tests use for add().
  std::string set(FaultRule rule) { return add(std::move(rule)); }
  // Removes one rule; false when no rule has that id.
  bool remove(std::string_view id);
  // Removes every rule, or those naming that service and/or that system; returns how many.
  std::size_t clear(std::optional<std::string_view> service_id = std::nullopt,
                    std::optional<std::string_view> system = std::nullopt);

  // The fault to inject into this request, if any. The most specific matching rule decides
  // (the newest among equals); when its probability says no, the request is served normally.
  // Uses up one of a counted rule's injections.
  std::optional<InjectedFault> take(const FaultTarget& target);

  // The rules in force, oldest first.
  std::vector<FaultRule> rules() const;

 private:
  struct Armed {
    FaultRule rule;
    std::uint64_t order = 0;
    std::mt19937_64 random;
  };
  mutable std::mutex mutex_;
  std::vector<Armed> rules_;
  std::uint64_t next_id_ = 1;
};

}  // namespace tekser::mocks
