// KGD (KGD_TaxpayerStatus, an ASSUMED contract: contracts/assumed/kgd) reply payload -> supplier
// facts. Pure: the payload node and the provenance of the exchange in, facts out. A real service
// passport changes this mapping, its code table (codes.hpp), the request builder and the mock.
#pragma once

#include <string_view>

#include <pugixml.hpp>

#include "common/shep/services.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::kgd {

inline constexpr std::string_view kSystem = "kgd";
inline constexpr std::string_view kServiceId = shep::service::kgd;
inline constexpr std::string_view kPayloadNs = shep::payload_ns::kgd;

// Fact names.
inline constexpr const char* kTaxDebt = "tax_debt";
inline constexpr const char* kLists = "kgd_lists";
inline constexpr const char* kEntrepreneurRegistration = "entrepreneur_registration";

// `data` is responseData/data of a SCSS001 reply.
//  - result 00 with a taxpayer -> data: facts
//      tax_debt  {has_tax_debt, has_social_debt, total_arrear, tax_arrear, pension_arrear,
//                 social_arrear, health_insurance_arrear, as_of (sendTime's date),
//                 offices: [{code, name_ru, name_kk, lines: [{kbk, tax, penalty, fine}]}]}
//                 (a total the reply leaves out is null, and so is a flag it decides)
//      kgd_lists {bankrupt, inactive, invalid_registration, wrong_address, pseudo_company,
//                 liquidation_in_progress: bool, entries: [{list, included_on, decision,
//                 reason_ru}]}
//      entrepreneur_registration (only when the reply carries entrepreneurRegistration)
//                {status: registered | deregistered | suspended, or null for a code the table
//                 does not know, code, registered_on, deregistered_on, suspended_from,
//                 suspended_until, reason_ru}
//  - result 01 (not a taxpayer) -> no_data; any other result code -> refused (error_code set)
//  - anything else, or a list code the table does not know -> malformed
MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance);

}  // namespace tekser::mappings::kgd
