#include "mocks/pa_checks/emulator.hpp"

#include <algorithm>

#include "mocks/state/live_world.hpp"

namespace tekser::mocks::pa_checks {
namespace {

using W = PayloadWriter;

bool listed(const std::vector<Section>& list, Section s) {
  return std::ranges::find(list, s) != list.end();
}

// <section>/Status; true when the section is ANSWERED and its data follow.
bool add_status(pugi::xml_node section, const PersonRecords& p, Section s) {
  auto status = section.append_child("Status");
  if (listed(p.unavailable, s)) {
    W::add(status, "Code", "UNAVAILABLE");
    W::add(status, "MessageRu", "Реестр не ответил");
    return false;
  }
  if (listed(p.refused, s)) {
    W::add(status, "Code", "REFUSED");
    W::add(status, "MessageRu", "Реестр отказал в предоставлении сведений");
    return false;
  }
  W::add(status, "Code", "ANSWERED");
  return true;
}

void add_sections(pugi::xml_node root, const PersonRecords& p) {
  auto psychiatric = root.append_child("PsychiatricRegistration");
  if (add_status(psychiatric, p, Section::psychiatric_registration)) {
    W::add(psychiatric, "Registered", p.psychiatric_since ? "true" : "false");
    W::add(psychiatric, "RegisteredSince", p.psychiatric_since);
  }
  auto criminal = root.append_child("CriminalRecord");
  if (add_status(criminal, p, Section::criminal_record)) {
    W::add(criminal, "HasUnexpungedRecord", p.criminal_articles.empty() ? "false" : "true");
    for (const auto& code : p.criminal_articles)
      W::add(criminal.append_child("Article"), "Code", code);
  }
  auto incapacity = root.append_child("Incapacity");
  if (add_status(incapacity, p, Section::incapacity)) {
    W::add(incapacity, "DeclaredIncapable", p.incapable_since ? "true" : "false");
    W::add(incapacity, "CourtDecisionDate", p.incapable_since);
    W::add(incapacity, "LimitedCapacity", p.limited_since ? "true" : "false");
    W::add(incapacity, "LimitedCapacityDecisionDate", p.limited_since);
  }
}

}  // namespace

PaChecksEmulator::PaChecksEmulator(const state::World& world,
                                   const std::filesystem::path& assumed_contracts_dir)
    : world_(world),
      schema_(std::filesystem::absolute(assumed_contracts_dir / kSchemaFile).lexically_normal()) {}

PaChecksEmulator::PaChecksEmulator(const Register& fixtures,
                                   const std::filesystem::path& assumed_contracts_dir)
    : owned_(state::fixtures_world({.pa_checks = &fixtures})),
      world_(*owned_),
      schema_(std::filesystem::absolute(assumed_contracts_dir / kSchemaFile).lexically_normal()) {}

std::vector<xsd::NamespaceFiles> PaChecksEmulator::schemas() const {
  return {{std::string(kNamespace), {schema_.string()}}};
}

std::optional<std::string> PaChecksEmulator::subject(const pugi::xml_node& data) const {
  return child_text(data, "IIN");
}

shep::Payload response_payload(std::string_view iin, const PersonRecords* person) {
  PayloadWriter writer;
  auto result = writer.root().append_child("Result");
  W::add(result, "Code", person ? "OK" : "PERSON_NOT_FOUND");
  if (!person) W::add(result, "MessageRu", "Сведения о лице не найдены");
  W::add(writer.root(), "IIN", iin);
  if (person) add_sections(writer.root(), *person);
  return shep::Payload{std::string(kNamespace), "Response", writer.fragment()};
}

EmulatorAnswer PaChecksEmulator::answer(const pugi::xml_node& data, const ReplyContext&) const {
  const auto iin = subject(data).value_or("");
  const auto person =
      world_.answers_with_data(kServiceId, iin) ? world_.pa_records(iin) : std::nullopt;
  // The outcome goes to the journal and the log: never what the registers hold.
  return EmulatorAnswer{response_payload(iin, person ? &*person : nullptr),
                        person ? "answered" : "person_not_found"};
}

}  // namespace tekser::mocks::pa_checks
