#include "mocks/gbd_ul/emulator.hpp"

#include <sstream>

#include "mocks/fixtures/codes.hpp"
#include "mocks/state/live_world.hpp"

namespace tekser::mocks::gbd_ul {
namespace {

using codes::Dictionary;
using W = PayloadWriter;

// DirectoryType: Code, NameRu, NameKz.
void add_directory(pugi::xml_node parent, const char* name, std::string_view code,
                   std::string_view name_ru, std::string_view name_kz) {
  auto node = parent.append_child(name);
  W::add(node, "Code", code);
  W::add(node, "NameRu", name_ru);
  W::add(node, "NameKz", name_kz);
}

void add_code(pugi::xml_node parent, const char* name, Dictionary dictionary,
              std::string_view code) {
  const auto& entry = codes::get(dictionary, code);
  add_directory(parent, name, entry.code, entry.name_ru, entry.name_kz);
}

std::string format_double(double value) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << value;
  return out.str();
}

void add_leader(pugi::xml_node org, const fixtures::Leader& leader) {
  auto node = org.append_child("OrganizationLeader");
  auto position = node.append_child("Position");
  add_code(position, "PositionType", Dictionary::gbd_ul_leader_position, leader.position_code);
  W::add(position, "IssueDate", leader.appointed);
  W::add(node, "IIN", leader.iin);
  W::add(node, "SurName", leader.surname);
  W::add(node, "Name", leader.name);
  W::add(node, "MiddleName", leader.middle_name);
}

void add_address(pugi::xml_node org, const fixtures::OrganizationAddress& a) {
  auto node = org.append_child("Address");
  W::add(node, "ZIPCode", a.zip);
  W::add(node, "KATO", a.kato);
  W::add(node, "DistrictRu", a.district_ru);
  W::add(node, "DistrictKz", a.district_kz);
  W::add(node, "RegionRu", a.region_ru);
  W::add(node, "RegionKz", a.region_kz);
  W::add(node, "CityRu", a.city_ru);
  W::add(node, "CityKz", a.city_kz);
  W::add(node, "StreetRu", a.street_ru);
  W::add(node, "StreetKz", a.street_kz);
  W::add(node, "BuildingNumber", a.building);
  W::add(node, "OfficeNumber", a.office);
}

// OrganizationType, element by element in the XSD's sequence order.
void add_organization(pugi::xml_node response, const fixtures::LegalEntity& e) {
  auto org = response.append_child("Organization");
  W::add(org, "BIN", e.bin);
  add_code(org, "RegStatus", Dictionary::gbd_ul_reg_status, e.reg_status_code);
  add_directory(org, "RegistrationDepartment", e.registration_department.code,
                e.registration_department.name_ru, e.registration_department.name_kz);
  W::add(org, "RegistrationDate", e.registration_date);
  W::add(org, "RegistrationLastDate", e.registration_last_date);
  W::add(org, "LiquidationDate", e.liquidation_date);
  W::add(org, "FullNameRu", e.full_name_ru);
  W::add(org, "FullNameKz", e.full_name_kz);
  W::add(org, "ShortNameRu", e.short_name_ru);
  W::add(org, "ShortNameKz", e.short_name_kz);
  add_code(org, "OrgForm", Dictionary::gbd_ul_org_form, e.org_form_code);
  if (e.form_of_law_code)
    add_code(org, "FormOfLaw", Dictionary::gbd_ul_form_of_law, *e.form_of_law_code);
  W::add(org, "TaxOrgStatus", e.tax_inactive ? "true" : "false");
  if (e.liquidation) {
    auto liquidation = org.append_child("Liquidation");
    add_code(liquidation, "LiqBase", Dictionary::gbd_ul_liq_base, e.liquidation->base_code);
    W::add(liquidation, "LiqDecisionDate", e.liquidation->decision_date);
  }
  if (e.leader) add_leader(org, *e.leader);
  for (const auto& activity : e.activities) {
    auto node = org.append_child("Activity");
    W::add(node, "Main", activity.main ? "true" : "false");
    W::add(node, "OKED", activity.oked);
    W::add(node, "ActivityNameKz", activity.name_kz);
    W::add(node, "ActivityNameRu", activity.name_ru);
  }
  if (e.address) add_address(org, *e.address);
  for (const auto& founder : e.founders_ul) {
    auto node = org.append_child("FoundersUL");
    W::add(node, "BIN", founder.bin);
    W::add(node, "RegistrationLastDate", founder.registration_last_date);
    W::add(node, "OrganizationNameRu", founder.name_ru);
    W::add(node, "OrganizationNameKz", founder.name_kz);
    if (founder.percent) W::add(node, "Percent", format_double(*founder.percent));
  }
  for (const auto& founder : e.founders_fl) {
    auto node = org.append_child("FoundersFL");
    W::add(node, "IIN", founder.iin);
    W::add(node, "SurName", founder.surname);
    W::add(node, "Name", founder.name);
    W::add(node, "MiddleName", founder.middle_name);
    if (founder.percent) W::add(node, "Percent", format_double(*founder.percent));
  }
  const auto founders = e.founders_ul.size() + e.founders_fl.size();
  if (founders > 0) {
    W::add(org, "FoundersCount", std::to_string(founders));
    W::add(org, "FoundersCountUL", std::to_string(e.founders_ul.size()));
    W::add(org, "FoundersCountFL", std::to_string(e.founders_fl.size()));
  }
}

}  // namespace

GbdUlEmulator::GbdUlEmulator(const fixtures::Register& fixtures)
    : owned_(state::fixtures_world({.suppliers = &fixtures})), world_(*owned_) {}

std::vector<xsd::NamespaceFiles> GbdUlEmulator::schemas() const {
  return xsd::gbd_ul_namespaces();
}

std::optional<std::string> GbdUlEmulator::subject(const pugi::xml_node& data) const {
  return child_text(data, "BIN");
}

shep::Payload response_payload(const fixtures::LegalEntity* entity) {
  PayloadWriter writer;
  add_code(writer.root(), "Status", Dictionary::gbd_ul_status,
           entity ? codes::kUlFound : codes::kUlNotFound);
  if (entity) add_organization(writer.root(), *entity);
  return shep::Payload{std::string(kNamespace), "Response", writer.fragment()};
}

EmulatorAnswer GbdUlEmulator::answer(const pugi::xml_node& data, const ReplyContext&) const {
  // An unknown or malformed BIN is simply not in the register, as in the real database.
  const auto bin = subject(data).value_or("");
  const auto entity =
      world_.answers_with_data(kServiceId, bin) ? world_.legal_entity(bin) : std::nullopt;
  return EmulatorAnswer{response_payload(entity ? &*entity : nullptr),
                        entity ? "found" : "not_found"};
}

}  // namespace tekser::mocks::gbd_ul
