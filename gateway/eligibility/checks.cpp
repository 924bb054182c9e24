#include "gateway/eligibility/checks.hpp"

#include <map>
#include <optional>

#include <boost/json.hpp>

namespace tekser::eligibility {
namespace {

namespace json = boost::json;

// How the reasons name the systems.
const std::map<std::string, Text, std::less<>>& system_names() {
  static const std::map<std::string, Text, std::less<>> names{
      {"gbd_ul", {"ГБД ЮЛ", "ЗТ МДҚ"}},
      {"gbd_fl", {"ГБД ФЛ", "ЖТ МДҚ"}},
      {"kgd", {"КГД МФ РК", "ҚР ҚМ МКК"}},
      {"elicense", {"ГБД «Е-лицензирование»", "«Е-лицензиялау» МДҚ"}},
      {"goszakup", {"веб-портал государственных закупок", "мемлекеттік сатып алу веб-порталы"}},
      {"samruk", {"реестры АО «Самрук-Казына»", "«Самұрық-Қазына» АҚ тізілімдері"}},
      {"pa_checks",
       {"системы проверки персонального ассистента", "жеке көмекшіні тексеру жүйелері"}}};
  return names;
}

Text system_name(std::string_view system) {
  const auto& names = system_names();
  if (auto it = names.find(system); it != names.end()) return it->second;
  return {std::string(system), std::string(system)};
}

// The evaluation of one requirement as it goes: evidence gathered, then an outcome.
struct Builder {
  const Requirement& requirement;
  const Input& input;
  RequirementVerdict verdict;

  Builder(const Requirement& r, const Input& in) : requirement(r), input(in) {
    verdict.id = r.id;
    verdict.reference = r.reference;
    verdict.title = r.title;
  }

  // A current, still valid fact; nullptr otherwise. Expired facts are no evidence.
  const facts::Fact* use(std::string_view system, std::string_view name) {
    auto it = input.facts.find({std::string(system), std::string(name)});
    if (it == input.facts.end()) return nullptr;
    if (input.now != xsd_time::TimePoint{} && it->second.provenance.valid_until <= input.now)
      return nullptr;
    verdict.evidence.push_back(it->second);
    return &it->second;
  }

  RequirementVerdict done(Outcome outcome, Text reason) {
    verdict.outcome = outcome;
    verdict.reason = std::move(reason);
    return std::move(verdict);
  }

  RequirementVerdict pass(Text reason) { return done(Outcome::pass, std::move(reason)); }
  RequirementVerdict fail(Text reason) { return done(Outcome::fail, std::move(reason)); }
  RequirementVerdict not_applicable(Text reason) {
    return done(Outcome::not_applicable, std::move(reason));
  }

  // The register answered but left out what the requirement turns on.
  RequirementVerdict incomplete(std::string_view system, std::string_view what) {
    const auto name = system_name(system);
    return done(Outcome::unknown, {"«" + name.ru + "» не сообщила: " + std::string(what),
                                   "«" + name.kk + "» хабарламады: " + std::string(what)});
  }

  // Why `system` gave no usable fact: never asked, no data (documents needed), down, stale.
  RequirementVerdict unknown(std::string_view system) {
    const auto name = system_name(system);
    auto it = input.sources.find(std::string(system));
    if (it == input.sources.end())
      return done(Outcome::unknown, {"Сведения из «" + name.ru + "» ещё не запрашивались",
                                     "«" + name.kk + "» мәліметтері әлі сұралмаған"});
    switch (it->second.outcome) {
      case facts::Outcome::no_data: {
        verdict.documents_required = true;
        // What the rule set says the supplier then does (the 2022 rules: p.6, last paragraph).
        if (const auto& own = requirement.when_no_data)
          return done(
              Outcome::unknown,
              {"В «" + name.ru + "» нет сведений о поставщике: " + own->ru,
               "«" + name.kk + "» жүйесінде өнім беруші туралы мәліметтер жоқ: " + own->kk});
        // The last paragraph of p.3 (and of p.6 for a personal assistant): without the data in
        // the state systems the supplier enters it with the documents that prove it.
        const bool p6 = verdict.id.rfind("p6.", 0) == 0;
        return done(Outcome::unknown,
                    {"В «" + name.ru +
                         "» нет сведений о поставщике: он вносит их сам с подтверждающими "
                         "документами (" +
                         (p6 ? "п.6" : "п.3") + ", последний абзац)",
                     "«" + name.kk +
                         "» жүйесінде өнім беруші туралы мәліметтер жоқ: ол оларды растайтын "
                         "құжаттармен өзі енгізеді (" +
                         (p6 ? "6" : "3") + "-тармақтың соңғы абзацы)"});
      }
      case facts::Outcome::data:
        return done(
            Outcome::unknown,
            {"Сведения из «" + name.ru + "» устарели или неполны: нужна повторная проверка",
             "«" + name.kk + "» мәліметтері ескірген немесе толық емес: қайта тексеру қажет"});
      default:
        return done(Outcome::unknown,
                    {"«" + name.ru + "» недоступна или отказала: " + it->second.cause,
                     "«" + name.kk + "» қолжетімсіз немесе бас тартты: " + it->second.cause});
    }
  }
};

// A yes/no member of a fact; nullopt when the register left it out (null, absent, not a bool):
// such a fact proves neither way.
std::optional<bool> flag(const json::value& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto* v = object.as_object().if_contains(key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

std::string text(const json::value& object, std::string_view key) {
  if (!object.is_object()) return {};
  const auto* v = object.as_object().if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string{};
}

std::optional<bool> is_listed(const json::value& register_fact) {
  return flag(register_fact, "listed");
}

// ---- the checks -------------------------------------------------------------------------------

// Why a status fact says "unknown": the mapping's reason (a date after the reply's, a reply that
// contradicts itself, a code the table does not know), or just that the status is missing.
std::string unknown_status_reason(const boost::json::value& status) {
  const auto reason = text(status, "unknown_reason");
  return reason.empty() ? std::string("status") : "status (" + reason + ")";
}

// p.15 sub-item 2 for an individual: dead (ГБД ФЛ), or — an entrepreneur — stopped trading
// (KGD deregistered it as an individual entrepreneur). Either is positive evidence; a pass
// needs ГБД ФЛ's "alive" and, for an entrepreneur, KGD's registration in force.
RequirementVerdict individual_not_terminated(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto* status = b.use("gbd_fl", facts::name::status);
  const auto value = status ? text(status->value, "value") : std::string();
  if (value == facts::status::deceased)
    return b.fail({"ГБД ФЛ: поставщик умер " + text(status->value, "death_date"),
                   "ЖТ МДҚ: өнім беруші қайтыс болған " + text(status->value, "death_date")});
  const facts::Fact* registration =
      in.entrepreneur ? b.use("kgd", "entrepreneur_registration") : nullptr;
  std::string registration_unknown;  // why the registration proves nothing either way
  if (registration) {
    const auto registered = text(registration->value, "status");
    const auto since = text(registration->value, "deregistered_on");
    if (registered == "deregistered" && (since.empty() || since <= in.today)) {
      // The evidence is KGD's reply alone: ГБД ФЛ says nothing of trading.
      Builder kgd(r, in);
      kgd.use("kgd", "entrepreneur_registration");
      return kgd.fail(
          {"КГД: снят с регистрационного учёта в качестве индивидуального предпринимателя" +
               (since.empty() ? std::string() : " " + since) + " (прекратил деятельность)",
           "МКК: жеке кәсіпкер ретінде тіркеу есебінен шығарылған" +
               (since.empty() ? std::string() : " " + since) + " (қызметін тоқтатқан)"});
    }
    if (registered == "deregistered")
      registration_unknown = "deregistration dated " + since + ", after today";
    else if (registered != "registered" && registered != "suspended")
      registration_unknown =
          "entrepreneur registration status (code " + text(registration->value, "code") + ")";
  }
  if (!status) return b.unknown("gbd_fl");
  if (value != facts::status::alive)
    return b.incomplete("gbd_fl", unknown_status_reason(status->value));
  if (in.entrepreneur) {
    if (!registration) return b.unknown("kgd");
    if (!registration_unknown.empty()) return b.incomplete("kgd", registration_unknown);
    return b.pass({"Жив; КГД: состоит на учёте в качестве индивидуального предпринимателя",
                   "Тірі; МКК: жеке кәсіпкер ретінде есепте тұр"});
  }
  return b.pass({"Поставщик существует (alive)", "Өнім беруші бар (alive)"});
}

RequirementVerdict subject_not_terminated(const Requirement& r, const Input& in) {
  if (in.individual) return individual_not_terminated(r, in);
  Builder b(r, in);
  const auto* system = "gbd_ul";
  const auto* status = b.use(system, facts::name::status);
  if (!status) return b.unknown(system);
  const auto value = text(status->value, "value");
  if (value == facts::status::liquidated)
    return b.fail({"ГБД ЮЛ: юридическое лицо ликвидировано " + text(status->value, "since"),
                   "ЗТ МДҚ: заңды тұлға таратылған " + text(status->value, "since")});
  // Only a status the register positively gave passes; a missing or unknown one is no evidence.
  for (const auto* existing : {facts::status::active, facts::status::in_liquidation,
                               facts::status::bankrupt, facts::status::inactive_taxpayer})
    if (value == existing)
      return b.pass({"Поставщик существует (" + value + ")", "Өнім беруші бар (" + value + ")"});
  return b.incomplete(system, unknown_status_reason(status->value));
}

RequirementVerdict no_tax_debt(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto* debt = b.use("kgd", "tax_debt");
  if (!debt) return b.unknown("kgd");
  const auto tax_flag = flag(debt->value, "has_tax_debt");
  const auto social_flag = flag(debt->value, "has_social_debt");
  const bool tax = tax_flag.value_or(false);
  const bool social = social_flag.value_or(false);
  if (tax || social) {
    std::string what_ru = tax && social
                              ? "налоговая задолженность и задолженность по социальным платежам"
                          : tax ? "налоговая задолженность"
                                : "задолженность по социальным платежам";
    std::string what_kk = tax && social ? "салық берешегі және әлеуметтік төлемдер бойынша берешек"
                          : tax         ? "салық берешегі"
                                : "әлеуметтік төлемдер бойынша берешек";
    return b.fail({"КГД: имеется " + what_ru, "МКК: " + what_kk + " бар"});
  }
  if (!tax_flag || !social_flag) return b.incomplete("kgd", "has_tax_debt / has_social_debt");
  return b.pass({"КГД: задолженности нет", "МКК: берешек жоқ"});
}

RequirementVerdict not_bankrupt_or_liquidating(const Requirement& r, const Input& in) {
  Builder b(r, in);
  // Positive evidence of either kind decides; a pass needs every register to have answered.
  std::vector<std::string> missing;
  std::optional<std::string> gbd_unknown;  // ГБД ЮЛ answered, but its status is no evidence
  if (!in.individual) {
    if (const auto* status = b.use("gbd_ul", facts::name::status)) {
      const auto value = text(status->value, "value");
      if (value == facts::status::bankrupt)
        return b.fail({"ГБД ЮЛ: признан банкротом", "ЗТ МДҚ: банкрот деп танылған"});
      if (value == facts::status::in_liquidation || value == facts::status::liquidated)
        return b.fail({"ГБД ЮЛ: в процессе ликвидации либо ликвидирован",
                       "ЗТ МДҚ: тарату рәсімінде немесе таратылған"});
      if (value != facts::status::active && value != facts::status::inactive_taxpayer)
        gbd_unknown = unknown_status_reason(status->value);
    } else {
      missing.push_back("gbd_ul");
    }
  }
  if (const auto* lists = b.use("kgd", "kgd_lists")) {
    const auto bankrupt = flag(lists->value, "bankrupt");
    const auto liquidating = flag(lists->value, "liquidation_in_progress");
    if (bankrupt.value_or(false))
      return b.fail({"КГД: в списке банкротов", "МКК: банкроттар тізімінде"});
    if (liquidating.value_or(false))
      return b.fail({"КГД: в списке находящихся в процессе ликвидации",
                     "МКК: тарату рәсіміндегілер тізімінде"});
    if (!bankrupt || !liquidating) missing.push_back("kgd");
  } else {
    missing.push_back("kgd");
  }
  if (gbd_unknown) return b.incomplete("gbd_ul", *gbd_unknown);
  // Down, no data, stale, or answered without the flags: unknown() says which.
  if (!missing.empty()) return b.unknown(missing.front());
  return b.pass(
      {"Не банкрот и не в процессе ликвидации", "Банкрот емес және тарату рәсімінде емес"});
}

RequirementVerdict not_in_goszakup_rnu(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto* rnu = b.use("goszakup", "goszakup_rnu");
  if (!rnu) return b.unknown("goszakup");
  const auto listed = is_listed(rnu->value);
  if (!listed) return b.incomplete("goszakup", "listed");
  if (*listed)
    return b.fail({"Состоит в реестре недобросовестных участников государственных закупок",
                   "Мемлекеттік сатып алуға жосықсыз қатысушылар тізілімінде тұр"});
  return b.pass({"В реестре недобросовестных участников госзакупок не состоит",
                 "Мемлекеттік сатып алуға жосықсыз қатысушылар тізілімінде жоқ"});
}

RequirementVerdict not_in_quasi_public_rnu(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto* quasi = b.use("samruk", "quasi_public_rnu");
  const auto* samruk = b.use("samruk", "samruk_unreliable");
  const auto quasi_listed = quasi ? is_listed(quasi->value) : std::optional<bool>{};
  const auto samruk_listed = samruk ? is_listed(samruk->value) : std::optional<bool>{};
  if (quasi_listed.value_or(false) || samruk_listed.value_or(false))
    return b.fail(
        {"Состоит в реестре недобросовестных участников закупок квазигосударственного "
         "сектора или в перечне ненадёжных поставщиков Фонда",
         "Квазимемлекеттік сектор сатып алуының жосықсыз қатысушылары тізілімінде "
         "немесе Қордың сенімсіз өнім берушілері тізбесінде тұр"});
  if (!quasi || !samruk) return b.unknown("samruk");
  if (!quasi_listed || !samruk_listed) return b.incomplete("samruk", "listed");
  return b.pass({"Ни в реестре квазигосударственного сектора, ни в перечне Фонда не состоит",
                 "Квазимемлекеттік сектор тізілімінде де, Қор тізбесінде де жоқ"});
}

// p.3 item 9: a licence only «for an activity that needs one». What the supplier supplies comes
// from the portal (the supplier's `services`); the rule set maps each service code to the
// licensed activities it needs (params.licences_by_service, a source note per row). No licensed
// service in this category: not_applicable. A code the rule set does not know, or no services
// given at all: unknown, with the reason — never fail.
RequirementVerdict licence_held(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto* table = r.params.if_contains("licences_by_service");
  if (!table || !table->is_object())
    return b.done(Outcome::unknown, {"Правила не сопоставляют услуги с лицензиями",
                                     "Ережелер қызметтерді лицензиялармен сәйкестендірмейді"});
  if (!in.services || in.services->empty())
    return b.done(Outcome::unknown,
                  {"Портал не сообщил, какие товары и услуги поставляет поставщик (services)",
                   "Портал өнім берушінің қандай тауарлар мен қызметтер беретінін хабарламады "
                   "(services)"});
  // The licensed activities each of the category's services needs; a code not in the table.
  std::vector<std::pair<std::string, std::vector<std::string>>> needed;
  for (const auto& code : *in.services) {
    const auto* row = table->as_object().if_contains(code);
    if (!row || !row->is_object())
      return b.done(
          Outcome::unknown,
          {"Код услуги «" + code + "» не известен правилам: нельзя сказать, нужна ли лицензия",
           "«" + code + "» қызмет коды ережелерге белгісіз: лицензия қажет пе, айту мүмкін емес"});
    if (text(*row, "category") != in.category) continue;
    std::vector<std::string> activities;
    if (const auto* list = row->as_object().if_contains("activities"); list && list->is_array())
      for (const auto& a : list->as_array())
        if (a.is_string()) activities.emplace_back(a.as_string());
    if (!activities.empty()) needed.emplace_back(code, std::move(activities));
  }
  if (needed.empty())
    return b.not_applicable({"Ни одна из услуг поставщика в этой категории не лицензируется",
                             "Өнім берушінің осы санаттағы қызметтерінің бірде-бірі "
                             "лицензияланбайды"});
  const auto* licences = b.use("elicense", "licences");
  if (!licences) return b.unknown("elicense");
  const auto valid_for = [&](const std::vector<std::string>& activities) -> std::string {
    if (!licences->value.is_array()) return {};
    for (const auto& l : licences->value.as_array()) {
      const auto activity = text(l, "activity_code");
      if (std::find(activities.begin(), activities.end(), activity) == activities.end()) continue;
      if (text(l, "status") != "valid") continue;
      const auto expires = text(l, "expires");
      if (!expires.empty() && expires < in.today) continue;
      return text(l, "number");
    }
    return {};
  };
  std::string numbers;
  for (const auto& [code, activities] : needed) {
    const auto number = valid_for(activities);
    if (number.empty())
      return b.fail({"Нет действующей лицензии для услуги «" + code + "»",
                     "«" + code + "» қызметіне қолданыстағы лицензия жоқ"});
    if (numbers.find(number) == std::string::npos)
      numbers += (numbers.empty() ? "" : ", ") + number;
  }
  return b.pass({"Действующая лицензия № " + numbers, "Қолданыстағы лицензия № " + numbers});
}

RequirementVerdict taxi_carrier_notification(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto* notifications = b.use("elicense", "notifications");
  if (!notifications) return b.unknown("elicense");
  if (notifications->value.is_array())
    for (const auto& n : notifications->value.as_array())
      if (text(n, "kind") == "taxi_carrier" && text(n, "status") == "valid")
        return b.pass({"Уведомление перевозчика такси № " + text(n, "number"),
                       "Такси тасымалдаушысының хабарламасы № " + text(n, "number")});
  return b.fail({"Нет действующего уведомления о начале деятельности перевозчика такси",
                 "Такси тасымалдаушысы қызметін бастау туралы қолданыстағы хабарлама жоқ"});
}

RequirementVerdict adult(const Requirement& r, const Input& in) {
  Builder b(r, in);
  if (!in.individual)
    return b.not_applicable(
        {"Возраст проверяется только у физического лица", "Жас тек жеке тұлғада тексеріледі"});
  // A person whose IIN gives no birth date (found by the case table: this passed as
  // not_applicable) is of unknown age, never of age by default.
  if (!in.birth_date)
    return b.done(Outcome::unknown, {"Дата рождения не следует из ИИН: возраст не установлен",
                                     "Туған күні ЖСН-нан шықпайды: жасы анықталмаған"});
  int minimum = 18;
  if (const auto* m = r.params.if_contains("minimum_age"); m && m->is_int64())
    minimum = static_cast<int>(m->as_int64());
  // Birthday arithmetic on YYYY-MM-DD: of age once today >= birth date + N years.
  const auto& born = *in.birth_date;
  const int year = std::stoi(born.substr(0, 4)) + minimum;
  const auto comes_of_age = std::to_string(year) + born.substr(4);
  if (in.today >= comes_of_age)
    return b.pass({"Дата рождения по ИИН " + born + ": возраст не менее " + std::to_string(minimum),
                   "ЖСН бойынша туған күні " + born + ": жасы кемінде " + std::to_string(minimum)});
  return b.fail(
      {"Дата рождения по ИИН " + born + ": нет " + std::to_string(minimum) + " лет",
       "ЖСН бойынша туған күні " + born + ": " + std::to_string(minimum) + " жасқа толмаған"});
}

RequirementVerdict flag_check(const Requirement& r, const Input& in, std::string_view name,
                              std::string_view key, Text when_set, Text when_clear) {
  Builder b(r, in);
  const auto* f = b.use("pa_checks", name);
  if (!f) return b.unknown("pa_checks");
  const auto set = flag(f->value, key);
  if (!set) return b.incomplete("pa_checks", key);
  if (*set) return b.fail(std::move(when_set));
  return b.pass(std::move(when_clear));
}

// p.6 sub-item 3): not on the special register of persons a court declared incapable *or of
// limited capacity* — either fails; a pass needs the register to have said both.
RequirementVerdict not_incapable(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto* f = b.use("pa_checks", "incapacity");
  if (!f) return b.unknown("pa_checks");
  const auto incapable = flag(f->value, "declared_incapable");
  const auto limited = flag(f->value, "limited_capacity");
  if (incapable.value_or(false))
    return b.fail({"Признан судом недееспособным", "Сот әрекетке қабілетсіз деп таныған"});
  if (limited.value_or(false))
    return b.fail({"Признан судом ограниченно дееспособным",
                   "Сот әрекетке қабілеттілігі шектеулі деп таныған"});
  if (!incapable) return b.incomplete("pa_checks", "declared_incapable");
  if (!limited) return b.incomplete("pa_checks", "limited_capacity");
  return b.pass({"Недееспособным или ограниченно дееспособным не признан",
                 "Әрекетке қабілетсіз немесе әрекетке қабілеттілігі шектеулі деп танылмаған"});
}

// A requirement the rules make that tekser cannot judge (the 2022 rules' p.4: article 32-2 of a
// Law whose text is not among its sources): always unknown, with the rule set's reason
// (params.reason_ru / reason_kk) — never a pass by silence.
RequirementVerdict not_encoded(const Requirement& r, const Input& in) {
  Builder b(r, in);
  const auto ru = text(json::value(r.params), "reason_ru");
  const auto kk = text(json::value(r.params), "reason_kk");
  return b.done(Outcome::unknown, {ru.empty() ? "Требование не закодировано в шлюзе" : ru,
                                   kk.empty() ? "Талап шлюзде кодталмаған" : kk});
}

const std::map<std::string, Check, std::less<>>& checks() {
  static const std::map<std::string, Check, std::less<>> all{
      {"subject_not_terminated", subject_not_terminated},
      {"no_tax_debt", no_tax_debt},
      {"not_bankrupt_or_liquidating", not_bankrupt_or_liquidating},
      {"not_in_goszakup_rnu", not_in_goszakup_rnu},
      {"not_in_quasi_public_rnu", not_in_quasi_public_rnu},
      {"licence_held", licence_held},
      {"taxi_carrier_notification", taxi_carrier_notification},
      {"adult", adult},
      {"no_psychiatric_registration",
       [](const Requirement& r, const Input& in) {
         return flag_check(r, in, "psychiatric_registration", "registered",
                           {"Состоит на учёте в психиатрическом диспансере",
                            "Психиатриялық диспансерде есепте тұр"},
                           {"На учёте не состоит", "Есепте тұрмайды"});
       }},
      {"no_criminal_record",
       [](const Requirement& r, const Input& in) {
         return flag_check(r, in, "criminal_record", "has_unexpunged_record",
                           {"Имеется непогашенная судимость", "Өтелмеген соттылығы бар"},
                           {"Непогашенной судимости нет", "Өтелмеген соттылығы жоқ"});
       }},
      {"not_incapable", not_incapable},
      {"not_encoded", not_encoded},
  };
  return all;
}

}  // namespace

const Check* find_check(std::string_view name) {
  const auto& all = checks();
  auto it = all.find(name);
  return it == all.end() ? nullptr : &it->second;
}

}  // namespace tekser::eligibility
