#include "mocks/enis/emulator.hpp"

namespace tekser::mocks::enis {
namespace {

using W = PayloadWriter;

void add_party(pugi::xml_node parent, const char* name, const std::string& id,
               const std::string& name_ru) {
  auto node = parent.append_child(name);
  W::add(node, "Id", id);
  W::add(node, "NameRu", name_ru);
}

// PowerOfAttorneyType, element by element in the XSD's sequence order.
void add_poa(pugi::xml_node response, const PowerOfAttorney& p) {
  auto node = response.append_child("PowerOfAttorney");
  W::add(node, "Number", p.number);
  W::add(node, "RegistryNumber", p.registry_number);
  auto notary = node.append_child("Notary");
  W::add(notary, "FullNameRu", p.notary_name_ru);
  W::add(notary, "LicenseNumber", p.notary_licence);
  add_party(node, "Principal", p.principal_id, p.principal_name_ru);
  add_party(node, "Representative", p.representative_iin, p.representative_name_ru);
  W::add(node, "IssueDate", p.issued);
  W::add(node, "ValidUntil", p.valid_until);
  W::add(node, "Revoked", p.revoked_on ? "true" : "false");
  W::add(node, "RevocationDate", p.revoked_on);
  auto scope = node.append_child("Scope");
  for (const auto& code : p.scope) {
    const auto* power = find_power(code);  // the loader checked every code
    auto item = scope.append_child("Power");
    W::add(item, "Code", power->code);
    W::add(item, "TextRu", power->text_ru);
    W::add(item, "TextKz", power->text_kz);
  }
}

}  // namespace

EnisEmulator::EnisEmulator(const Register& fixtures,
                           const std::filesystem::path& assumed_contracts_dir)
    : fixtures_(fixtures),
      schema_(std::filesystem::absolute(assumed_contracts_dir / kSchemaFile).lexically_normal()) {}

std::vector<xsd::NamespaceFiles> EnisEmulator::schemas() const {
  return {{std::string(kNamespace), {schema_.string()}}};
}

std::optional<std::string> EnisEmulator::subject(const pugi::xml_node& data) const {
  return child_text(data, "PrincipalId");
}

shep::Payload response_payload(const PowerOfAttorney* poa) {
  PayloadWriter writer;
  auto result = writer.root().append_child("Result");
  W::add(result, "Code", poa ? "FOUND" : "NOT_FOUND");
  W::add(result, "MessageRu", poa ? "Доверенность найдена" : "Доверенность не найдена");
  W::add(result, "MessageKz", poa ? "Сенімхат табылды" : "Сенімхат табылмады");
  if (poa) add_poa(writer.root(), *poa);
  return shep::Payload{std::string(kNamespace), "Response", writer.fragment()};
}

EmulatorAnswer EnisEmulator::answer(const pugi::xml_node& data, const ReplyContext&) const {
  // Looked up by number only, as a registry of documents would: the document comes back as
  // registered, whoever the request named.
  const auto number = child_text(data, "PoaNumber").value_or("");
  const auto* poa = fixtures_.find(number);
  return EmulatorAnswer{response_payload(poa), poa ? "found" : "not_found"};
}

}  // namespace tekser::mocks::enis
