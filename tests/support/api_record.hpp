// The record of the API calls a test process makes to the gateway, for the contract check
// (tests/api/check_openapi.py): when TEKSER_API_RECORD names a folder, each call appends one JSON
// line {method, target, status, content_type, body} to calls-<pid>.jsonl in it.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace tekser::testing {

inline void record_api_call(
    boost::beast::http::verb method, const std::string& target,
    const boost::beast::http::response<boost::beast::http::string_body>& response) {
  static const char* const folder = std::getenv("TEKSER_API_RECORD");
  if (!folder || !*folder) return;
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  std::filesystem::create_directories(folder);
  const auto file =
      std::filesystem::path(folder) / ("calls-" + std::to_string(getpid()) + ".jsonl");
  std::ofstream out(file, std::ios::app);
  out << boost::json::serialize(boost::json::object{
             {"method", std::string(boost::beast::http::to_string(method))},
             {"target", target},
             {"status", response.result_int()},
             {"content_type", std::string(response[boost::beast::http::field::content_type])},
             {"body", response.body()}})
      << '\n';
  if (!out) throw std::runtime_error("TEKSER_API_RECORD: cannot write " + file.string());
}

}  // namespace tekser::testing
