#include "mocks/gbd_fl/emulator.hpp"

#include "mocks/fixtures/codes.hpp"
#include "mocks/state/live_world.hpp"

namespace tekser::mocks::gbd_fl {
namespace {

using codes::Dictionary;
using W = PayloadWriter;

// The ГБД ФЛ dictionary shape: code, nameRu, nameKz (changeDate left out).
void add_dictionary(pugi::xml_node parent, const char* name, std::string_view code,
                    std::string_view name_ru, std::string_view name_kz) {
  auto node = parent.append_child(name);
  W::add(node, "code", code);
  W::add(node, "nameRu", name_ru);
  W::add(node, "nameKz", name_kz);
}

void add_code(pugi::xml_node parent, const char* name, Dictionary dictionary,
              std::string_view code) {
  const auto& entry = codes::get(dictionary, code);
  add_dictionary(parent, name, entry.code, entry.name_ru, entry.name_kz);
}

void add_named(pugi::xml_node parent, const char* name,
               const std::optional<fixtures::Named>& named) {
  if (named) add_dictionary(parent, name, named->code, named->name_ru, named->name_kz);
}

void add_person(pugi::xml_node persons, const fixtures::Person& p) {
  auto person = persons.append_child("person");
  W::add(person, "iin", p.iin);
  W::add(person, "surname", p.surname);
  W::add(person, "name", p.name);
  W::add(person, "patronymic", p.patronymic);
  W::add(person, "birthDate", p.birth_date);
  W::add(person, "deathDate", p.death_date);
  add_code(person, "gender", Dictionary::gbd_fl_gender, p.gender_code);
  add_code(person, "nationality", Dictionary::gbd_fl_nationality, p.nationality_code);
  add_code(person, "citizenship", Dictionary::gbd_fl_country, p.citizenship_code);
  // Life status follows from the death date, unless a tester made the register contradict itself.
  const bool alive = p.reported_alive.value_or(!p.death_date);
  add_code(person, "lifeStatus", Dictionary::gbd_fl_life_status,
           alive ? codes::kLifeAlive : codes::kLifeDeceased);
  if (p.death_certificate) {
    auto certificate = person.append_child("deathCertificate");
    W::add(certificate, "number", p.death_certificate->number);
    W::add(certificate, "beginDate", p.death_certificate->date);
    W::add(certificate, "issueOrganisation", p.death_certificate->issuer);
  }
  auto birth_place = person.append_child("birthPlace");
  add_code(birth_place, "country", Dictionary::gbd_fl_country, p.birth_place.country_code);
  add_named(birth_place, "district", p.birth_place.district);
  add_named(birth_place, "region", p.birth_place.region);
  W::add(birth_place, "city", p.birth_place.city);
  if (p.reg_address) {
    const auto& a = *p.reg_address;
    auto address = person.append_child("regAddress");
    add_code(address, "country", Dictionary::gbd_fl_country, "398");
    add_named(address, "district", a.district);
    add_named(address, "region", a.region);
    W::add(address, "city", a.city);
    W::add(address, "street", a.street);
    W::add(address, "building", a.building);
    W::add(address, "flat", a.flat);
    W::add(address, "beginDate", a.begin_date);
    W::add(address, "arCode", a.ar_code);
  }
  if (p.document) {
    const auto& d = *p.document;
    auto document = person.append_child("documents").append_child("document");
    add_code(document, "type", Dictionary::gbd_fl_document_type, d.type_code);
    W::add(document, "number", d.number);
    W::add(document, "beginDate", d.begin_date);
    W::add(document, "endDate", d.end_date);
    add_code(document, "issueOrganization", Dictionary::gbd_fl_document_issuer, d.issuer_code);
    add_code(document, "status", Dictionary::gbd_fl_document_status, "00");
    W::add(document, "surname", p.surname);
    W::add(document, "name", p.name);
    W::add(document, "patronymic", p.patronymic);
    W::add(document, "birthDate", p.birth_date);
  }
}

}  // namespace

GbdFlEmulator::GbdFlEmulator(const fixtures::Register& fixtures)
    : owned_(state::fixtures_world({.suppliers = &fixtures})), world_(*owned_) {}

std::vector<xsd::NamespaceFiles> GbdFlEmulator::schemas() const {
  return xsd::gbd_fl_namespaces();
}

std::optional<std::string> GbdFlEmulator::subject(const pugi::xml_node& data) const {
  return child_text(data, "iin");
}

EmulatorAnswer GbdFlEmulator::answer(const pugi::xml_node& data,
                                     const ReplyContext& context) const {
  const auto sender_code = child_text(data, "senderCode").value_or("UNKNOWN");
  const auto iin = subject(data);

  // Consent comes first: without a KDP token the database says nothing about the subject.
  std::string_view result = codes::kFlProcessed;
  std::string outcome;
  std::optional<fixtures::Person> person;
  if (!child_text(data, "kdpToken")) {
    result = codes::kFlKdpTokenInvalid;
    outcome = "kdp_token_invalid";
  } else if (!iin) {
    result = codes::kFlIinRequired;
    outcome = "iin_required";
  } else {
    if (world_.answers_with_data(kServiceId, *iin)) person = world_.person(*iin);
    outcome = person ? "found" : "not_found";
  }

  PayloadWriter writer;
  auto root = writer.root();
  W::add(root, "messageId", context.message_id);
  W::add(root, "messageDate", world_.stamp(context));
  W::add(root, "requestId", child_text(data, "messageId").value_or(""));
  add_code(root, "sender", Dictionary::gbd_fl_participant, codes::kParticipantGbdFl);
  add_dictionary(root, "receiver", sender_code, "Участник взаимодействия " + sender_code,
                 "Өзара іс-қимыл қатысушысы " + sender_code);
  add_code(root, "messageResult", Dictionary::gbd_fl_message_result, result);
  // Not found: no persons element at all (the XSD's persons needs at least one person).
  if (person) add_person(root.append_child("persons"), *person);
  return EmulatorAnswer{shep::Payload{std::string(kNamespace), "Response", writer.fragment()},
                        std::move(outcome)};
}

}  // namespace tekser::mocks::gbd_fl
