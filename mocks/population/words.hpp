// The small embedded word lists the synthetic population is made of: names (Kazakh and Russian,
// with their female forms and patronymics), cities of real regions with their KATO codes and the
// authorities that serve them, streets, company-name stems and the lines of business the portal
// buys from (each with its OKED activity and the licence or notification it needs).
// KATO codes, authority codes and office numbers look realistic but are not taken from an
// authoritative list (as in fixtures/suppliers.json).
#pragma once

#include <span>
#include <string_view>

namespace tekser::mocks::population::words {

struct Surname {
  std::string_view male;
  std::string_view female;
};

// A given name and the patronymics of the children of a man with that name.
struct GivenName {
  std::string_view name;
  std::string_view son;       // patronymic of a son
  std::string_view daughter;  // patronymic of a daughter
};

// A group of names with the nationality code (gbd_fl.nationality) ГБД ФЛ gives its bearers.
struct NameGroup {
  std::string_view nationality;
  std::span<const Surname> surnames;
  std::span<const GivenName> male;
  std::span<const std::string_view> female;
};

// Kazakh names (nationality 005) and Russian names (001).
const NameGroup& kazakh();
const NameGroup& russian();

struct Coded {
  std::string_view code;
  std::string_view ru;
  std::string_view kz;
};

struct City {
  std::string_view tag;  // short code of the city in authority codes ("ALA")
  std::string_view kato;
  std::string_view zip;
  Coded region;  // область or city of republican significance (ГБД ФЛ code)
  Coded raion;   // a district of the city, or an empty code when none
  std::string_view city_ru, city_kz;  // the settlement
  std::string_view region_genitive_ru;  // "города Алматы", "Павлодарской области"
  std::string_view region_dative_ru;  // "городу Алматы", "Павлодарской области"
  std::string_view region_genitive_kz;  // "Алматы қаласының", "Павлодар облысының"
  std::string_view justice_code;  // registration department (ГБД ЮЛ)
  Coded tax_office;               // KGD charCode and the office's name
  std::string_view ar_prefix;     // first digits of address-register codes
};
std::span<const City> cities();

struct Street {
  std::string_view ru;
  std::string_view kz;
};
std::span<const Street> streets();

// Company-name stems, the same word in both languages.
std::span<const std::string_view> name_stems();

// What a supplier does: its main OKED activity, the word its company name ends with, and what
// e-licensing must hold for it to sell on the portal (a licence of an activity and subtype, or a
// notification of a kind).
struct Business {
  std::string_view key;
  std::string_view oked;
  std::string_view oked_ru;
  std::string_view oked_kz;
  std::string_view word_ru;
  std::string_view word_kz;
  std::string_view licence_activity;  // elicense activity code, "" for a notification
  std::string_view licence_subtype;
  std::string_view notification_kind;  // elicense notification kind, "" for a licence
  // What the portal would say the supplier supplies (PUT /v1/suppliers `services`, the codes of
  // the gateway's rule set, p.3 item 9); "" for a category exempt from licences (invataxi).
  std::string_view portal_service;
};
std::span<const Business> businesses();

// Reasons of the blacklists, for synthetic register rows.
std::span<const std::string_view> rnu_reasons();
std::span<const std::string_view> samruk_reasons();

}  // namespace tekser::mocks::population::words
