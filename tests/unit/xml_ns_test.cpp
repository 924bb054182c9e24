// Namespace-aware reading: the same document written with other prefixes, or with a default
// namespace, reads the same; a same-named element in another namespace does not match.
#include "common/xml/ns.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace xml = tekser::xml;
using xml::Name;

constexpr std::string_view kA = "urn:test:a";
constexpr std::string_view kB = "urn:test:b";

pugi::xml_document load(const std::string& text) {
  pugi::xml_document doc;
  const auto r = doc.load_string(text.c_str(), xml::safe_parse_options());
  EXPECT_TRUE(r) << r.description() << "\n" << text;
  return doc;
}

// One logical document: {a}root / {a}item* (unqualified <v>) / {b}extra, written three ways.
const std::vector<std::string>& spellings() {
  static const std::vector<std::string> docs{
      R"(<a:root xmlns:a="urn:test:a" xmlns:b="urn:test:b">
           <a:item><v> one </v></a:item><a:item><v>two</v></a:item><b:extra>x</b:extra>
         </a:root>)",
      R"(<p:root xmlns:p="urn:test:a"><p:item><v> one </v></p:item>
           <q:item xmlns:q="urn:test:a"><v>two</v></q:item>
           <r:extra xmlns:r="urn:test:b">x</r:extra></p:root>)",
      R"(<root xmlns="urn:test:a"><item><v xmlns=""> one </v></item>
           <item><v xmlns="">two</v></item><extra xmlns="urn:test:b">x</extra></root>)",
  };
  return docs;
}

TEST(XmlNs, SameDocumentWithOtherPrefixesReadsTheSame) {
  for (const auto& text : spellings()) {
    const auto doc = load(text);
    const auto root = doc.document_element();
    EXPECT_TRUE(xml::is(root, Name{kA, "root"})) << text;
    EXPECT_EQ(xml::local_name(root), "root");
    EXPECT_EQ(xml::namespace_uri(root), kA);

    const auto items = xml::children(root, Name{kA, "item"});
    ASSERT_EQ(items.size(), 2u) << text;
    EXPECT_EQ(xml::text(xml::child(items[0], Name{"", "v"})), "one") << text;
    EXPECT_EQ(xml::text(xml::child(items[1], Name{"", "v"})), "two") << text;

    EXPECT_EQ(xml::text(xml::find_path(root, {Name{kA, "item"}, Name{"", "v"}})), "one");
    EXPECT_EQ(xml::text(xml::child(root, Name{kB, "extra"})), "x") << text;
    EXPECT_EQ(xml::text(xml::find_descendant(root, Name{"", "v"})), "one") << text;
  }
}

TEST(XmlNs, SameLocalNameInAnotherNamespaceDoesNotMatch) {
  for (const auto& text : spellings()) {
    const auto doc = load(text);
    const auto root = doc.document_element();
    EXPECT_FALSE(xml::is(root, Name{kB, "root"})) << text;
    EXPECT_FALSE(xml::is(root, Name{"", "root"})) << text;
    EXPECT_FALSE(xml::child(root, Name{kA, "extra"})) << text;
    EXPECT_FALSE(xml::child(root, Name{"", "item"})) << text;
    // <v> is unqualified in every spelling, so looking for it in a namespace fails.
    EXPECT_FALSE(xml::find_descendant(root, Name{kA, "v"})) << text;
  }
}

TEST(XmlNs, DefaultNamespaceAppliesToUnprefixedDescendants) {
  const auto doc =
      load(R"(<root xmlns="urn:test:a"><child/><inner xmlns=""><leaf/></inner></root>)");
  const auto root = doc.document_element();
  EXPECT_TRUE(xml::child(root, Name{kA, "child"}));
  const auto inner = xml::child(root, Name{"", "inner"});
  ASSERT_TRUE(inner);
  EXPECT_EQ(xml::namespace_uri(inner), "");
  EXPECT_TRUE(xml::child(inner, Name{"", "leaf"}));
}

TEST(XmlNs, InnerDeclarationShadowsOuterPrefix) {
  const auto doc = load(R"(<p:root xmlns:p="urn:test:a"><p:x xmlns:p="urn:test:b"/></p:root>)");
  const auto root = doc.document_element();
  EXPECT_TRUE(xml::child(root, Name{kB, "x"}));
  EXPECT_FALSE(xml::child(root, Name{kA, "x"}));
}

TEST(XmlNs, UndeclaredPrefixHasNoNamespace) {
  const auto doc = load(R"(<u:root/>)");
  EXPECT_EQ(xml::namespace_uri(doc.document_element()), "");
  EXPECT_EQ(xml::local_name(doc.document_element()), "root");
}

TEST(XmlNs, FindPathReturnsEmptyNodeWhenAStepIsMissing) {
  const auto doc = load(spellings()[0]);
  const auto root = doc.document_element();
  EXPECT_FALSE(xml::find_path(root, {Name{kA, "item"}, Name{"", "missing"}}));
  EXPECT_FALSE(xml::find_path(root, {Name{kA, "missing"}, Name{"", "v"}}));
  const std::vector<Name> path{Name{kA, "item"}, Name{"", "v"}};
  EXPECT_EQ(xml::text(xml::find_path(root, path)), "one");
}

TEST(XmlNs, TextIsTrimmedAndEmptyMeansAbsent) {
  const auto doc = load("<r><a>\n\t x y \r\n</a><b>   </b><c/></r>");
  const auto r = doc.document_element();
  EXPECT_EQ(xml::text(xml::child(r, Name{"", "a"})), "x y");
  EXPECT_EQ(xml::text(xml::child(r, Name{"", "b"})), std::nullopt);
  EXPECT_EQ(xml::text(xml::child(r, Name{"", "c"})), std::nullopt);
  EXPECT_EQ(xml::text(xml::child(r, Name{"", "missing"})), std::nullopt);
}

TEST(XmlNs, ResolvesXsiTypeQNameInScope) {
  const auto doc = load(
      R"(<d xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:pl="urn:test:a" xsi:type="pl:Request"/>)");
  const auto d = doc.document_element();
  std::string storage;
  const auto name = xml::resolve_qname(d, d.attribute("xsi:type").value(), storage);
  ASSERT_TRUE(name);
  EXPECT_EQ(name->ns, kA);
  EXPECT_EQ(name->local, "Request");

  const auto attr = d.attribute("xsi:type");
  EXPECT_EQ(xml::local_name(attr), "type");
}

TEST(XmlNs, ResolvesUnprefixedQNameToTheDefaultNamespace) {
  const auto doc = load(R"(<d xmlns="urn:test:b"/>)");
  std::string storage;
  const auto name = xml::resolve_qname(doc.document_element(), "Thing", storage);
  ASSERT_TRUE(name);
  EXPECT_EQ(name->ns, kB);
  EXPECT_EQ(name->local, "Thing");
}

TEST(XmlNs, QNameWithUndeclaredPrefixDoesNotResolve) {
  const auto doc = load(R"(<d xmlns:pl="urn:test:a"/>)");
  std::string storage;
  EXPECT_FALSE(xml::resolve_qname(doc.document_element(), "zz:Request", storage));
}

TEST(XmlNs, XmlPrefixIsAlwaysBound) {
  const auto doc = load(R"(<r><xml:lang/></r>)");
  EXPECT_EQ(xml::namespace_uri(doc.document_element().first_child()),
            "http://www.w3.org/XML/1998/namespace");
}

TEST(XmlNs, SafeParseOptionsDoNotExpandDeclaredEntities) {
  // A "billion laughs" style internal entity must not be expanded.
  const std::string text = "<!DOCTYPE r [<!ENTITY e \"EXPANDED\">]><r>&e;</r>";
  pugi::xml_document doc;
  doc.load_string(text.c_str(), xml::safe_parse_options());
  const auto out = xml::to_string(doc);
  EXPECT_EQ(out.find("EXPANDED</r>"), std::string::npos) << out;
  EXPECT_EQ(out.find("<!DOCTYPE"), std::string::npos) << out;
}

TEST(XmlNs, ToStringIsCompactWithoutDeclaration) {
  const auto doc = load("<?xml version=\"1.0\"?>\n<r>\n  <a x=\"1\">t</a>\n</r>");
  EXPECT_EQ(xml::to_string(doc.document_element()), "<r><a x=\"1\">t</a></r>");
}

TEST(XmlNs, FindDescendantIsDepthFirstInDocumentOrder) {
  const auto doc = load("<r><a><b><x>1</x></b></a><x>2</x><c><x>3</x></c></r>");
  const auto r = doc.document_element();
  EXPECT_EQ(xml::text(xml::find_descendant(r, Name{"", "x"})), "1");
  EXPECT_EQ(xml::text(xml::find_descendant(xml::child(r, Name{"", "c"}), Name{"", "x"})), "3");
}

TEST(XmlNs, FindDescendantStaysInsideTheSubtree) {
  const auto doc = load("<r><a><b><y/></b><z/></a><x>outside</x></r>");
  const auto a = xml::child(doc.document_element(), Name{"", "a"});
  ASSERT_TRUE(a);
  EXPECT_FALSE(xml::find_descendant(a, Name{"", "x"}));
  EXPECT_FALSE(xml::find_descendant(a, Name{"", "a"}));  // descendants only, not itself
  EXPECT_TRUE(xml::find_descendant(a, Name{"", "z"}));
  const auto leaf = xml::find_descendant(a, Name{"", "y"});
  ASSERT_TRUE(leaf);
  EXPECT_FALSE(xml::find_descendant(leaf, Name{"", "z"}));
}

TEST(XmlNs, FindDescendantSurvivesDeepNesting) {
  // A hostile reply can nest elements very deeply; searching it must not exhaust the stack.
  constexpr int kDepth = 200'000;
  std::string text;
  text.reserve(kDepth * 7 + 32);
  for (int i = 0; i < kDepth; ++i) text += "<e>";
  text += "<target/>";
  for (int i = 0; i < kDepth; ++i) text += "</e>";
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_buffer(text.data(), text.size(), xml::safe_parse_options()));
  EXPECT_TRUE(xml::find_descendant(doc, Name{"", "target"}));
  EXPECT_FALSE(xml::find_descendant(doc, Name{"", "absent"}));
}

}  // namespace
