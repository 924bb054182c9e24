// The screen of XML from outside (common/xml/untrusted.hpp) and strict UTF-8 (common/text/utf8):
// hostile documents — DTDs, entities, XXE, billion laughs, deep nesting, floods of elements,
// invalid UTF-8, NUL — are refused with their reason before any parser sees them; ordinary
// documents (comments, CDATA, '>' in attributes, the predefined entities) pass and parse.
#include "common/xml/untrusted.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/shep/envelope.hpp"
#include "common/text/utf8.hpp"

namespace {

namespace xml = tekser::xml;
namespace text = tekser::text;

std::string nested(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += "<a>";
  for (std::size_t i = 0; i < depth; ++i) out += "</a>";
  return out;
}

std::string contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos ? std::string(needle)
                                                         : std::string(haystack);
}

TEST(Utf8, AcceptsValidTextAndFindsTheFirstBadByte) {
  EXPECT_TRUE(text::is_valid_utf8(""));
  EXPECT_TRUE(text::is_valid_utf8("plain ASCII"));
  EXPECT_TRUE(text::is_valid_utf8("Тексер — қазақша 𝄞"));
  EXPECT_EQ(text::invalid_utf8_at("ab\xff"), 2u);            // never a UTF-8 byte
  EXPECT_EQ(text::invalid_utf8_at("a\xc3"), 1u);             // cut short
  EXPECT_EQ(text::invalid_utf8_at("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(text::invalid_utf8_at("\xe0\x80\xaf"), 0u);      // overlong, 3 bytes
  EXPECT_EQ(text::invalid_utf8_at("x\xed\xa0\x80"), 1u);     // UTF-16 surrogate D800
  EXPECT_EQ(text::invalid_utf8_at("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(text::invalid_utf8_at("\xd0\xb0\xd0"), 2u);      // "а" then a lone lead byte
  EXPECT_EQ(text::invalid_utf8_at("\xe2\x82\x28"), 0u);      // bad continuation
}

TEST(Utf8, LossyCopyAndPrefixKeepCharactersWhole) {
  EXPECT_EQ(text::to_valid_utf8("a\xff"
                                "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(text::to_valid_utf8(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(text::to_valid_utf8("ок"), "ок");
  EXPECT_TRUE(text::is_valid_utf8(text::to_valid_utf8("\xc3\xc3\xc3(\xe2\x82")));
  EXPECT_EQ(text::utf8_prefix("жж", 3), "ж");  // 2 bytes a letter: never half of one
  EXPECT_EQ(text::utf8_prefix("abc", 10), "abc");
}

TEST(XmlUntrusted, OrdinaryDocumentsPassAndParse) {
  const std::string doc =
      R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment with <b> and & in it -->
<r a="x > y" b='&lt;&amp;&#1046;&#x416;'><![CDATA[<not><markup>&nope;]]><e/>&quot;Ж&quot;</r>)";
  EXPECT_EQ(xml::screen_untrusted(doc), "");
  pugi::xml_document parsed;
  const auto loaded = xml::load_untrusted(parsed, doc);
  ASSERT_TRUE(loaded) << loaded.problem;
  EXPECT_STREQ(parsed.child("r").attribute("b").value(), "<&ЖЖ");
  EXPECT_EQ(xml::screen_untrusted(nested(64)), "");
}

TEST(XmlUntrusted, RefusesAnyDoctypeBeforeParsing) {
  const std::string billion_laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>)";
  const auto problem = xml::screen_untrusted(billion_laughs);
  EXPECT_EQ(contains(problem, "DOCTYPE (DTD) refused at byte 22"),
            "DOCTYPE (DTD) refused at byte 22");
  const std::string xxe = R"(<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>)";
  EXPECT_EQ(contains(xml::screen_untrusted(xxe), "no DTDs or entities"), "no DTDs or entities");
  EXPECT_NE(xml::screen_untrusted("<!doctype html><html/>"), "");
  // A markup declaration outside a DOCTYPE is no better.
  EXPECT_EQ(contains(xml::screen_untrusted("<r><!ENTITY x 'y'></r>"), "markup declaration"),
            "markup declaration");
  pugi::xml_document doc;
  const auto loaded = xml::load_untrusted(doc, xxe);
  EXPECT_EQ(loaded.status, xml::UntrustedLoad::Status::refused);
  EXPECT_FALSE(doc.first_child());
}

TEST(XmlUntrusted, RefusesEntityReferencesOnlyADtdCouldDeclare) {
  EXPECT_EQ(contains(xml::screen_untrusted("<r>&xxe;</r>"), "entity reference &xxe; refused"),
            "entity reference &xxe; refused");
  EXPECT_NE(xml::screen_untrusted(R"(<r a="&lol9;"/>)"), "");
  // Character references to what XML forbids: &#0; would put a NUL into a fact.
  EXPECT_EQ(contains(xml::screen_untrusted("<r>&#0;</r>"), "character reference &#0;"),
            "character reference &#0;");
  EXPECT_NE(xml::screen_untrusted("<r>&#x1;</r>"), "");
  EXPECT_NE(xml::screen_untrusted("<r>&#xD800;</r>"), "");
  EXPECT_NE(xml::screen_untrusted("<r>&#x110000;</r>"), "");
  EXPECT_NE(xml::screen_untrusted("<r>&#99999999999999999999;</r>"), "");
  EXPECT_EQ(xml::screen_untrusted("<r>&#9;&#x10FFFF;</r>"), "");
}

TEST(XmlUntrusted, CapsDepthAndElementCount) {
  EXPECT_EQ(xml::screen_untrusted(nested(64)), "");
  EXPECT_EQ(contains(xml::screen_untrusted(nested(65)), "nested deeper than 64"),
            "nested deeper than 64");
  EXPECT_NE(xml::screen_untrusted(nested(100'000)), "");
  xml::UntrustedLimits limits;
  limits.max_depth = 3;
  limits.max_elements = 5;
  EXPECT_EQ(xml::screen_untrusted("<a><b><c/></b></a>", limits), "");
  EXPECT_NE(xml::screen_untrusted("<a><b><c><d/></c></b></a>", limits), "");
  EXPECT_EQ(xml::screen_untrusted("<r><e/><e/><e/><e/></r>", limits), "");
  EXPECT_EQ(contains(xml::screen_untrusted("<r><e/><e/><e/><e/><e/></r>", limits),
                     "more than 5 elements"),
            "more than 5 elements");
  // Siblings are not depth: a flat list of many passes the depth cap.
  std::string flat = "<r>";
  for (int i = 0; i < 1000; ++i) flat += "<e>x</e>";
  EXPECT_EQ(xml::screen_untrusted(flat + "</r>"), "");
}

TEST(XmlUntrusted, RefusesInvalidUtf8AndForbiddenCharacters) {
  EXPECT_EQ(xml::screen_untrusted("<r>\xff</r>"), "not valid UTF-8 at byte 3");
  EXPECT_NE(xml::screen_untrusted("<r a=\"\xc0\xaf\"/>"), "");
  EXPECT_EQ(xml::screen_untrusted(std::string("<r>\0</r>", 8)),
            "character U+0000 is not allowed in XML at byte 3");
  EXPECT_NE(xml::screen_untrusted("<r>\x1b[31m</r>"), "");
  EXPECT_EQ(xml::screen_untrusted("<r>\t\r\n</r>"), "");
}

TEST(XmlUntrusted, TruncatedDocumentsPassTheScreenAndFailTheParser) {
  for (std::string_view cut : {"<r><a", "<r><!-- open", "<r><![CDATA[x", "<r a=\"1", "<r>"}) {
    EXPECT_EQ(xml::screen_untrusted(cut), "") << cut;
    pugi::xml_document doc;
    const auto loaded = xml::load_untrusted(doc, cut);
    EXPECT_EQ(loaded.status, xml::UntrustedLoad::Status::not_well_formed) << cut;
  }
}

TEST(XmlUntrusted, ShepReplyParsingMarksHostileRepliesUnsafe) {
  namespace shep = tekser::shep;
  const auto deep = "<soap:Envelope xmlns:soap=\"" + std::string(shep::kSoapNs) + "\"><soap:Body>" +
                    nested(1000) + "</soap:Body></soap:Envelope>";
  auto reply = shep::parse_reply(deep);
  EXPECT_EQ(reply.kind, shep::ParsedReply::Kind::malformed);
  EXPECT_TRUE(reply.unsafe);
  EXPECT_EQ(contains(reply.problem, "unsafe XML, not parsed: elements nested deeper"),
            "unsafe XML, not parsed: elements nested deeper");
  auto request =
      shep::parse_request(R"(<!DOCTYPE x [<!ENTITY e SYSTEM "http://evil/">]><x>&e;</x>)");
  EXPECT_FALSE(request.ok);
  EXPECT_EQ(contains(request.problem, "DOCTYPE"), "DOCTYPE");
  // Not well-formed is malformed, not unsafe.
  auto cut = shep::parse_reply("<soap:Envelope");
  EXPECT_FALSE(cut.unsafe);
  EXPECT_EQ(cut.kind, shep::ParsedReply::Kind::malformed);
}

}  // namespace
