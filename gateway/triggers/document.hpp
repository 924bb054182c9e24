// The document a trigger is delivered as (contracts/portal/trigger.schema.json, v1). Pure: the
// ids, the sequence and the times come in; the bytes that go out (and are signed) come out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gateway/triggers/decide.hpp"

namespace tekser::triggers {

// A deadline a trigger carries: the rule's step and when it falls due.
struct DeadlineDue {
  std::string step;  // "commission_review"
  int working_days = 1;
  std::string reference;
  eligibility::Text what;
  xsd_time::TimePoint due{};
  bool estimate = false;  // counted over a year without an official calendar file
};

struct DocumentContext {
  std::string trigger_id;  // UUID, also the Idempotency-Key
  std::string supplier_id;
  bool individual = false;  // the id is an IIN (else a BIN)
  long long sequence = 0;
  std::string rule_set;
  xsd_time::TimePoint created_at{};
  // The deadlines the rule gives for this kind, in order; none: the document has no deadline.
  std::vector<DeadlineDue> deadlines;
  std::optional<std::string> supersedes;  // an unblock names the block it lifts
};

// Serialised JSON, compact, keys in the contract's order.
std::string document(const Draft& draft, const DocumentContext& context);

}  // namespace tekser::triggers
