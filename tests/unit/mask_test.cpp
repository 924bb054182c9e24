// tekser-ctl exchanges export --mask-personal-data: the names, birth dates, addresses and
// document numbers of a recorded reply are gone, the subject's id and the dictionaries stay, and
// the reply still parses as the SHEP reply it was (so that the mocks can replay it).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/shep/envelope.hpp"
#include "common/xml/ns.hpp"
#include "gateway/cli/mask.hpp"

namespace tekser::ctl {
namespace {

std::string golden(const std::string& name) {
  std::ifstream in(std::string(TEKSER_FUZZ_CORPUS_DIR) + "/shep_envelope/" + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void expect_gone(const std::string& masked, std::initializer_list<const char*> values) {
  for (const auto* value : values)
    EXPECT_EQ(masked.find(value), std::string::npos) << value << " is still in:\n" << masked;
}

void expect_kept(const std::string& masked, std::initializer_list<const char*> values) {
  for (const auto* value : values)
    EXPECT_NE(masked.find(value), std::string::npos) << value << " is gone from:\n" << masked;
}

TEST(MaskPersonalData, GbdFlPersonLosesNamesBirthDateAddressAndDocumentKeepsIinAndCodes) {
  const auto original = golden("golden-fl_alive_ie.xml");
  ASSERT_NE(original.find("Омарова"), std::string::npos) << "the golden reply changed";
  const auto result = mask_personal_data(original);
  expect_gone(result.xml, {"Омарова", "Жанар", "Серікқызы", "1984-05-12", "Әл-Фараби", "77/8",
                           "045612378", "0201000123456789", "Есик"});
  expect_kept(result.xml, {"<iin>840512401230</iin>", "<code>00000</code>", "Женский", "Казах",
                           "Бостандыкский район", "SCSS001", "<birthDate>1900-01-01</birthDate>",
                           "<beginDate>2019-06-11</beginDate>"});
  EXPECT_GE(result.masked, 10);

  // Still the SHEP reply it was: a SendMessageResponse with its data, the subject in place.
  const auto parsed = shep::parse_reply(result.xml);
  ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
  EXPECT_EQ(parsed.info.status_code, "SCSS001");
  const auto person = xml::find_descendant(parsed.data, {"", "person"});
  ASSERT_TRUE(person);
  EXPECT_EQ(xml::text(xml::child(person, {"", "iin"})), "840512401230");
  EXPECT_EQ(xml::text(xml::child(person, {"", "surname"})), "XXXXXXX");  // 7 letters, 7 X
}

TEST(MaskPersonalData, GbdUlKeepsTheCompanyAndMasksItsPeople) {
  const auto result = mask_personal_data(golden("golden-ul_active.xml"));
  expect_gone(result.xml, {"Қасымов", "Ержан", "Болатұлы", "Нұрпейісова", "Төле би", "050004"});
  expect_kept(result.xml, {"<BIN>150340012340</BIN>", "ТОО «Мейірім Медтехника»", "Зарегистрирован",
                           "<KATO>751110000</KATO>", "Директор", "Шипагер Холдинг"});
  EXPECT_EQ(shep::parse_reply(result.xml).kind, shep::ParsedReply::Kind::response);
}

TEST(MaskPersonalData, AnIndividualEntrepreneursOwnNameAndAPersonsNameInEnis) {
  const auto kgd = mask_personal_data(
      "<r><taxpayer><biin>840512401230</biin><nameRu>ИП Омарова Ж.С.</nameRu></taxpayer>"
      "<taxpayer><biin>150340012340</biin><nameRu>ТОО «Мейірім»</nameRu></taxpayer></r>");
  expect_gone(kgd.xml, {"Омарова"});
  expect_kept(kgd.xml, {"840512401230", "ТОО «Мейірім»", "<nameRu>XX XXXXXXX X.X.</nameRu>"});
  const auto enis = mask_personal_data(golden("golden-enis_valid.xml"));
  expect_gone(enis.xml, {"Нұрпейісова", "Сейткалиева"});
  expect_kept(enis.xml, {"ДВ-2025-000417", "<Id>800304403774</Id>", "ТОО «Мейірім Медтехника»"});
}

TEST(MaskPersonalData, RefusesWhatIsNotXml) {
  EXPECT_THROW(mask_personal_data("<a><b></a>"), std::invalid_argument);
  EXPECT_THROW(mask_personal_data("not xml"), std::invalid_argument);
}

}  // namespace
}  // namespace tekser::ctl
