#include "mocks/kgd/fixtures.hpp"

#include <array>
#include <set>
#include <stdexcept>

#include "common/identity/identity.hpp"
#include "mocks/fixtures/strict_reader.hpp"

namespace tekser::mocks::kgd {
namespace {

using fixtures::FixtureError;
using fixtures::StrictReader;

constexpr std::array kResults{
    ResultCode{kResultFound, "Сведения о налогоплательщике найдены",
               "Салық төлеуші туралы мәліметтер табылды"},
    ResultCode{kResultNotFound, "Налогоплательщик не найден", "Салық төлеуші табылмады"},
    ResultCode{kResultRejected, "Некорректный запрос: ИИН/БИН не прошёл проверку",
               "Сұрау қате: ЖСН/БСН тексеруден өтпеді"},
};

// ASSUMED: the budget codes the fixtures use, each with the total it counts in.
constexpr std::array kKbks{
    Kbk{"101110", Levy::tax, "Корпоративный подоходный налог с юридических лиц",
        "Заңды тұлғалардан алынатын корпоративтік табыс салығы"},
    Kbk{"101201", Levy::tax,
        "Индивидуальный подоходный налог с доходов, облагаемых у источника выплаты",
        "Төлем көзінен салық салынатын табыстардан ұсталатын жеке табыс салығы"},
    Kbk{"103101", Levy::tax, "Социальный налог", "Әлеуметтік салық"},
    Kbk{"104402", Levy::tax, "Налог на транспортные средства с юридических лиц",
        "Заңды тұлғалардың көлік құралдарына салынатын салық"},
    Kbk{"105101", Levy::tax,
        "Налог на добавленную стоимость на произведенные товары, выполненные работы и оказанные "
        "услуги на территории Республики Казахстан",
        "Қазақстан Республикасының аумағында өндірілген тауарларға, орындалған жұмыстарға және "
        "көрсетілген қызметтерге салынатын қосылған құн салығы"},
    Kbk{"901101", Levy::pension, "Обязательные пенсионные взносы", "Міндетті зейнетақы жарналары"},
    Kbk{"902101", Levy::social, "Социальные отчисления", "Әлеуметтік аударымдар"},
    Kbk{"904101", Levy::health, "Отчисления на обязательное социальное медицинское страхование",
        "Міндетті әлеуметтік медициналық сақтандыруға аударымдар"},
    Kbk{"904102", Levy::health, "Взносы на обязательное социальное медицинское страхование",
        "Міндетті әлеуметтік медициналық сақтандыруға жарналар"},
};

// ASSUMED: the lists KGD publishes on kgd.gov.kz, with our codes.
constexpr std::array kLists{
    PublishedList{"bankrupt", "1", "Налогоплательщики, признанные банкротами",
                  "Банкрот деп танылған салық төлеушілер"},
    PublishedList{"inactive", "2", "Бездействующие налогоплательщики",
                  "Әрекетсіз салық төлеушілер"},
    PublishedList{"invalid_registration", "3",
                  "Налогоплательщики, регистрация которых признана недействительной",
                  "Тіркелуі жарамсыз деп танылған салық төлеушілер"},
    PublishedList{"wrong_address", "4", "Налогоплательщики, отсутствующие по юридическому адресу",
                  "Заңды мекенжайы бойынша жоқ салық төлеушілер"},
    PublishedList{"pseudo_company", "5", "Лжепредприятия", "Жалған кәсіпорындар"},
    PublishedList{"liquidation_in_progress", "6",
                  "Налогоплательщики, находящиеся на стадии ликвидации",
                  "Тарату сатысындағы салық төлеушілер"},
};

Office read_office(StrictReader& r) {
  Office office;
  office.code = r.required_string("code");
  if (office.code.size() != 4 || office.code.find_first_not_of("0123456789") != std::string::npos)
    r.fail("code", "'" + office.code + "' is not a 4-digit tax office code");
  office.name_ru = r.required_string("name_ru");
  office.name_kk = r.required_string("name_kk");
  office.report_date = r.optional_date("report_date");
  std::set<std::string> kbks_seen;
  r.for_each_object("lines", [&](StrictReader& l) {
    Line line;
    line.kbk = l.required_string("kbk");
    if (!find_kbk(line.kbk))
      l.fail("kbk",
             "budget code '" + line.kbk + "' is not in the KBK table (mocks/kgd/fixtures.cpp)");
    if (!kbks_seen.insert(line.kbk).second)
      l.fail("kbk", "'" + line.kbk + "' already has a line at this office");
    line.tax = l.amount("tax");
    line.penalty = l.amount("penalty");
    line.percent = l.amount("percent");
    line.fine = l.amount("fine");
    if (line.total() == 0) l.fail("tax", "a line with nothing owed: leave the line out");
    office.lines.push_back(std::move(line));
  });
  return office;
}

ListEntry read_list_entry(StrictReader& r) {
  ListEntry entry;
  entry.list = r.required_string("list");
  if (!find_list(entry.list)) {
    std::string known;
    for (const auto& l : kLists) known += (known.empty() ? "" : ", ") + std::string(l.key);
    r.fail("list", "'" + entry.list + "' is not a published list (" + known + ")");
  }
  entry.included_on = r.optional_date("included_on");
  entry.decision = r.optional_string("decision");
  entry.reason_ru = r.optional_string("reason_ru");
  entry.reason_kk = r.optional_string("reason_kk");
  return entry;
}

constexpr RegistrationStatus kRegistrationStatuses[] = {
    {"registered", "1",
     "Состоит на регистрационном учёте в качестве индивидуального предпринимателя",
     "Жеке кәсіпкер ретінде тіркеу есебінде тұр"},
    {"deregistered", "2",
     "Снят с регистрационного учёта в качестве индивидуального предпринимателя",
     "Жеке кәсіпкер ретінде тіркеу есебінен шығарылды"},
    {"suspended", "3", "Деятельность индивидуального предпринимателя приостановлена",
     "Жеке кәсіпкердің қызметі тоқтатыла тұрды"},
};

EntrepreneurRegistration read_registration(StrictReader& r) {
  EntrepreneurRegistration out;
  out.status = r.required_string("status");
  if (!find_registration_status(out.status))
    r.fail("status", "'" + out.status + "' is not one of registered, deregistered, suspended");
  out.registered_on = r.optional_date("registered_on");
  out.deregistered_on = r.optional_date("deregistered_on");
  out.suspended_from = r.optional_date("suspended_from");
  out.suspended_until = r.optional_date("suspended_until");
  out.reason_ru = r.optional_string("reason_ru");
  if ((out.status == "deregistered") != out.deregistered_on.has_value())
    r.fail("deregistered_on", "is given exactly when the status is deregistered");
  return out;
}

Taxpayer read_taxpayer(StrictReader& r) {
  Taxpayer t;
  t.description = r.required_string("description");
  t.biin = r.identifier("biin");
  t.name_ru = r.required_string("name_ru");
  t.name_kk = r.optional_string("name_kk");
  std::set<std::string> codes;
  r.for_each_object("offices", [&](StrictReader& o) {
    auto office = read_office(o);
    if (!codes.insert(office.code).second)
      o.fail("code", "office '" + office.code + "' is listed twice");
    t.offices.push_back(std::move(office));
  });
  std::set<std::string> lists_seen;
  r.for_each_object("lists", [&](StrictReader& l) {
    auto entry = read_list_entry(l);
    if (!lists_seen.insert(entry.list).second)
      l.fail("list", "'" + entry.list + "' is listed twice for this taxpayer");
    t.lists.push_back(std::move(entry));
  });
  if (auto registration = r.optional_object("entrepreneur_registration")) {
    if (identity::parse(t.biin).identifier->kind != identity::SubjectKind::individual)
      r.fail("entrepreneur_registration", "only an IIN is registered as an entrepreneur");
    t.registration = read_registration(*registration);
  }
  return t;
}

}  // namespace

const RegistrationStatus* find_registration_status(std::string_view status) {
  for (const auto& s : kRegistrationStatuses)
    if (s.status == status) return &s;
  return nullptr;
}

const ResultCode& result(std::string_view code) {
  for (const auto& r : kResults) {
    if (r.code == code) return r;
  }
  throw std::logic_error("KGD result code not in the table: " + std::string(code));
}

std::span<const Kbk> kbks() {
  return kKbks;
}

const Kbk* find_kbk(std::string_view code) {
  for (const auto& k : kKbks) {
    if (k.code == code) return &k;
  }
  return nullptr;
}

std::span<const PublishedList> lists() {
  return kLists;
}

const PublishedList* find_list(std::string_view key) {
  for (const auto& l : kLists) {
    if (l.key == key) return &l;
  }
  return nullptr;
}

std::int64_t Taxpayer::total(Levy levy) const {
  std::int64_t sum = 0;
  for (const auto& office : offices) {
    for (const auto& line : office.lines) {
      if (find_kbk(line.kbk)->levy == levy) sum += line.total();
    }
  }
  return sum;
}

std::int64_t Taxpayer::total() const {
  return total(Levy::tax) + total(Levy::pension) + total(Levy::social) + total(Levy::health);
}

const Taxpayer* Register::find(std::string_view biin) const {
  for (const auto& t : taxpayers) {
    if (t.biin == biin) return &t;
  }
  return nullptr;
}

Register parse(std::string_view json_text, std::string_view source) {
  return fixtures::parse_document<Register>(json_text, source, [](StrictReader& root) {
    Register reg;
    std::set<std::string> ids;
    std::set<std::string> identifiers;
    fixtures::read_entries(root, "taxpayers", ids, [&](StrictReader& r, const std::string& id) {
      auto taxpayer = read_taxpayer(r);
      taxpayer.id = id;
      r.require_unique(identifiers, "biin", taxpayer.biin);
      reg.taxpayers.push_back(std::move(taxpayer));
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

std::string format_amount(std::int64_t tiyn) {
  const bool negative = tiyn < 0;
  const auto magnitude = negative ? -tiyn : tiyn;
  const auto cents = magnitude % 100;
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + (cents < 10 ? "0" : "") +
         std::to_string(cents);
}

}  // namespace tekser::mocks::kgd
