// The mock SHEP SyncChannel (SendMessage, SOAP 1.1): parses the envelope, routes by serviceId to
// an emulator, validates the Body against the SHEP + service schemas, applies the fault switch,
// records the request in the journal and builds the reply. No sockets: the HTTP layer hands it
// the body and sends back what it returns.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/xsd/validator.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/shep_server/fault_switch.hpp"
#include "mocks/shep_server/journal.hpp"

namespace tekser::mocks {

// ErrorInfo codes and bus status codes of the mock bus. ASSUMED: SHEP publishes no list.
inline constexpr std::string_view kErrorRequestInvalid = "SE_REQUEST_INVALID";
inline constexpr std::string_view kErrorServiceNotFound = "SE_SERVICE_NOT_FOUND";
inline constexpr std::string_view kErrorSchemaViolation = "SE_SCHEMA_VIOLATION";
inline constexpr std::string_view kErrorInternal = "SE_INTERNAL_ERROR";
inline constexpr std::string_view kErrorProviderUnavailable =
    "SE_PROVIDER_UNAVAILABLE";                                                 // soap_fault
inline constexpr std::string_view kStatusProviderError = "SE_PROVIDER_ERROR";  // status_error

struct SoapReply {
  enum class Action { respond, hold, reset };
  Action action = Action::respond;
  unsigned http_status = 200;
  std::string content_type = "text/xml; charset=utf-8";
  std::string body;
  // For the request log line.
  std::string service_id;
  std::string subject;
  std::string outcome;
};

class SyncChannel {
 public:
  // Compiles one schema set per emulator (SHEP + its payload); throws if a contract is missing.
  SyncChannel(const std::filesystem::path& contracts_dir,
              std::vector<std::unique_ptr<Emulator>> emulators, FaultSwitch& faults,
              Journal& journal);
  ~SyncChannel();

  // Answers any input with a reply or a fault; an exception here means a bug, and the request
  // boundary (MockRoutes::handle) turns it into internal_fault().
  SoapReply handle(std::string_view body);

  // A soap:Server fault for failures outside handle() (the request boundary uses it).
  static SoapReply internal_fault(std::string_view what);

  bool serves(std::string_view service_id) const;
  std::vector<std::string> service_ids() const;

 private:
  struct Route;
  SoapReply dispatch(std::string_view body, JournalEntry& entry);
  std::vector<std::unique_ptr<Route>> routes_;
  FaultSwitch& faults_;
  Journal& journal_;
};

// Fresh identifiers as SHEP writes them.
std::string new_uuid();
std::string new_session_id();  // braced GUID

}  // namespace tekser::mocks
