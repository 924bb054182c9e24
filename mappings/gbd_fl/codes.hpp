// ГБД ФЛ dictionary codes the mapping gives a meaning to. ASSUMED: no public code list ships with
// the contracts (contracts/official/README.md). The mapping decides from the reply's structure
// first (persons absent -> no data whatever the code, deathDate -> deceased); this table says which
// messageResult codes are the service declining (no consent token: refused, not "not found") and
// which
// lifeStatus means deceased when a reply gives the status without a death date. A real code
// list, once it arrives, changes this one table.
#pragma once

#include <array>
#include <string_view>

namespace tekser::mappings::gbd_fl::codes {

enum class Dictionary {
  message_result,  // Response/messageResult/code
  life_status,     // persons/person/lifeStatus/code
};

enum class Meaning {
  processed,  // the request was processed; persons (or their absence) is the answer
  declined,   // the service declined the request (consent, a missing field): says nothing
  deceased,   // the person has died
  alive,      // the person is alive
};

struct Entry {
  Dictionary dictionary;
  std::string_view code;
  Meaning meaning;
};

// THE table.
inline constexpr std::array kEntries{
    Entry{Dictionary::message_result, "00000", Meaning::processed},  // Запрос успешно обработан
    Entry{Dictionary::message_result, "KDP_TOKEN_INVALID", Meaning::declined},  // нет согласия
    Entry{Dictionary::message_result, "IIN_REQUIRED", Meaning::declined},
    Entry{Dictionary::life_status, "2", Meaning::deceased},  // Умерший
    Entry{Dictionary::life_status, "1", Meaning::alive},     // Живой
};

constexpr bool means(Dictionary dictionary, std::string_view code, Meaning meaning) {
  for (const auto& e : kEntries) {
    if (e.dictionary == dictionary && e.code == code && e.meaning == meaning) return true;
  }
  return false;
}

}  // namespace tekser::mappings::gbd_fl::codes
