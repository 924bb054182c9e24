// The body of a supplier trigger (contracts/portal/trigger.schema.json) and its validation: what
// the mock portal accepts, checked field by field so that a refusal names the field and the
// reason. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"

namespace tekser::mocks::portal {

// Larger bodies get 413: the contract bounds a trigger (16 grounds, 32 pieces of evidence).
inline constexpr std::size_t kMaxBodyBytes = 256 * 1024;

enum class TriggerKind { block, deregister, unblock, warning, review };

std::string_view to_string(TriggerKind kind);
std::optional<TriggerKind> parse_trigger_kind(std::string_view text);

// A UUID in canonical lower-case form (trigger ids, idempotency keys).
bool is_canonical_uuid(std::string_view text);

// A trigger that passed every check of the contract.
struct Trigger {
  std::string trigger_id;
  TriggerKind kind = TriggerKind::warning;
  std::string supplier_id;  // supplier.id: the key of the per-supplier order
  std::int64_t sequence = 0;
  std::optional<xsd_time::TimePoint> deadline;  // none: the kind has no legal deadline
  boost::json::object body;                     // the whole body, as received
};

struct BodyProblem {
  std::string field;  // "supplier.bin", "grounds[0].code"; "body" for the body as a whole
  std::string reason;
};

std::variant<Trigger, BodyProblem> parse_trigger(std::string_view body);

}  // namespace tekser::mocks::portal
