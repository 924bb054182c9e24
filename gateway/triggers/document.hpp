// The document a trigger is delivered as (contracts/portal/trigger.schema.json, v1). Pure: the
// ids, the sequence and the times come in; the bytes that go out (and are signed) come out.
#pragma once

#include <optional>
#include <string>

#include "gateway/triggers/decide.hpp"

namespace tekser::triggers {

struct DocumentContext {
  std::string trigger_id;  // UUID, also the Idempotency-Key
  std::string supplier_id;
  bool individual = false;  // the id is an IIN (else a BIN)
  long long sequence = 0;
  std::string rule_set;
  xsd_time::TimePoint created_at{};
  xsd_time::TimePoint deadline{};
  std::optional<std::string> supersedes;  // an unblock names the block it lifts
};

// Serialised JSON, compact, keys in the contract's order.
std::string document(const Draft& draft, const DocumentContext& context);

}  // namespace tekser::triggers
