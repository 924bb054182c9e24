// The mock portal: the receiving end of tekser's supplier triggers (contracts/portal). It checks
// each delivery's signature, timestamp and body, answers as the contract says (202 new, 200
// duplicate, 409 same key with another body, 400/401/413/415), records every delivery attempt and
// every accepted trigger once per idempotency key, notes per-supplier order violations, and can be
// told to fail (status, delay, reset, timeout, close) through its admin API. Thread-safe: one
// mutex around the state, taken once per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"
#include "common/webhook/signature.hpp"
#include "mocks/portal/faults.hpp"
#include "mocks/portal/trigger.hpp"
#include "mocks/shep_server/http_server.hpp"
#include "mocks/shep_server/json_log.hpp"

namespace tekser::mocks::portal {

inline constexpr std::string_view kPortalMount = "/portal";
inline constexpr std::string_view kWebhookPath = "/portal/api/v1/supplier-triggers";
inline constexpr std::string_view kAdminMount = "/admin/portal";
using webhook::kIdempotencyHeader;

// One POST to the webhook, whatever became of it.
struct DeliveryRecord {
  std::uint64_t attempt = 0;  // 1, 2, … in arrival order; never reused, not even after a reset
  xsd_time::TimePoint time{};
  std::optional<std::string> idempotency_key;  // the header as sent
  std::optional<std::string> trigger_id;       // only from a signed body that passed the checks
  std::optional<std::string> timestamp;        // the X-Tekser-Timestamp header as sent
  std::string signature;                       // SignatureStatus: "valid", "mismatch", …
  std::optional<int> status;                   // nullopt: no answer (reset, timeout, close)
  std::string outcome;  // "accepted", "duplicate", "conflict", "invalid_body", "injected_reset"…
  std::optional<std::string> fault;  // the injected fault mode
  std::chrono::milliseconds delay{0};
  std::string body_sha256;
  std::size_t body_bytes = 0;
  std::optional<std::string> error_field;
  std::optional<std::string> error_reason;
};

// A trigger the portal took, once per idempotency key.
struct AcceptedTrigger {
  std::uint64_t position = 0;  // 1, 2, … in arrival order; never reused
  std::string trigger_id;
  TriggerKind kind = TriggerKind::warning;
  std::string supplier_id;
  std::string subject;  // the supplier's BIN or IIN
  std::int64_t sequence = 0;
  xsd_time::TimePoint accepted_at{};
  std::optional<xsd_time::TimePoint> deadline;
  std::uint64_t attempt = 0;  // the delivery attempt that carried it
  std::string body_sha256;
  // The highest sequence accepted for the supplier before this one; a sequence not above it is
  // an order violation (the dispatcher must keep one trigger per supplier in flight).
  std::optional<std::int64_t> highest_sequence_before;
  bool order_violation = false;
  bool late = false;  // accepted after its deadline
  boost::json::object body;
};

struct TriggerFilter {
  std::optional<std::string> supplier;  // supplier.id, bin or iin
  std::optional<TriggerKind> kind;
  std::optional<std::uint64_t> after;  // positions above this
};

boost::json::object to_json(const DeliveryRecord& record);
boost::json::object to_json(const AcceptedTrigger& trigger);

class MockPortal {
 public:
  using Clock = std::function<xsd_time::TimePoint()>;

  MockPortal(std::string secret, JsonLog& log, Clock clock = &xsd_time::now_ms,
             std::size_t delivery_capacity = 100'000);

  // Mounted at kPortalMount: the webhook. Never throws for a client's input.
  HttpAction handle(const HttpRequest& request);
  // Mounted at kAdminMount: the admin API (JSON).
  HttpAction handle_admin(const HttpRequest& request);

  std::vector<AcceptedTrigger> triggers(const TriggerFilter& filter = {}) const;
  std::vector<DeliveryRecord> deliveries(
      std::optional<std::string_view> idempotency_key = {}) const;

 private:
  struct Checked;
  Checked check(const HttpRequest& request, xsd_time::TimePoint now, DeliveryRecord& record) const;
  HttpResponse accept(const Trigger& trigger, xsd_time::TimePoint now, unsigned version,
                      DeliveryRecord& record);
  void remember(DeliveryRecord record);
  HttpResponse admin(const HttpRequest& request);

  std::string secret_;
  JsonLog& log_;
  Clock clock_;
  std::size_t delivery_capacity_;

  mutable std::mutex mutex_;
  FaultPlan faults_;
  std::deque<DeliveryRecord> deliveries_;
  std::vector<AcceptedTrigger> triggers_;
  std::unordered_map<std::string, std::size_t> trigger_by_key_;     // → index in triggers_
  std::unordered_map<std::string, std::int64_t> highest_sequence_;  // by supplier.id
  std::uint64_t next_attempt_ = 1;
  std::uint64_t next_position_ = 1;
};

}  // namespace tekser::mocks::portal
