#include "common/xml/untrusted.hpp"

#include <algorithm>
#include <cstdio>

#include "common/text/utf8.hpp"
#include "common/xml/ns.hpp"

namespace tekser::xml {
namespace {

std::string at(std::size_t offset) {
  return " at byte " + std::to_string(offset);
}

bool starts_with(std::string_view text, std::size_t i, std::string_view prefix) {
  return text.substr(i, prefix.size()) == prefix;
}

// Offset just past `terminator` searched from `from`, or npos when the document ends first.
std::size_t past(std::string_view text, std::size_t from, std::string_view terminator) {
  const auto found = text.find(terminator, from);
  return found == std::string_view::npos ? found : found + terminator.size();
}

bool is_name_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || u >= 0x80;
}

// Whether XML 1.0 allows the character (production Char).
bool is_xml_char(unsigned long code) {
  return code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
         (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}

// A character reference &#N; / &#xH; at i: refused when it names a character XML does not allow
// (&#0; would put a NUL into a fact, which PostgreSQL cannot store). Malformed ones are left for
// the parser.
std::string check_character_reference(std::string_view text, std::size_t i) {
  std::size_t j = i + 2;
  const bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
  if (hex) ++j;
  unsigned long code = 0;
  std::size_t digits = 0;
  for (; j < text.size() && text[j] != ';'; ++j, ++digits) {
    const char c = text[j];
    int value = -1;
    if (c >= '0' && c <= '9')
      value = c - '0';
    else if (hex && c >= 'a' && c <= 'f')
      value = c - 'a' + 10;
    else if (hex && c >= 'A' && c <= 'F')
      value = c - 'A' + 10;
    if (value < 0) return {};
    if (code <= 0x10FFFF) code = code * (hex ? 16 : 10) + static_cast<unsigned long>(value);
  }
  if (j >= text.size() || digits == 0) return {};
  if (is_xml_char(code)) return {};
  return "character reference " +
         std::string(text.substr(i, std::min<std::size_t>(j - i + 1, 16))) +
         " names a character XML does not allow" + at(i);
}

// `&name;` at i: the five predefined entities and character references pass; any other name
// (which only a DTD could declare) is refused. A bare '&' is left for the parser.
std::string check_reference(std::string_view text, std::size_t i) {
  std::size_t end = i + 1;
  if (end < text.size() && text[end] == '#') return check_character_reference(text, i);
  while (end < text.size() && is_name_char(text[end])) ++end;
  if (end == i + 1 || end >= text.size() || text[end] != ';') return {};
  const auto name = text.substr(i + 1, end - i - 1);
  if (name == "lt" || name == "gt" || name == "amp" || name == "apos" || name == "quot") return {};
  return "entity reference &" + std::string(text::utf8_prefix(name, 40)) + "; refused" + at(i) +
         ": only the predefined entities and character references are accepted";
}

}  // namespace

std::string screen_untrusted(std::string_view text, const UntrustedLimits& limits) {
  if (auto bad = text::invalid_utf8_at(text)) return "not valid UTF-8" + at(*bad);
  std::size_t depth = 0;
  std::size_t elements = 0;
  std::size_t i = 0;
  const std::size_t size = text.size();
  while (i < size) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      char code[8];
      std::snprintf(code, sizeof code, "%02X", static_cast<unsigned>(c));
      return std::string("character U+00") + code + " is not allowed in XML" + at(i);
    }
    if (c == '&') {
      if (auto problem = check_reference(text, i); !problem.empty()) return problem;
      ++i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    // Comments, CDATA and processing instructions are skipped whole: their content is no markup.
    // The control characters inside them are caught by the parser's own checks or are harmless.
    std::size_t next = std::string_view::npos;
    if (starts_with(text, i, "<!--")) {
      next = past(text, i + 4, "-->");
    } else if (starts_with(text, i, "<![CDATA[")) {
      next = past(text, i + 9, "]]>");
    } else if (starts_with(text, i, "<?")) {
      next = past(text, i + 2, "?>");
    } else if (starts_with(text, i, "<!DOCTYPE") || starts_with(text, i, "<!doctype")) {
      return "DOCTYPE (DTD) refused" + at(i) + ": no DTDs or entities are accepted";
    } else if (starts_with(text, i, "<!")) {
      return "markup declaration " + std::string(text::utf8_prefix(text.substr(i, 10), 10)) +
             "… refused" + at(i) + ": no DTDs or entities are accepted";
    } else if (starts_with(text, i, "</")) {
      if (depth > 0) --depth;
      next = past(text, i + 2, ">");
    } else {
      if (++elements > limits.max_elements)
        return "more than " + std::to_string(limits.max_elements) + " elements" + at(i);
      // To the end of the start tag; '>' may appear inside a quoted attribute value.
      std::size_t j = i + 1;
      char quote = 0;
      for (; j < size; ++j) {
        const char d = text[j];
        if (quote) {
          if (d == quote)
            quote = 0;
          else if (d == '&') {
            if (auto problem = check_reference(text, j); !problem.empty()) return problem;
          } else if (static_cast<unsigned char>(d) < 0x20 && d != '\t' && d != '\n' && d != '\r') {
            return "control character in an attribute value" + at(j);
          }
        } else if (d == '"' || d == '\'') {
          quote = d;
        } else if (d == '>') {
          break;
        }
      }
      if (j >= size) return {};  // cut short: the parser says so
      // The element's own depth counts, self-closing or not.
      if (depth + 1 > limits.max_depth)
        return "elements nested deeper than " + std::to_string(limits.max_depth) + at(i);
      if (text[j - 1] != '/') ++depth;
      next = j + 1;
    }
    if (next == std::string_view::npos) return {};  // cut short: the parser says so
    i = next;
  }
  return {};
}

UntrustedLoad load_untrusted(pugi::xml_document& doc, std::string_view text,
                             const UntrustedLimits& limits, unsigned int extra_options) {
  UntrustedLoad out;
  doc.reset();
  if (auto problem = screen_untrusted(text, limits); !problem.empty()) {
    out.status = UntrustedLoad::Status::refused;
    out.problem = std::move(problem);
    return out;
  }
  const auto result = doc.load_buffer(text.data(), text.size(),
                                      safe_parse_options() | extra_options, pugi::encoding_utf8);
  if (!result) {
    doc.reset();
    out.status = UntrustedLoad::Status::not_well_formed;
    out.problem = std::string("not well-formed XML: ") + result.description() + " at offset " +
                  std::to_string(result.offset);
  }
  return out;
}

}  // namespace tekser::xml
