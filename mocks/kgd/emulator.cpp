#include "mocks/kgd/emulator.hpp"

#include "common/identity/identity.hpp"
#include "mocks/state/live_world.hpp"

namespace tekser::mocks::kgd {
namespace {

using W = PayloadWriter;

void add_result(pugi::xml_node response, std::string_view code) {
  const auto& r = result(code);
  auto node = response.append_child("result");
  W::add(node, "code", r.code);
  W::add(node, "messageRu", r.message_ru);
  W::add(node, "messageKk", r.message_kk);
}

void add_office(pugi::xml_node arrears, const Office& office) {
  auto node = arrears.append_child("taxOrgInfo");
  W::add(node, "charCode", office.code);
  W::add(node, "nameRu", office.name_ru);
  W::add(node, "nameKk", office.name_kk);
  W::add(node, "reportAcrualDate", office.report_date);
  std::int64_t total = 0;
  for (const auto& line : office.lines) total += line.total();
  W::add(node, "totalArrear", format_amount(total));
  for (const auto& line : office.lines) {
    const auto* kbk = find_kbk(line.kbk);
    auto l = node.append_child("bccArrearsInfo");
    W::add(l, "bcc", line.kbk);
    W::add(l, "bccNameRu", kbk->name_ru);
    W::add(l, "bccNameKk", kbk->name_kk);
    W::add(l, "taxArrear", format_amount(line.tax));
    W::add(l, "poenaArrear", format_amount(line.penalty));
    W::add(l, "percentArrear", format_amount(line.percent));
    W::add(l, "fineArrear", format_amount(line.fine));
    W::add(l, "totalArrear", format_amount(line.total()));
  }
}

// Taxpayer, element by element in the XSD's sequence order.
void add_taxpayer(pugi::xml_node response, const Taxpayer& t, std::string_view send_time) {
  auto node = response.append_child("taxpayer");
  W::add(node, "biin", t.biin);
  W::add(node, "nameRu", t.name_ru);
  W::add(node, "nameKk", t.name_kk);
  auto arrears = node.append_child("arrears");
  W::add(arrears, "totalArrear", format_amount(t.total()));
  W::add(arrears, "totalTaxArrear", format_amount(t.total(Levy::tax)));
  W::add(arrears, "pensionContributionArrear", format_amount(t.total(Levy::pension)));
  W::add(arrears, "socialContributionArrear", format_amount(t.total(Levy::social)));
  W::add(arrears, "socialHealthInsuranceArrear", format_amount(t.total(Levy::health)));
  W::add(arrears, "sendTime", send_time);
  for (const auto& office : t.offices) add_office(arrears, office);
  for (const auto& entry : t.lists) {
    const auto* list = find_list(entry.list);
    auto e = node.append_child("listEntry");
    auto code = e.append_child("list");
    W::add(code, "code", list->code);
    W::add(code, "nameRu", list->name_ru);
    W::add(code, "nameKk", list->name_kk);
    W::add(e, "inclusionDate", entry.included_on);
    W::add(e, "decisionNumber", entry.decision);
    W::add(e, "reasonRu", entry.reason_ru);
    W::add(e, "reasonKk", entry.reason_kk);
  }
  if (t.registration) {
    const auto& r = *t.registration;
    const auto* status = find_registration_status(r.status);
    auto e = node.append_child("entrepreneurRegistration");
    auto code = e.append_child("status");
    W::add(code, "code", status->code);
    W::add(code, "nameRu", status->name_ru);
    W::add(code, "nameKk", status->name_kk);
    W::add(e, "registrationDate", r.registered_on);
    W::add(e, "deregistrationDate", r.deregistered_on);
    W::add(e, "suspendedFrom", r.suspended_from);
    W::add(e, "suspendedUntil", r.suspended_until);
    W::add(e, "reasonRu", r.reason_ru);
  }
}

}  // namespace

xsd::NamespaceFiles schema(const std::filesystem::path& assumed_contracts_dir) {
  return {
      std::string(kNamespace),
      {std::filesystem::absolute(assumed_contracts_dir / kSchemaFile).lexically_normal().string()}};
}

KgdEmulator::KgdEmulator(const Register& fixtures, std::filesystem::path assumed_contracts_dir)
    : owned_(state::fixtures_world({.kgd = &fixtures})),
      world_(*owned_),
      dir_(std::move(assumed_contracts_dir)) {}

std::vector<xsd::NamespaceFiles> KgdEmulator::schemas() const {
  return {schema(dir_)};
}

std::optional<std::string> KgdEmulator::subject(const pugi::xml_node& data) const {
  return child_text(data, "biin");
}

shep::Payload response_payload(const Taxpayer* taxpayer, std::string_view send_time) {
  PayloadWriter writer;
  add_result(writer.root(), taxpayer ? kResultFound : kResultNotFound);
  if (taxpayer) add_taxpayer(writer.root(), *taxpayer, send_time);
  return shep::Payload{std::string(kNamespace), "Response", writer.fragment()};
}

EmulatorAnswer KgdEmulator::answer(const pugi::xml_node& data, const ReplyContext& context) const {
  const auto biin = subject(data).value_or("");
  // 12 digits pass the schema; a wrong check digit or structure is the service's to reject.
  if (!identity::parse(biin)) {
    PayloadWriter writer;
    add_result(writer.root(), kResultRejected);
    return EmulatorAnswer{shep::Payload{std::string(kNamespace), "Response", writer.fragment()},
                          "rejected"};
  }
  const auto taxpayer =
      world_.answers_with_data(kServiceId, biin) ? world_.taxpayer(biin) : std::nullopt;
  return EmulatorAnswer{response_payload(taxpayer ? &*taxpayer : nullptr, world_.stamp(context)),
                        taxpayer ? "found" : "not_found"};
}

}  // namespace tekser::mocks::kgd
