// Structured logs: one JSON object per line. Callers mask IINs/BINs (identity::mask) before
// passing them in; what slips through (an exception's text, a request target with a query, a
// peer's error message) is masked here: every run of exactly 12 digits standing alone in a string
// value becomes "1234******12". The audit (gateway/store/audit_store.hpp) is the one place that
// keeps them.
#pragma once

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace tekser::logging {

// `text` with every run of exactly 12 digits (a BIN or an IIN, or something that looks like
// one) masked as identity::mask does, unless a letter or digit touches it (inside a hex digest
// or a token) or it is the last group of a UUID. Longer and shorter runs (times, ports) are kept.
std::string mask_identifiers(std::string_view text);

class JsonLog {
 public:
  explicit JsonLog(std::ostream& out) : out_(out) {}

  void write(std::string_view level, std::string_view event, boost::json::object fields = {});
  void info(std::string_view event, boost::json::object fields = {}) {
    write("info", event, std::move(fields));
  }
  void error(std::string_view event, boost::json::object fields = {}) {
    write("error", event, std::move(fields));
  }

 private:
  std::mutex mutex_;
  std::ostream& out_;
};

}  // namespace tekser::logging
