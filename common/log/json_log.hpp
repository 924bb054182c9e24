// Structured logs: one JSON object per line. Callers mask IINs/BINs (identity::mask) before
// passing them in.
#pragma once

#include <mutex>
#include <ostream>
#include <string_view>

#include <boost/json/object.hpp>

namespace tekser::logging {

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
