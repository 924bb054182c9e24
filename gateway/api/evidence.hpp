// The evidence of a trigger, for the commission: GET /v1/triggers/{id}/evidence[?format=json|html]
// (scope triggers:read). The rule set and the point of the order applied, each ground with its
// reason and the facts it rests on, and each state-system reply exactly as the message log keeps
// it: its bytes, their SHA-256 recomputed and compared with the digest the trigger recorded (a
// mismatch is reported, never hidden), the signature status and signer the log recorded, the time.
// A reply the log does not keep is shown as absent with the reason.
//
// JSON by default; a one-page printable HTML view in Russian and Kazakh with ?format=html or when
// the Accept header prefers text/html. A trigger id that is not a UUID is a 400 naming `id`, an
// unknown one a 404, ?format= with another value a 400 naming `format`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/url/params_view.hpp>

#include "common/net/http_server.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/evidence_store.hpp"

namespace tekser::api {

bool is_evidence_route(const std::vector<std::string>& segments);

// GET /v1/triggers/{id}/evidence. Throws ApiError for what the caller got wrong.
boost::asio::awaitable<net::HttpResponse> evidence_route(store::DbPool& db,
                                                         const net::HttpRequest& request,
                                                         const std::vector<std::string>& segments,
                                                         boost::urls::params_view params);

// The pure parts, unit-tested without a database.

enum class EvidenceFormat { json, html };
// ?format= (when given) decides; else HTML only when the Accept header rates text/html above
// application/json (a browser's), JSON otherwise (none, */*, application/json). nullopt: a
// `format` that is neither json nor html.
std::optional<EvidenceFormat> evidence_format(std::optional<std::string_view> format_param,
                                              std::string_view accept);

// The canonical lower-case form of a UUID (any case accepted); nullopt for anything else.
std::optional<std::string> canonical_uuid(std::string_view text);

// Which pieces of evidence (indexes into evidence.evidence) each ground rests on, as the rule set
// named by the trigger decides it: the ground's check run over the trigger's own evidence. A
// ground whose check names none of them (an unknown rule set, a check that needs more than the
// evidence) is linked to all, and `derived` says which way it went.
struct GroundLink {
  std::vector<std::size_t> evidence;
  bool derived = false;  // false: all the evidence, as the trigger records it together
};
std::vector<GroundLink> link_grounds(const store::TriggerEvidence& evidence);

boost::json::object evidence_json(const store::TriggerEvidence& evidence);
std::string evidence_html(const store::TriggerEvidence& evidence);

// &, <, >, " and ' as character references.
std::string html_escape(std::string_view text);

}  // namespace tekser::api
