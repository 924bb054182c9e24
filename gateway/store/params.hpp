// Statement parameters and row fields as the store's query classes pass them to libpqxx: text
// that may be SQL NULL, times as epoch milliseconds (sql.hpp's convention). Internal to the store.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"

namespace tekser::store::params {

// Keeps the text alive for the statement; a null pointer is SQL NULL.
struct Nullable {
  std::optional<std::string> text;
  const char* get() const { return text ? text->c_str() : nullptr; }
};

inline Nullable empty_as_null(const std::string& s) {
  if (s.empty()) return {};
  return {s};
}
inline Nullable optional_text(const std::optional<std::string>& s) {
  if (!s) return {};
  return {*s};
}
inline Nullable optional_ms(const std::optional<xsd_time::TimePoint>& t) {
  if (!t) return {};
  return {std::to_string(t->time_since_epoch().count())};
}
// A PostgreSQL array literal of texts, each quoted (nothing in an item can break the literal).
inline std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}
inline std::string text_or_empty(const pqxx::field& f) {
  return f.is_null() ? std::string() : f.as<std::string>();
}
inline xsd_time::TimePoint from_ms(long long ms) {
  return xsd_time::TimePoint{std::chrono::milliseconds{ms}};
}

}  // namespace tekser::store::params
