// KGD codes the mapping gives a meaning to. ASSUMED (contracts/assumed/kgd): no service passport
// yet; the mock writes the same codes (mocks/kgd/fixtures.cpp). A real code list changes this
// one table.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace tekser::mappings::kgd::codes {

// Response/result/code.
inline constexpr std::string_view kFound = "00";
inline constexpr std::string_view kNotFound = "01";  // not a taxpayer

// The kgd_lists keys, in the order the fact lists them.
inline constexpr std::array<std::string_view, 6> kListKeys{
    "bankrupt",      "inactive",       "invalid_registration",
    "wrong_address", "pseudo_company", "liquidation_in_progress"};

struct ListCode {
  std::string_view code;  // listEntry/list/code
  std::string_view key;   // one of kListKeys
};

// THE table of the published lists.
inline constexpr std::array kLists{
    ListCode{"1", "bankrupt"},  // Налогоплательщики, признанные банкротами
    ListCode{"2", "inactive"},  // Бездействующие налогоплательщики
    ListCode{"3", "invalid_registration"},  // Регистрация признана недействительной
    ListCode{"4", "wrong_address"},  // Отсутствующие по юридическому адресу
    ListCode{"5", "pseudo_company"},           // Лжепредприятия
    ListCode{"6", "liquidation_in_progress"},  // На стадии ликвидации
};

// taxpayer/entrepreneurRegistration/status/code -> the entrepreneur_registration status.
struct RegistrationCode {
  std::string_view code;
  std::string_view status;
};
inline constexpr std::array kRegistrationStatuses{
    RegistrationCode{"1", "registered"},  // состоит на регистрационном учёте
    RegistrationCode{"2",
                     "deregistered"},  // снят с регистрационного учёта: деятельность прекращена
    RegistrationCode{"3", "suspended"},  // деятельность приостановлена (не прекращена)
};

constexpr std::optional<std::string_view> registration_status(std::string_view code) {
  for (const auto& r : kRegistrationStatuses)
    if (r.code == code) return r.status;
  return std::nullopt;
}

constexpr std::optional<std::string_view> list_key(std::string_view code) {
  for (const auto& l : kLists) {
    if (l.code == code) return l.key;
  }
  return std::nullopt;
}

}  // namespace tekser::mappings::kgd::codes
