#include "mocks/elicense/fixtures.hpp"

#include <array>
#include <set>
#include <stdexcept>

#include "mocks/fixtures/strict_reader.hpp"

namespace tekser::mocks::elicense {
namespace {

using fixtures::StrictReader;

constexpr std::array kResults{
    Coded{kResultFound, "Сведения найдены", "Мәліметтер табылды"},
    Coded{kResultNotFound, "Субъект не найден в реестре разрешений и уведомлений",
          "Субъект рұқсаттар мен хабарламалар тізілімінде табылмады"},
    Coded{kResultRejected, "Некорректный запрос: ИИН/БИН не прошёл проверку",
          "Сұрау қате: ЖСН/БСН тексеруден өтпеді"},
};

constexpr std::array kActivities{
    Coded{"MED", "Медицинская деятельность", "Медициналық қызмет"},
    Coded{"PHARM", "Фармацевтическая деятельность", "Фармацевтикалық қызмет"},
    Coded{"MEDDEV", "Деятельность в сфере оборота медицинских изделий",
          "Медициналық бұйымдар айналымы саласындағы қызмет"},
};

constexpr std::array kSubtypes{
    Subtype{"MED",
            {"MED_SANATORIUM", "Санаторно-курортная помощь", "Санаторийлік-курорттық көмек"}},
    Subtype{"MED", {"MED_REHAB", "Медицинская реабилитация", "Медициналық оңалту"}},
    Subtype{"MED",
            {"MED_PROSTHETIC", "Протезно-ортопедическая помощь", "Протездік-ортопедиялық көмек"}},
    Subtype{"MED", {"MED_SURDO", "Сурдологическая помощь", "Сурдологиялық көмек"}},
    Subtype{"PHARM",
            {"PHARM_RETAIL", "Розничная реализация лекарственных средств",
             "Дәрілік заттарды бөлшек саудада өткізу"}},
    Subtype{"PHARM",
            {"PHARM_WHOLESALE", "Оптовая реализация лекарственных средств",
             "Дәрілік заттарды көтерме саудада өткізу"}},
    Subtype{"MEDDEV",
            {"MEDDEV_WHOLESALE", "Оптовая реализация медицинских изделий",
             "Медициналық бұйымдарды көтерме саудада өткізу"}},
};

constexpr std::array kNotificationKinds{
    Coded{"TAXI", "Уведомление о начале деятельности перевозчика такси",
          "Такси тасымалдаушысы қызметінің басталғаны туралы хабарлама"},
    Coded{"MEDDEV_RETAIL",
          "Уведомление о начале деятельности по розничной реализации медицинских изделий",
          "Медициналық бұйымдарды бөлшек саудада өткізу қызметінің басталғаны туралы хабарлама"},
};

constexpr std::array kStatuses{
    Status{"valid", {"1", "Действующая", "Қолданыстағы"}},
    Status{"suspended", {"2", "Приостановлена", "Тоқтатыла тұрды"}},
    Status{"revoked", {"3", "Лишение (отзыв)", "Айыру (кері қайтарып алу)"}},
    Status{"terminated", {"4", "Прекращена", "Тоқтатылды"}},
};

template <typename Range>
auto find_coded(const Range& range, std::string_view code) -> decltype(&*range.begin()) {
  for (const auto& c : range) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

template <typename Range, typename Key>
std::string known(const Range& range, Key key) {
  std::string out;
  for (const auto& c : range) out += (out.empty() ? "" : ", ") + std::string(key(c));
  return out;
}

Authority read_authority(StrictReader r) {
  Authority a{r.required_string("code"), r.required_string("name_ru"),
              r.required_string("name_kk")};
  r.finish();
  return a;
}

std::string read_status(StrictReader& r, bool notification) {
  auto status = r.required_string("status");
  if (!find_status(status))
    r.fail("status", "'" + status + "' is not a status (" +
                         known(kStatuses, [](const Status& s) { return s.key; }) + ")");
  if (notification && status == "revoked")
    r.fail("status", "a notification cannot be revoked (use terminated)");
  return status;
}

Licence read_licence(StrictReader& r) {
  Licence l;
  l.number = r.required_string("number");
  l.activity = r.required_string("activity");
  if (!find_activity(l.activity))
    r.fail("activity", "'" + l.activity + "' is not an activity code (" +
                           known(kActivities, [](const Coded& c) { return c.code; }) + ")");
  l.subtypes = r.strings("subtypes");
  for (const auto& code : l.subtypes) {
    const auto* subtype = find_subtype(code);
    if (!subtype) r.fail("subtypes", "'" + code + "' is not a subtype code");
    if (subtype->activity != l.activity)
      r.fail("subtypes", "'" + code + "' is a subtype of " + std::string(subtype->activity) +
                             ", not of " + l.activity);
  }
  l.status = read_status(r, false);
  l.issued = r.required_date("issued");
  l.expires = r.optional_date("expires");
  if (l.expires && *l.expires <= l.issued)
    r.fail("expires", "'" + *l.expires + "' is not after the issue date " + l.issued);
  l.licensor = read_authority(r.required_object("licensor"));
  return l;
}

Notification read_notification(StrictReader& r) {
  Notification n;
  n.number = r.required_string("number");
  n.kind = r.required_string("kind");
  if (!find_notification_kind(n.kind))
    r.fail("kind", "'" + n.kind + "' is not a notification kind (" +
                       known(kNotificationKinds, [](const Coded& c) { return c.code; }) + ")");
  n.status = read_status(r, true);
  n.date = r.required_date("date");
  if (auto a = r.optional_object("receiver")) n.receiver = read_authority(std::move(*a));
  return n;
}

}  // namespace

const Coded& result(std::string_view code) {
  if (const auto* r = find_coded(kResults, code)) return *r;
  throw std::logic_error("e-licensing result code not in the table: " + std::string(code));
}

std::span<const Coded> activities() {
  return kActivities;
}
const Coded* find_activity(std::string_view code) {
  return find_coded(kActivities, code);
}

std::span<const Subtype> subtypes() {
  return kSubtypes;
}
const Subtype* find_subtype(std::string_view code) {
  for (const auto& s : kSubtypes) {
    if (s.coded.code == code) return &s;
  }
  return nullptr;
}

std::span<const Coded> notification_kinds() {
  return kNotificationKinds;
}
const Coded* find_notification_kind(std::string_view code) {
  return find_coded(kNotificationKinds, code);
}

std::span<const Status> statuses() {
  return kStatuses;
}
const Status* find_status(std::string_view key) {
  for (const auto& s : kStatuses) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

const Subject* Register::find(std::string_view biin) const {
  for (const auto& s : subjects) {
    if (s.biin == biin) return &s;
  }
  return nullptr;
}

Register parse(std::string_view json_text, std::string_view source) {
  return fixtures::parse_document<Register>(json_text, source, [](StrictReader& root) {
    Register reg;
    std::set<std::string> ids;
    std::set<std::string> identifiers;
    std::set<std::string> numbers;
    fixtures::read_entries(root, "subjects", ids, [&](StrictReader& r, const std::string& id) {
      Subject s;
      s.id = id;
      s.description = r.required_string("description");
      s.biin = r.identifier("biin");
      r.require_unique(identifiers, "biin", s.biin);
      s.name_ru = r.required_string("name_ru");
      s.name_kk = r.optional_string("name_kk");
      r.for_each_object("licences", [&](StrictReader& l) {
        s.licences.push_back(read_licence(l));
        l.require_unique(numbers, "number", s.licences.back().number);
      });
      r.for_each_object("notifications", [&](StrictReader& n) {
        s.notifications.push_back(read_notification(n));
        n.require_unique(numbers, "number", s.notifications.back().number);
      });
      reg.subjects.push_back(std::move(s));
    });
    fixtures::read_entries(root, "absent", ids, [&](StrictReader& r, const std::string& id) {
      Absent absent{id, r.required_string("description"), r.identifier("identifier")};
      r.require_unique(identifiers, "identifier", absent.identifier);
      reg.absent.push_back(std::move(absent));
    });
    return reg;
  });
}

Register load(const std::filesystem::path& file) {
  return parse(fixtures::read_fixture_file(file), file.string());
}

}  // namespace tekser::mocks::elicense
