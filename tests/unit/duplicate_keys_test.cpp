#include "common/json/duplicate_keys.hpp"

#include <gtest/gtest.h>

namespace tekser::json_text {
namespace {

TEST(DuplicateKeys, NoneInAnObjectWhoseNamesDiffer) {
  EXPECT_EQ(first_duplicate_key(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})"), std::nullopt);
  EXPECT_EQ(first_duplicate_key(R"([1,2,{"x":null}])"), std::nullopt);
  EXPECT_EQ(first_duplicate_key("{}"), std::nullopt);
}

TEST(DuplicateKeys, TheSameNameInTwoObjectsIsNoDuplicate) {
  EXPECT_EQ(first_duplicate_key(R"({"a":{"k":1},"b":{"k":1}})"), std::nullopt);
}

TEST(DuplicateKeys, ATopLevelRepeatIsNamedByItsName) {
  EXPECT_EQ(first_duplicate_key(R"({"status":"ok","status":"blocked"})"), "status");
}

TEST(DuplicateKeys, ANestedRepeatIsNamedByItsPath) {
  EXPECT_EQ(first_duplicate_key(R"({"consent":{"token":"a","key":"k","token":"b"}})"),
            "consent.token");
  EXPECT_EQ(first_duplicate_key(R"({"phones":["x",{"kind":1},{"kind":1,"kind":2}]})"),
            "phones[2].kind");
  EXPECT_EQ(first_duplicate_key(R"([[],[{"a":1,"a":1}]])"), "[1][0].a");
}

TEST(DuplicateKeys, AnEmptyNameRepeatedIsWrittenAsTwoQuotes) {
  // Found by fuzz/run.sh on gateway_supplier_put: the 400 had an empty field.
  EXPECT_EQ(first_duplicate_key(R"({"":1,"":2})"), R"("")");
  EXPECT_EQ(first_duplicate_key(R"({"consent":{"":1,"":2}})"), R"(consent."")");
}

TEST(DuplicateKeys, NamesAreComparedAfterTheirEscapesAreDecoded) {
  // "\u0061" is "a": one name written two ways is still one name twice.
  EXPECT_EQ(first_duplicate_key(R"({"a":1,"\u0061":2})"), "a");
}

TEST(DuplicateKeys, TextThatIsNotJsonIsLeftToTheRealParse) {
  EXPECT_EQ(first_duplicate_key(R"({"a":1,)"), std::nullopt);
  EXPECT_EQ(first_duplicate_key("not json"), std::nullopt);
}

}  // namespace
}  // namespace tekser::json_text
