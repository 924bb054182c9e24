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

inline void check_storable(const std::string& text, const char* what) {
  if (!text::is_valid_utf8(text)) fail(what);
  if (text.find('\0') != std::string::npos || text.find("\\u0000") != std::string::npos) fail(what);
}

inline void check_mapped(const mappings::MappedReply& mapped) {
  const bool data = mapped.outcome == facts::Outcome::data;
  if (data && mapped.facts.empty()) fail("outcome data without facts");
  if (!data && !mapped.facts.empty()) fail("facts with an outcome other than data");
  check_storable(mapped.cause, "cause is not storable text");
  if (mapped.error_code) check_storable(*mapped.error_code, "error code is not storable text");
  for (const auto& fact : mapped.facts) {
    check_storable(fact.name, "fact name is not storable text");
    check_storable(boost::json::serialize(fact.value), "fact value is not storable JSON");
  }
}

}  // namespace tekser::fuzz
