// Eligibility inputs for the trigger tests: a legal entity every register vouches for, and a
// way to change one fact as a state system would.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>

#include "gateway/eligibility/eligibility.hpp"

namespace tekser::testing {

inline const xsd_time::TimePoint kInputNow = *xsd_time::parse_datetime("2026-11-23T10:00:00+05:00");

inline void set_fact(eligibility::Input& in, std::string system, std::string name,
                     std::string_view value,
                     xsd_time::TimePoint retrieved = kInputNow - std::chrono::hours(1)) {
  facts::Fact f;
  f.name = name;
  f.value = boost::json::parse(value);
  f.provenance.system = system;
  f.provenance.service_id = system + "-service";
  f.provenance.message_id = "m-" + name;
  f.provenance.reply_message_id = "r-" + name;
  f.provenance.retrieved_at = retrieved;
  f.provenance.valid_until = kInputNow + std::chrono::hours(24 * 6);
  f.provenance.reply_sha256 = std::string(64, 'a');
  in.facts[{system, name}] = f;
  in.sources[system] = eligibility::SourceState{facts::Outcome::data, ""};
}

inline eligibility::Input clean_entity(std::string id = "150340012340") {
  eligibility::Input in;
  in.supplier_id = std::move(id);
  in.today = "2026-11-23";
  in.now = kInputNow;
  set_fact(in, "gbd_ul", "status", R"({"value":"active","since":null})");
  set_fact(in, "kgd", "tax_debt", R"({"has_tax_debt":false,"has_social_debt":false})");
  set_fact(in, "kgd", "kgd_lists", R"({"bankrupt":false,"liquidation_in_progress":false})");
  set_fact(in, "goszakup", "goszakup_rnu", R"({"listed":false,"entries":[]})");
  set_fact(in, "samruk", "quasi_public_rnu", R"({"listed":false,"entries":[]})");
  set_fact(in, "samruk", "samruk_unreliable", R"({"listed":false,"entries":[]})");
  set_fact(in, "elicense", "licences",
           R"([{"number":"KZ12LIC0001","activity_code":"MED","status":"valid","expires":null}])");
  in.services = std::vector<std::string>{"tsr.prosthetic_orthopaedic"};  // needs MED (p.3 item 9)
  set_fact(in, "elicense", "notifications",
           R"([{"number":"KZ99UVD0001","kind":"taxi_carrier","status":"valid"}])");
  return in;
}

}  // namespace tekser::testing
