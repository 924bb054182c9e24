// Record and replay: replies recorded from the real bus (tekser-ctl exchanges export writes them)
// served by the mock bus as they are. A folder holds one file per exchange,
// <service_id>/<subject>/<stamp>_<message_id>.xml — the reply envelope — with a sidecar .json
// beside it ({"service_id", "subject", "started_at", "message_id", ...}). When a SendMessage
// arrives for a (serviceId, subject) that has a recording, the bus answers with it: the recorded
// payload and status, with responseInfo made fresh for this request (a new messageId,
// correlationId = the request's messageId, responseDate now, a new sessionId) and the recorded
// WS-Security header dropped (the bus signs the reply again when it signs replies). Several
// recordings for one key: the newest (the sidecar's started_at, else the file name) is served.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

namespace tekser::mocks {

struct Recording {
  std::string service_id;
  std::string subject;
  std::string started_at;  // xsd:dateTime of the original exchange ("" when unknown)
  std::string message_id;  // the original request's messageId ("" when unknown)
  std::filesystem::path file;
  std::string envelope;  // the reply as recorded
};

// A recording that cannot be used: the message names the file and the reason.
class ReplayError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ReplayStore {
 public:
  // Reads every recording under `dir` (recursively) and adds them; returns how many. Throws
  // ReplayError (nothing added) for a folder that does not exist, a reply that is not a
  // SendMessageResponse, a sidecar that is not JSON or names no service_id/subject, or a file
  // whose key cannot be told.
  std::size_t load(const std::filesystem::path& dir);
  // Forgets every recording; returns how many there were.
  std::size_t clear();

  // The newest recording for the key, if any.
  std::optional<Recording> find(std::string_view service_id, std::string_view subject) const;

  // GET /admin/replay: the folders loaded and the recordings, by key (newest first).
  boost::json::object to_json() const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> dirs_;
  // (service_id, subject) -> recordings, newest first.
  std::map<std::pair<std::string, std::string>, std::vector<Recording>> recordings_;
};

// The recorded envelope made an answer to this request: responseInfo's messageId, correlationId
// (added when the recording had none), responseDate and sessionId (when present) replaced, the
// Security header removed; the payload and the status as recorded. Throws ReplayError when the
// recording is not a SendMessageResponse.
std::string replay_envelope(std::string_view recorded, const std::string& message_id,
                            const std::string& correlation_id, const std::string& response_date,
                            const std::string& session_id);

}  // namespace tekser::mocks
