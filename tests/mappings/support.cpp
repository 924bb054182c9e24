#include "tests/mappings/support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>

#include "common/time/xsd_time.hpp"

#ifndef TEKSER_MAPPINGS_GOLDEN_DIR
#error "TEKSER_MAPPINGS_GOLDEN_DIR must name the golden replies folder"
#endif

namespace tekser::test {

shep::ParsedReply golden(std::string_view name) {
  const auto path = std::string(TEKSER_MAPPINGS_GOLDEN_DIR) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  auto reply = shep::parse_reply(text.str());
  EXPECT_EQ(reply.kind, shep::ParsedReply::Kind::response) << name << ": " << reply.problem;
  EXPECT_EQ(reply.info.status_code, shep::kSuccessCode) << name;
  return reply;
}

facts::Provenance provenance(std::string_view system, std::string_view service_id) {
  facts::Provenance p;
  p.system = system;
  p.service_id = service_id;
  p.message_id = "6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e8a01";
  p.reply_message_id = "bd161f8e-9fec-4bdb-bc07-3df233d15ae4";
  p.retrieved_at = xsd_time::parse_datetime("2026-01-15T10:00:01.250+05:00").value();
  p.valid_until = xsd_time::parse_datetime("2026-01-22T10:00:01.250+05:00").value();
  p.reply_sha256 = std::string(64, 'a');
  return p;
}

bool same(const facts::Provenance& a, const facts::Provenance& b) {
  return a.system == b.system && a.service_id == b.service_id && a.message_id == b.message_id &&
         a.reply_message_id == b.reply_message_id && a.retrieved_at == b.retrieved_at &&
         a.valid_until == b.valid_until && a.reply_sha256 == b.reply_sha256;
}

boost::json::value fact(const mappings::MappedReply& reply, std::string_view name) {
  for (const auto& f : reply.facts) {
    if (f.name == name) return f.value;
  }
  return boost::json::value("<missing fact " + std::string(name) + ">");
}

std::size_t count(const mappings::MappedReply& reply, std::string_view name) {
  std::size_t n = 0;
  for (const auto& f : reply.facts) n += f.name == name ? 1 : 0;
  return n;
}

boost::json::value json(std::string_view text) {
  return boost::json::parse(text);
}

}  // namespace tekser::test
