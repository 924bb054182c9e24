// The declarative rule engine: namespace tolerance, types, nulls; the address line.
#include <gtest/gtest.h>

#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"
#include "tests/mappings/support.hpp"

namespace {

namespace m = tekser::mappings;
using m::u;
using tekser::test::json;

constexpr std::string_view kNs = "urn:service";

pugi::xml_node load(pugi::xml_document& doc, const char* text) {
  EXPECT_TRUE(doc.load_string(text)) << text;
  return doc.document_element();
}

TEST(Rules, UnqualifiedStepIsStrictWithoutAlsoNs) {
  pugi::xml_document doc;
  const auto rec = load(doc, "<r xmlns:s='urn:service'><s:A>qualified</s:A></r>");
  EXPECT_EQ(m::read_field(rec, {"", {u("A")}}), json("null"));
  EXPECT_EQ(m::read_field(rec, {"", {u("A")}}, m::NsSet{kNs}), json(R"("qualified")"));
}

TEST(Rules, UnqualifiedStepMatchesDefaultNamespaceOnlyWhenListed) {
  pugi::xml_document doc;
  const auto rec = load(doc, "<r><A xmlns='urn:service'><B>x</B></A></r>");
  EXPECT_EQ(m::read_field(rec, {"", {u("A"), u("B")}}, m::NsSet{kNs}), json(R"("x")"));
  EXPECT_EQ(m::read_field(rec, {"", {u("A"), u("B")}}, m::NsSet{"urn:elsewhere"}), json("null"));
}

TEST(Rules, QualifiedStepMatchesOnlyItsNamespace) {
  pugi::xml_document doc;
  const auto rec = load(doc, "<r><A>plain</A></r>");
  EXPECT_EQ(m::read_field(rec, {"", {{kNs, "A"}}}, m::NsSet{kNs}), json("null"));
}

TEST(Rules, TypesAndNulls) {
  pugi::xml_document doc;
  const auto rec = load(doc,
                        "<r><D> 2015-03-17 </D><Bad>17.03.2015</Bad><B>1</B><N>25.5</N>"
                        "<E>  </E><X>abc</X></r>");
  const m::FactRule rule{"f",
                         {{"d", {u("D")}, m::ValueType::date},
                          {"bad", {u("Bad")}, m::ValueType::date},
                          {"b", {u("B")}, m::ValueType::boolean},
                          {"n", {u("N")}, m::ValueType::number},
                          {"nan", {u("X")}, m::ValueType::number},
                          {"empty", {u("E")}},
                          {"missing", {u("Nope")}}}};
  EXPECT_EQ(m::apply(rule, rec), json(R"({"d": "2015-03-17", "bad": null, "b": true, "n": 25.5,
                                          "nan": null, "empty": null, "missing": null})"));
}

TEST(Rules, AllNullObjectIsNullButApplyObjectKeepsTheShape) {
  pugi::xml_document doc;
  const auto rec = load(doc, "<r/>");
  const m::FactRule rule{"f", {{"a", {u("A")}}, {"b", {u("B")}}}};
  EXPECT_EQ(m::apply(rule, rec), json("null"));
  EXPECT_EQ(boost::json::value(m::apply_object(rule, rec)), json(R"({"a": null, "b": null})"));
}

TEST(AddressLine, SkipsMissingPartsAndPartsAlreadyNamed) {
  EXPECT_EQ(m::address_line(
                {"050004", "город Алматы", std::nullopt, "Алматы", "улица Толе би", "", "дом 101"}),
            "050004, город Алматы, улица Толе би, дом 101");
  EXPECT_EQ(m::address_line({"Алматы қаласы", "Алматы", "Төле би көшесі"}),
            "Алматы қаласы, Төле би көшесі");
  // An oblast named after its centre does not stand for the city.
  EXPECT_EQ(m::address_line({"Қарағанды облысы", "Қарағанды"}), "Қарағанды облысы, Қарағанды");
  EXPECT_EQ(m::address_line({"Ақсуский район", "Ақсу"}), "Ақсуский район, Ақсу");
  EXPECT_EQ(m::address_line({std::nullopt, ""}), "");
}

}  // namespace
