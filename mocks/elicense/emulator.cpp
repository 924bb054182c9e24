#include "mocks/elicense/emulator.hpp"

#include "common/identity/identity.hpp"
#include "mocks/state/live_world.hpp"

namespace tekser::mocks::elicense {
namespace {

using W = PayloadWriter;

void add_directory(pugi::xml_node parent, const char* name, std::string_view code,
                   std::string_view name_ru, std::string_view name_kk) {
  auto node = parent.append_child(name);
  W::add(node, "code", code);
  W::add(node, "nameRu", name_ru);
  W::add(node, "nameKk", name_kk);
}

void add_coded(pugi::xml_node parent, const char* name, const Coded& coded) {
  add_directory(parent, name, coded.code, coded.name_ru, coded.name_kk);
}

void add_authority(pugi::xml_node parent, const char* name, const Authority& a) {
  add_directory(parent, name, a.code, a.name_ru, a.name_kk);
}

void add_result(pugi::xml_node response, std::string_view code) {
  const auto& r = result(code);
  auto node = response.append_child("result");
  W::add(node, "code", r.code);
  W::add(node, "messageRu", r.name_ru);
  W::add(node, "messageKk", r.name_kk);
}

// License / Notification, element by element in the XSD's sequence order.
void add_licence(pugi::xml_node licenses, const Licence& l) {
  auto node = licenses.append_child("license");
  W::add(node, "number", l.number);
  add_coded(node, "activity", *find_activity(l.activity));
  for (const auto& code : l.subtypes) add_coded(node, "subtype", find_subtype(code)->coded);
  add_coded(node, "status", find_status(l.status)->coded);
  W::add(node, "issueDate", l.issued);
  W::add(node, "expiryDate", l.expires);
  add_authority(node, "licensor", l.licensor);
}

void add_notification(pugi::xml_node notifications, const Notification& n) {
  auto node = notifications.append_child("notification");
  W::add(node, "number", n.number);
  add_coded(node, "kind", *find_notification_kind(n.kind));
  add_coded(node, "status", find_status(n.status)->coded);
  W::add(node, "date", n.date);
  if (n.receiver) add_authority(node, "receiver", *n.receiver);
}

void add_subject(pugi::xml_node response, const Subject& s) {
  auto node = response.append_child("subject");
  W::add(node, "biin", s.biin);
  W::add(node, "nameRu", s.name_ru);
  W::add(node, "nameKk", s.name_kk);
  auto licenses = node.append_child("licenses");
  for (const auto& l : s.licences) add_licence(licenses, l);
  auto notifications = node.append_child("notifications");
  for (const auto& n : s.notifications) add_notification(notifications, n);
}

}  // namespace

xsd::NamespaceFiles schema(const std::filesystem::path& assumed_contracts_dir) {
  return {
      std::string(kNamespace),
      {std::filesystem::absolute(assumed_contracts_dir / kSchemaFile).lexically_normal().string()}};
}

ElicenseEmulator::ElicenseEmulator(const Register& fixtures,
                                   std::filesystem::path assumed_contracts_dir)
    : owned_(state::fixtures_world({.elicense = &fixtures})),
      world_(*owned_),
      dir_(std::move(assumed_contracts_dir)) {}

std::vector<xsd::NamespaceFiles> ElicenseEmulator::schemas() const {
  return {schema(dir_)};
}

std::optional<std::string> ElicenseEmulator::subject(const pugi::xml_node& data) const {
  return child_text(data, "biin");
}

shep::Payload response_payload(const Subject* subject) {
  PayloadWriter writer;
  add_result(writer.root(), subject ? kResultFound : kResultNotFound);
  if (subject) add_subject(writer.root(), *subject);
  return shep::Payload{std::string(kNamespace), "Response", writer.fragment()};
}

EmulatorAnswer ElicenseEmulator::answer(const pugi::xml_node& data, const ReplyContext&) const {
  const auto biin = subject(data).value_or("");
  if (!identity::parse(biin)) {
    PayloadWriter writer;
    add_result(writer.root(), kResultRejected);
    return EmulatorAnswer{shep::Payload{std::string(kNamespace), "Response", writer.fragment()},
                          "rejected"};
  }
  const auto subject =
      world_.answers_with_data(kServiceId, biin) ? world_.licensing(biin) : std::nullopt;
  if (!subject) return EmulatorAnswer{response_payload(nullptr), "not_found"};
  return EmulatorAnswer{
      response_payload(&*subject),
      subject->licences.empty() && subject->notifications.empty() ? "found_empty" : "found"};
}

}  // namespace tekser::mocks::elicense
