// The powers of attorney the mock ЕНИС knows, loaded from fixtures/enis.json. The loader checks
// every entry — IIN/BIN check digits, dates and their order, known power codes, unique numbers —
// and refuses the whole file with a message naming the entry and the field.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::mocks::enis {

// The assumed ЕНИС classifier of powers (contracts/assumed/enis/README.md).
struct Power {
  std::string_view code;
  std::string_view text_ru;
  std::string_view text_kz;
};
inline constexpr std::array kPowers{
    Power{"SSP_REPRESENT", "Представлять интересы на портале социальных услуг",
          "Әлеуметтік қызметтер порталында мүдделерін білдіру"},
    Power{"SIGN_APPLICATIONS", "Подписывать и подавать заявления", "Өтініштерге қол қою және беру"},
    Power{"RECEIVE_PAYMENTS", "Получать причитающиеся денежные средства",
          "Тиесілі ақшалай қаражатты алу"},
    Power{"REPRESENT_COURTS", "Представлять интересы в судах", "Соттарда мүдделерін білдіру"},
    Power{"MANAGE_BANK_ACCOUNTS", "Распоряжаться банковскими счетами", "Банк шоттарына билік ету"},
};
const Power* find_power(std::string_view code);

struct PowerOfAttorney {
  std::string id;
  std::string description;
  std::string number;
  std::string registry_number;
  std::string notary_name_ru;
  std::string notary_licence;
  std::string principal_id;  // BIN or IIN
  std::string principal_name_ru;
  std::string representative_iin;
  std::string representative_name_ru;
  std::string issued;
  std::optional<std::string> valid_until;
  std::optional<std::string> revoked_on;  // set: revoked
  std::vector<std::string> scope;         // codes of kPowers
};

// A number deliberately not registered (for "not found" tests).
struct AbsentNumber {
  std::string id;
  std::string description;
  std::string number;
};

struct Register {
  std::vector<PowerOfAttorney> powers_of_attorney;
  std::vector<AbsentNumber> absent;

  const PowerOfAttorney* find(std::string_view number) const;
};

// Parses and checks a fixture document; `source` names it in error messages. Throws
// fixtures::FixtureError naming the entry and the field.
Register parse(std::string_view json_text, std::string_view source);
Register load(const std::filesystem::path& file);

}  // namespace tekser::mocks::enis
