// ГБД ЮЛ dictionary codes the mapping gives a meaning to. ASSUMED: no public code list ships with
// the contracts (contracts/official/README.md). The mapping decides from the reply's structure
// first (Organization absent, LiquidationDate, Liquidation, TaxOrgStatus); this table only adds
// what structure cannot say (a bankruptcy ground) or fills in when structure is silent. A real
// code list, once it arrives, changes this one table.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "mappings/facts/fact.hpp"

namespace tekser::mappings::gbd_ul::codes {

enum class Dictionary {
  reg_status,  // Organization/RegStatus/Code
  liq_base,    // Organization/Liquidation/LiqBase/Code
};

struct Meaning {
  Dictionary dictionary;
  std::string_view code;
  std::string_view status;  // a facts::status value
};

// THE table.
inline constexpr std::array kMeanings{
    Meaning{Dictionary::reg_status, "1", facts::status::active},  // Зарегистрирован
    Meaning{Dictionary::reg_status, "2", facts::status::in_liquidation},  // В процессе ликвидации
    Meaning{Dictionary::reg_status, "3", facts::status::liquidated},  // Ликвидирован
    Meaning{Dictionary::liq_base, "4", facts::status::bankrupt},  // Решение суда о банкротстве
};

constexpr std::optional<std::string_view> meaning(Dictionary dictionary, std::string_view code) {
  for (const auto& m : kMeanings) {
    if (m.dictionary == dictionary && m.code == code) return m.status;
  }
  return std::nullopt;
}

}  // namespace tekser::mappings::gbd_ul::codes
