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
