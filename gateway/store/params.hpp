// Statement parameters and row fields as the store's query classes pass them to libpqxx: text
// that may be SQL NULL, times as epoch milliseconds (sql.hpp's convention). Internal to the store.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
// A PostgreSQL array literal, built item by item: one column of a multi-row statement, sent as one
// parameter and read back with unnest (sql.hpp). Texts are quoted (nothing in an item can break the
// literal); NULL is the bare word.
class ArrayLiteral {
 public:
  ArrayLiteral& text(std::string_view item) {
    separate();
    out_ += '"';
    // Copied in runs between the characters to escape (kept bodies are kilobytes long).
    for (auto at = item.find_first_of("\"\\"); at != std::string_view::npos;
         at = item.find_first_of("\"\\")) {
      out_.append(item.substr(0, at));
      out_ += '\\';
      out_ += item[at];
      item.remove_prefix(at + 1);
    }
    out_.append(item);
    out_ += '"';
    return *this;
  }
  ArrayLiteral& null() {
    separate();
    out_ += "NULL";
    return *this;
  }
  ArrayLiteral& text_or_null(const std::optional<std::string>& item) {
    return item ? text(*item) : null();
  }
  ArrayLiteral& empty_as_null(std::string_view item) { return item.empty() ? null() : text(item); }
  ArrayLiteral& number(long long n) {
    separate();
    out_ += std::to_string(n);
    return *this;
  }
  std::string str() const { return out_ + "}"; }

 private:
  void separate() {
    if (out_.size() > 1) out_ += ',';
  }
  std::string out_ = "{";
};

// A PostgreSQL array literal of texts, each quoted.
inline std::string text_array(const std::vector<std::string>& items) {
  ArrayLiteral array;
  for (const auto& item : items) array.text(item);
  return array.str();
}
// Runs a statement prepared on the transaction's connection: parsed and planned once per
// connection, not per call. (libpqxx registers the definition and prepares it on first use;
// registering the same definition again is a no-op, so every call may name it.)
template <typename... Args>
pqxx::result exec_prepared(pqxx::transaction_base& txn, const char* name, const char* statement,
                           Args&&... args) {
  txn.conn().prepare(name, statement);
  return txn.exec_prepared(name, std::forward<Args>(args)...);
}

inline std::string text_or_empty(const pqxx::field& f) {
  return f.is_null() ? std::string() : f.as<std::string>();
}
inline xsd_time::TimePoint from_ms(long long ms) {
  return xsd_time::TimePoint{std::chrono::milliseconds{ms}};
}

}  // namespace tekser::store::params
