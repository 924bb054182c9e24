// Invariants the fuzz targets assert beyond "no crash": what a mapping makes of any reply must be
// storable (facts are jsonb: valid UTF-8, no U+0000) and consistent (only `data` carries facts).
// A broken invariant aborts, so the fuzzer and the replay driver report the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include <boost/json/serialize.hpp>

#include "common/text/utf8.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::fuzz {

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

inline facts::Provenance provenance(std::string_view system) {
  facts::Provenance p;
  p.system = std::string(system);
  p.service_id = "fuzz";
  p.message_id = "00000000-0000-4000-8000-000000000000";
  p.reply_sha256 = std::string(64, '0');
  return p;
}

// Whether serialized JSON holds the escape \u0000 (PostgreSQL's jsonb refuses it). The text
// "\u0000" inside a string serializes as \\u0000 — an escaped backslash, which jsonb takes — so
// an escape counts only after an even number of backslashes before its own.
inline bool has_nul_escape(const std::string& json) {
  for (auto at = json.find("\\u0000"); at != std::string::npos; at = json.find("\\u0000", at + 1)) {
    std::size_t backslashes = 0;
    while (at > backslashes && json[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return true;
  }
  return false;
}

// Storable in a text column: valid UTF-8 without NUL.
inline void check_storable(const std::string& text, const char* what) {
  if (!text::is_valid_utf8(text) || text.find('\0') != std::string::npos) fail(what);
}
// Storable as jsonb: the same, and no \u0000 escape.
inline void check_storable_json(const std::string& json, const char* what) {
  check_storable(json, what);
  if (has_nul_escape(json)) fail(what);
}

inline void check_mapped(const mappings::MappedReply& mapped) {
  const bool data = mapped.outcome == facts::Outcome::data;
  if (data && mapped.facts.empty()) fail("outcome data without facts");
  if (!data && !mapped.facts.empty()) fail("facts with an outcome other than data");
  check_storable(mapped.cause, "cause is not storable text");
  if (mapped.error_code) check_storable(*mapped.error_code, "error code is not storable text");
  for (const auto& fact : mapped.facts) {
    check_storable(fact.name, "fact name is not storable text");
    check_storable_json(boost::json::serialize(fact.value), "fact value is not storable JSON");
  }
}

}  // namespace tekser::fuzz
