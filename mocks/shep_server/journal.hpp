// What the mocks received, SOAP and REST alike, so that integration tests can ask "did the
// gateway query ГБД ЮЛ for this BIN exactly once, was its request valid, and which fault did it
// get?". Bounded: the oldest entries are dropped first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"

namespace tekser::mocks {

struct JournalEntry {
  std::string time;        // UTC, when the request arrived (received_at as text)
  std::string message_id;  // requestInfo/messageId; REST: the X-Request-Id header (or empty)
  std::string service_id;  // SOAP serviceId; REST: the system's name
  std::string subject;     // BIN or IIN the request asks about (full: this is test data)
  std::string validation;  // "valid", "invalid" or "not_checked"
  std::string outcome;     // "found", "not_found", "SE_SCHEMA_VIOLATION", "injected_timeout"...
  std::vector<std::string> violations;

  xsd_time::TimePoint received_at{};
  std::string system;           // "gbd_ul", "kgd", ..., "goszakup", "samruk"; "" when unknown
  std::string path;             // the HTTP path the request came on
  std::string fault_id;         // the fault rule applied, "" when none
  std::string fault_mode;       // its mode, "" when none
  std::int64_t latency_ms = 0;  // the delay injected before acting
  // The request's signatures as the bus found them (--request-signature): "valid", "invalid",
  // "absent", or "not_checked" (policy ignore, REST, a request refused before the check).
  std::string signature = "not_checked";  // WS-Security over the Body
  std::string signer_sha256;              // its signer's certificate, when one was found
  std::string signature_problem;          // why invalid, or why an absent one was refused
  // The enveloped payload signature, for the services that want one (ГБД ЮЛ); "" for the others.
  std::string payload_signature;
  std::string payload_signer_sha256;
  // How the request carried its payload ("typed", "declared", "jaxb", "untyped"; "" when none),
  // what the bus tolerated in it, and the shape/spelling of the reply ("jaxb/default-ns").
  std::string payload_shape;
  std::vector<std::string> warnings;
  std::string reply_shape;
  // The recording served instead of the emulator's answer (--replay), "" when none; the outcome
  // is then "replayed".
  std::string replay;
};

struct JournalFilter {
  std::optional<std::string> subject;
  std::optional<std::string> service_id;
  std::optional<std::string> system;
  std::optional<xsd_time::TimePoint> since;  // received at or after
  std::optional<std::size_t> limit;          // find(): only the newest `limit` matches
};

class Journal {
 public:
  explicit Journal(std::size_t capacity = 10000) : capacity_(capacity) {}

  void record(JournalEntry entry);
  // Matching entries, oldest first.
  std::vector<JournalEntry> find(const JournalFilter& filter) const;
  // How many entries match (the limit does not apply).
  std::size_t count(const JournalFilter& filter) const;
  std::size_t clear();

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<JournalEntry> entries_;
};

boost::json::object to_json(const JournalEntry& entry);

}  // namespace tekser::mocks
