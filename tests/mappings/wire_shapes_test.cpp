// The same reply in every shape the wire allows gives identical facts. Every golden SHEP reply of
// every SHEP service is re-written in each payload shape (typed, declared, JAXB-style undeclared
// root, untyped) × each namespace spelling (prefixed, default namespaces, a payload that rebinds
// the envelope's prefix) and read the way the gateway reads a reply (adapters::to_query_result:
// locate_payload, the correlation and subject checks, the service's mapping). Hand-written
// fixtures in the contract's shapes (a JAXB tamur:responseDataType root, the declared element
// under default namespaces and under a rebound prefix) must read as their typed original.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/json/serialize.hpp>

#include "adapters/source.hpp"
#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"
#include "common/xml/ns.hpp"
#include "mappings/elicense/elicense.hpp"
#include "mappings/enis/enis.hpp"
#include "mappings/gbd_fl/gbd_fl.hpp"
#include "mappings/gbd_ul/gbd_ul.hpp"
#include "mappings/kgd/kgd.hpp"
#include "mappings/pa_checks/pa_checks.hpp"

#ifndef TEKSER_MAPPINGS_GOLDEN_DIR
#error "TEKSER_MAPPINGS_GOLDEN_DIR must name the golden replies folder"
#endif

namespace tekser::test {
namespace {

namespace fs = std::filesystem;
using shep::EnvelopeStyle;
using shep::PayloadShape;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Service {
  std::string_view prefix;  // of the golden file names
  std::string_view service_id;
};

constexpr Service kServices[] = {
    {"ul_", shep::service::gbd_ul}, {"fl_", shep::service::gbd_fl},
    {"kgd_", shep::service::kgd},   {"el_", shep::service::elicense},
    {"enis_", shep::service::enis}, {"pa_", shep::service::pa_checks},
};

// The mapping the gateway uses for the service. ЕНИС and the personal-assistant checks also take
// what was asked: the same for every shape, read from the typed original.
adapters::PayloadMapping mapping_for(std::string_view service_id, const pugi::xml_node& original) {
  if (service_id == shep::service::gbd_ul) return &mappings::gbd_ul::map_reply;
  if (service_id == shep::service::gbd_fl) return &mappings::gbd_fl::map_reply;
  if (service_id == shep::service::kgd) return &mappings::kgd::map_reply;
  if (service_id == shep::service::elicense) return &mappings::elicense::map_reply;
  if (service_id == shep::service::pa_checks) {
    std::string iin;
    for (auto c = original.first_child(); c; c = c.next_sibling())
      if (xml::local_name(c) == "IIN") iin = xml::text(c).value_or("");
    return [iin](const pugi::xml_node& data, const facts::Provenance& p) {
      return mappings::pa_checks::map_reply(data, iin, p);
    };
  }
  const mappings::enis::PoaQuery query{"150340012340", "800304403774", "ДВ-2025-000417"};
  return [query](const pugi::xml_node& data, const facts::Provenance& p) {
    return mappings::enis::map_reply(data, query, p);
  };
}

// What a reading amounts to, comparable across shapes: outcome, cause, code and every fact.
std::string summary(const adapters::QueryResult& r) {
  std::string out = std::string(facts::to_string(r.result.outcome)) + " | " + r.result.cause +
                    " | " + r.result.error_code.value_or("-");
  for (const auto& f : r.result.facts)
    out += "\n" + f.name + " = " + boost::json::serialize(f.value);
  return out;
}

adapters::QueryResult read_reply(const std::string& envelope, std::string_view service_id,
                                 const adapters::PayloadMapping& mapping) {
  shep::Exchange exchange;
  exchange.reply = shep::parse_reply(envelope);
  EXPECT_EQ(exchange.reply.kind, shep::ParsedReply::Kind::response) << exchange.reply.problem;
  exchange.kind = exchange.reply.data ? shep::Exchange::Kind::data : shep::Exchange::Kind::no_data;
  const auto asked = exchange.reply.info.correlation_id.value_or("");
  return adapters::to_query_result(std::move(exchange), asked, "system", service_id, mapping,
                                   std::chrono::hours(1));
}

// The children of <data> as a fragment that keeps the namespaces in scope where they stood.
std::string fragment_of(const pugi::xml_node& data) {
  pugi::xml_document copy;
  std::string out;
  for (auto c = data.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    auto node = copy.append_copy(c);
    for (auto scope = data; scope && scope.type() == pugi::node_element; scope = scope.parent())
      for (auto a = scope.first_attribute(); a; a = a.next_attribute()) {
        const std::string_view name = a.name();
        if ((name == "xmlns" || name.starts_with("xmlns:")) && !node.attribute(a.name()))
          node.append_attribute(a.name()) = a.value();
      }
    out += xml::to_string(node);
  }
  return out;
}

struct Golden {
  std::string name;
  std::string_view service_id;
};

std::vector<Golden> soap_goldens() {
  std::vector<Golden> out;
  for (const auto& entry : fs::directory_iterator(TEKSER_MAPPINGS_GOLDEN_DIR)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".xml") continue;
    for (const auto& s : kServices)
      if (name.starts_with(s.prefix)) out.push_back({name, s.service_id});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

TEST(WireShapes, EveryGoldenReplyReadsTheSameInEveryShapeAndSpelling) {
  const auto goldens = soap_goldens();
  ASSERT_GE(goldens.size(), 50u);  // every SHEP service's golden replies, not a sample
  std::map<std::string_view, int> per_service;
  for (const auto& g : goldens) {
    SCOPED_TRACE(g.name);
    const auto text = read(fs::path(TEKSER_MAPPINGS_GOLDEN_DIR) / g.name);
    const auto original = shep::parse_reply(text);
    ASSERT_EQ(original.kind, shep::ParsedReply::Kind::response);
    const auto contract = shep::service_by_id(g.service_id);
    ASSERT_TRUE(contract);
    const auto located = shep::locate_payload(original.data, contract->response_fields);
    const auto mapping = mapping_for(g.service_id, located.fields);
    const auto baseline = read_reply(text, g.service_id, mapping);
    const shep::Payload payload{std::string(contract->payload_ns),
                                std::string(contract->response_type), fragment_of(located.fields)};
    for (const auto shape : {PayloadShape::typed, PayloadShape::declared, PayloadShape::undeclared,
                             PayloadShape::untyped})
      for (const auto envelope :
           {EnvelopeStyle::prefixed, EnvelopeStyle::default_ns, EnvelopeStyle::rebound}) {
        SCOPED_TRACE(std::string(shep::to_string(shape)) + "/" +
                     std::string(shep::to_string(envelope)));
        const auto rewritten =
            shep::build_response(original.info, payload, shep::WireStyle{shape, envelope});
        const auto reading = read_reply(rewritten, g.service_id, mapping);
        if (baseline.result.outcome == facts::Outcome::malformed)
          EXPECT_EQ(reading.result.outcome, facts::Outcome::malformed) << summary(reading);
        else
          EXPECT_EQ(summary(reading), summary(baseline)) << rewritten;
      }
    ++per_service[g.service_id];
  }
  for (const auto& s : kServices) EXPECT_GT(per_service[s.service_id], 0) << s.service_id;
}

TEST(WireShapes, HandWrittenContractShapesReadAsTheirTypedOriginal) {
  const std::pair<const char*, const char*> pairs[] = {
      {"ul_active_jaxb.xml", "ul_active.xml"},
      {"ul_active_declared_rebound.xml", "ul_active.xml"},
      {"ul_active_declared_default_ns.xml", "ul_active.xml"},
      {"fl_alive_ie_jaxb.xml", "fl_alive_ie.xml"},
  };
  for (const auto& [shaped, typed] : pairs) {
    SCOPED_TRACE(shaped);
    const auto service =
        std::string_view(shaped).starts_with("ul_") ? shep::service::gbd_ul : shep::service::gbd_fl;
    const adapters::PayloadMapping mapping =
        service == shep::service::gbd_ul ? adapters::PayloadMapping(&mappings::gbd_ul::map_reply)
                                         : adapters::PayloadMapping(&mappings::gbd_fl::map_reply);
    const auto a =
        read_reply(read(fs::path(TEKSER_MAPPINGS_GOLDEN_DIR) / shaped), service, mapping);
    const auto b = read_reply(read(fs::path(TEKSER_MAPPINGS_GOLDEN_DIR) / typed), service, mapping);
    ASSERT_EQ(a.result.outcome, facts::Outcome::data) << a.result.cause;
    EXPECT_EQ(summary(a), summary(b));
  }
}

std::string with_replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A reply is about the subject asked, and answers our message, or it is no evidence at all.
TEST(WireShapes, AReplyAboutAnotherSubjectIsRefusedAndNeverMapped) {
  const auto text = read(fs::path(TEKSER_MAPPINGS_GOLDEN_DIR) / "ul_liquidated.xml");
  const auto parsed = shep::parse_reply(text);
  const auto bin = xml::text(xml::find_descendant(parsed.data, {"", "BIN"})).value_or("");
  ASSERT_FALSE(bin.empty());
  int mapped = 0;
  const adapters::PayloadMapping counting = [&mapped](const pugi::xml_node& d,
                                                      const facts::Provenance& p) {
    ++mapped;
    return mappings::gbd_ul::map_reply(d, p);
  };
  shep::Exchange exchange;
  exchange.reply = parsed;
  exchange.kind = shep::Exchange::Kind::data;
  const auto r = adapters::to_query_result(exchange, *parsed.info.correlation_id, "gbd_ul",
                                           shep::service::gbd_ul, counting, std::chrono::hours(1),
                                           "150340012340");
  EXPECT_EQ(r.result.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.result.cause.find("another subject"), std::string::npos) << r.result.cause;
  EXPECT_TRUE(r.result.facts.empty());
  EXPECT_EQ(mapped, 0);
  // The same reply asked about its own subject is evidence.
  const auto own =
      adapters::to_query_result(exchange, *parsed.info.correlation_id, "gbd_ul",
                                shep::service::gbd_ul, counting, std::chrono::hours(1), bin);
  EXPECT_EQ(own.result.outcome, facts::Outcome::data) << own.result.cause;
}

TEST(WireShapes, EveryServiceChecksTheSubjectItsReplyNames) {
  // One golden reply with data per service whose contract echoes the subject.
  const std::pair<const char*, std::string_view> cases[] = {
      {"fl_deceased.xml", shep::service::gbd_fl},
      {"kgd_tax_debt.xml", shep::service::kgd},
      // the entrepreneur's registration (p.15.2: stopped trading) is about the IIN asked too
      {"kgd_ie_deregistered.xml", shep::service::kgd},
      {"el_prosthetic_valid.xml", shep::service::elicense},
      {"pa_clean.xml", shep::service::pa_checks},
  };
  for (const auto& [file, service] : cases) {
    SCOPED_TRACE(file);
    const auto parsed = shep::parse_reply(read(fs::path(TEKSER_MAPPINGS_GOLDEN_DIR) / file));
    const auto contract = shep::service_by_id(service);
    const auto payload = shep::locate_payload(parsed.data, contract->response_fields).fields;
    ASSERT_TRUE(shep::other_subject(payload, *contract, "000000000000")) << "names no subject";
    shep::Exchange exchange;
    exchange.reply = parsed;
    exchange.kind = shep::Exchange::Kind::data;
    const auto r = adapters::to_query_result(exchange, *parsed.info.correlation_id, "s", service,
                                             mapping_for(service, payload), std::chrono::hours(1),
                                             "000000000000");
    EXPECT_EQ(r.result.outcome, facts::Outcome::malformed);
    EXPECT_TRUE(r.result.facts.empty());
  }
}

TEST(WireShapes, AReplyToAnotherMessageIsRefused) {
  const auto text = read(fs::path(TEKSER_MAPPINGS_GOLDEN_DIR) / "ul_liquidated.xml");
  const auto other = with_replaced(text, "<correlationId>", "<correlationId>not-ours-");
  shep::Exchange exchange;
  exchange.reply = shep::parse_reply(other);
  exchange.kind = shep::Exchange::Kind::data;
  const auto r = adapters::to_query_result(exchange, *shep::parse_reply(text).info.correlation_id,
                                           "gbd_ul", shep::service::gbd_ul,
                                           &mappings::gbd_ul::map_reply, std::chrono::hours(1));
  EXPECT_EQ(r.result.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.result.cause.find("correlationId"), std::string::npos) << r.result.cause;
  EXPECT_TRUE(r.result.facts.empty());
}

}  // namespace
}  // namespace tekser::test
