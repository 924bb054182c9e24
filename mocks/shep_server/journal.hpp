// What the mocks received, so that integration tests can ask "did the gateway query ГБД ЮЛ for
// this BIN, and was the request valid?". Bounded: the oldest entries are dropped first.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace tekser::mocks {

struct JournalEntry {
  std::string time;        // UTC, when the request arrived
  std::string message_id;  // requestInfo/messageId (empty when unreadable)
  std::string service_id;
  std::string subject;     // BIN or IIN the payload asks about (full: this is test data)
  std::string validation;  // "valid", "invalid" or "not_checked"
  std::string outcome;     // "found", "not_found", "schema_violation", "injected_timeout"...
  std::vector<std::string> violations;
};

struct JournalFilter {
  std::optional<std::string> subject;
  std::optional<std::string> service_id;
};

class Journal {
 public:
  explicit Journal(std::size_t capacity = 10000) : capacity_(capacity) {}

  void record(JournalEntry entry);
  std::vector<JournalEntry> find(const JournalFilter& filter) const;
  std::size_t count(const JournalFilter& filter) const;
  std::size_t clear();

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<JournalEntry> entries_;
};

boost::json::object to_json(const JournalEntry& entry);

}  // namespace tekser::mocks
