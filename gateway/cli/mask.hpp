// Masking of personal data in a reply recorded from a state system, for tekser-ctl exchanges
// export --mask-personal-data: the text of the elements below is replaced, character for
// character (a letter becomes 'X', a digit '0', spaces and punctuation stay), so that the
// document keeps its structure, stays well-formed XML and its values keep their shape. The
// subject's own BIN/IIN is kept (the mocks match recordings by it), and so are codes and the
// dictionaries' names (gender, status, region...), which say nothing about one person.
//
// Masked, by the element's local name (any namespace, any case):
//   - a person's names: surname, name, patronymic, middleName, firstName, lastName, fio; and any
//     element whose name contains "name" directly inside an element that stands for a person
//     (representative, notary, organizationLeader, foundersFL, leader, person) or inside an
//     element whose iin/biin/id child holds an individual's IIN (an individual entrepreneur's
//     name in KGD's taxpayer, e-licensing's subject, ЕНИС's principal);
//   - birth dates: birthDate, dateOfBirth → 1900-01-01 (the rest of the value kept);
//   - addresses: street*, building*, flat, office*, house, apartment, city*, zipCode, arCode
//     anywhere below an element whose name contains "address" or is birthPlace;
//   - document numbers: number / documentNumber inside an element whose name contains
//     "document" or "certificate" (identity documents, death certificates).
// Not masked: other IINs and BINs (leaders', founders', a representative's) — they are the
// registers' keys — licence and power-of-attorney numbers, and amounts.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace tekser::ctl {

struct MaskResult {
  std::string xml;  // the masked document
  int masked = 0;   // how many text values were replaced
};

// Throws std::invalid_argument when `xml` is not well-formed.
MaskResult mask_personal_data(std::string_view xml);

}  // namespace tekser::ctl
