// E-licensing codes the mapping gives a meaning to. ASSUMED (contracts/assumed/elicense): no
// service passport yet; the mock writes the same codes (mocks/elicense/fixtures.cpp). A real
// code list changes this one table.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace tekser::mappings::elicense::codes {

// Response/result/code.
inline constexpr std::string_view kFound = "00";
inline constexpr std::string_view kNotFound = "01";  // the subject is unknown to the register

struct Status {
  std::string_view code;
  std::string_view licence;       // the licence's status
  std::string_view notification;  // the notification's status
};

// THE status table (License/status/code, Notification/status/code). The law knows no revocation
// of a notification; a 3 on one is read as terminated.
inline constexpr std::array kStatuses{
    Status{"1", "valid", "valid"},            // Действующая
    Status{"2", "suspended", "suspended"},    // Приостановлена
    Status{"3", "revoked", "terminated"},     // Лишение (отзыв)
    Status{"4", "terminated", "terminated"},  // Прекращена
};

constexpr const Status* status(std::string_view code) {
  for (const auto& s : kStatuses) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

// Notification kinds with a meaning of their own to the rules; any other kind is passed on as
// its code.
inline constexpr std::string_view kTaxiKindCode = "TAXI";
inline constexpr std::string_view kTaxiCarrier = "taxi_carrier";

struct Activity {
  std::string_view code;
  std::string_view name_ru;
  std::string_view name_kk;
};

// Licensed activities the portal cares about. The reply names each activity; this table fills
// in a name the reply leaves out and documents the codes the eligibility rules may refer to.
inline constexpr std::array kActivities{
    Activity{"MED", "Медицинская деятельность", "Медициналық қызмет"},
    Activity{"PHARM", "Фармацевтическая деятельность", "Фармацевтикалық қызмет"},
    Activity{"MEDDEV", "Деятельность в сфере оборота медицинских изделий",
             "Медициналық бұйымдар айналымы саласындағы қызмет"},
};

constexpr const Activity* activity(std::string_view code) {
  for (const auto& a : kActivities) {
    if (a.code == code) return &a;
  }
  return nullptr;
}

}  // namespace tekser::mappings::elicense::codes
