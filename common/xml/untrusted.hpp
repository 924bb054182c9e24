// Reading XML that comes from outside (a state system's reply, a request to the mock bus): the
// document is screened before pugixml sees it, so that a hostile one is refused with its reason
// instead of parsed. Refused: anything that is not UTF-8, characters XML forbids (NUL and the
// other C0 controls but tab, LF, CR), any DOCTYPE or other markup declaration (no DTD, hence no
// entity can be declared: XXE and "billion laughs" never get a chance), references to entities
// other than the five predefined ones, nesting deeper than `max_depth` and more than
// `max_elements` elements. The screen is one linear pass with no allocation; the caps bound the
// parsed tree (pugixml allocates per node) and the recursion any reader of it may do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace tekser::xml {

struct UntrustedLimits {
  std::size_t max_depth = 64;          // a SHEP reply nests about 15 deep
  std::size_t max_elements = 100'000;  // a reply of one subject has a few hundred
};

// Why `text` must not be parsed; empty when it passes the screen. Problems name what was found
// and the byte offset: "DOCTYPE (DTD) refused at byte 22: no DTDs or entities are accepted".
// A document cut short or not well-formed passes when the screen cannot tell: the parser then
// reports it.
std::string screen_untrusted(std::string_view text, const UntrustedLimits& limits = {});

struct UntrustedLoad {
  enum class Status {
    ok,
    refused,          // failed the screen: never parsed
    not_well_formed,  // passed the screen, the parser rejected it
  };
  Status status = Status::ok;
  std::string problem;  // refused / not_well_formed: what is wrong
  explicit operator bool() const { return status == Status::ok; }
};

// Screens `text`, then parses it into `doc` with safe_parse_options() (plus `extra_options`,
// e.g. pugi::parse_fragment). Every parse of XML from outside goes through here.
UntrustedLoad load_untrusted(pugi::xml_document& doc, std::string_view text,
                             const UntrustedLimits& limits = {}, unsigned int extra_options = 0);

}  // namespace tekser::xml
