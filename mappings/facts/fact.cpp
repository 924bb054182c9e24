#include "mappings/facts/fact.hpp"

namespace tekser::facts {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::data:
      return "data";
    case Outcome::no_data:
      return "no_data";
    case Outcome::unavailable:
      return "unavailable";
    case Outcome::refused:
      return "refused";
    case Outcome::malformed:
      return "malformed";
  }
  return "unavailable";
}

}  // namespace tekser::facts

namespace tekser::facts {

std::optional<Outcome> outcome_from_string(std::string_view text) {
  for (auto o : {Outcome::data, Outcome::no_data, Outcome::unavailable, Outcome::refused,
                 Outcome::malformed}) {
    if (to_string(o) == text) return o;
  }
  return std::nullopt;
}

}  // namespace tekser::facts

namespace tekser::facts {

std::string_view to_string(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::not_checked:
      return "not_checked";
    case SignatureStatus::absent:
      return "absent";
    case SignatureStatus::valid:
      return "valid";
    case SignatureStatus::invalid:
      return "invalid";
  }
  return "not_checked";
}

std::optional<SignatureStatus> signature_status_from_string(std::string_view text) {
  for (auto s : {SignatureStatus::not_checked, SignatureStatus::absent, SignatureStatus::valid,
                 SignatureStatus::invalid}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace tekser::facts
