// The judgement of a power_of_attorney fact on a given day. Pure: the day comes in.
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"
#include "mappings/enis/codes.hpp"
#include "mappings/enis/enis.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings::enis {

Assessment assess(const boost::json::value& poa_fact, std::string_view today_text) {
  const auto invalid = [](std::string reason) { return Assessment{false, std::move(reason)}; };
  const auto today = xsd_time::normalize_date(today_text);
  if (!today) return invalid("'" + std::string(today_text) + "' is not a date YYYY-MM-DD");
  if (!poa_fact.is_object()) return invalid("no power_of_attorney fact");
  const auto& poa = poa_fact.as_object();

  // Dates YYYY-MM-DD compare as text.
  const auto date = [&](std::string_view key) -> std::optional<std::string> {
    const auto text = member_text(poa, key);
    return text ? xsd_time::normalize_date(*text) : std::nullopt;
  };
  const auto* revoked = poa.if_contains("revoked");
  const auto revoked_on = date("revoked_on");
  if (!revoked || !revoked->is_bool()) return invalid("the revocation flag is missing");
  if (revoked->as_bool() || revoked_on) {
    if (!revoked_on) return invalid("revoked (no revocation date given)");
    if (*revoked_on <= *today) return invalid("revoked on " + *revoked_on);
    // A revocation dated after today is already recorded: the document is not to be relied on.
    return invalid("revocation recorded, effective " + *revoked_on);
  }
  const auto issued = date("issued");
  if (!issued) return invalid("the issue date is missing");
  if (*issued > *today) return invalid("issued on " + *issued + ", after " + *today);
  const auto valid_until = date("valid_until");
  if (valid_until && *valid_until < *today) return invalid("expired on " + *valid_until);

  bool portal = false;
  if (const auto* scope = poa.if_contains("scope"); scope && scope->is_array()) {
    for (const auto& power : scope->as_array()) {
      if (power.is_object() &&
          member_text(power.as_object(), "code") == codes::kPortalRepresentation)
        portal = true;
    }
  }
  if (!portal)
    return invalid("the scope does not include representation before the social services portal (" +
                   std::string(codes::kPortalRepresentation) + ")");
  return Assessment{true, valid_until ? "valid until " + *valid_until : "valid, no end date"};
}

}  // namespace tekser::mappings::enis
