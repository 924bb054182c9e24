// IIN / BIN (BRIEF.md §1): 12 digits, check digit with weights 1..11 (then 3..11,1,2) mod 11;
// IIN = YYMMDD + century/sex digit; BIN = YYMM + entity type (4,5,6) + unit (0..3).
#include "common/identity/identity.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/reference_id.hpp"

namespace {

using tekser::identity::check_digit;
using tekser::identity::EntityType;
using tekser::identity::mask;
using tekser::identity::parse;
using tekser::identity::parse_as;
using tekser::identity::SubjectKind;
using tekser::identity::UnitType;
using tekser::test::ref_check_digit;
using tekser::test::ref_complete;
using tekser::test::ref_make;
using tekser::test::ref_rounds;
using tekser::test::with_wrong_check_digit;

// Builds 11 digits from an integer, left-padded with zeros.
std::string eleven(long long n) {
  std::string s = std::to_string(n);
  s.insert(0, 11 - s.size(), '0');
  return s;
}

// The first 11-digit prefix `head` + 4 digits whose first round gives 10 and whose second round
// gives `want_second` (10 = never issued, anything else = issued through the second round).
std::optional<std::string> find_prefix(const std::string& head, bool second_gives_ten) {
  for (int seq = 0; seq < 10000; ++seq) {
    std::string tail = std::to_string(seq);
    tail.insert(0, 11 - head.size() - tail.size(), '0');
    const auto first_eleven = head + tail;
    const auto r = ref_rounds(first_eleven);
    if (r.first_round == 10 && (r.second_round == 10) == second_gives_ten) return first_eleven;
  }
  return std::nullopt;
}

TEST(Identity, CheckDigitAgreesWithReferenceOnManyPrefixes) {
  // A spread of prefixes across the whole 11-digit space, stepping by a prime.
  int compared = 0;
  for (long long n = 0; n < 99'999'999'999LL; n += 7'919'191LL) {
    const auto first_eleven = eleven(n);
    ASSERT_EQ(check_digit(first_eleven), ref_check_digit(first_eleven)) << first_eleven;
    ++compared;
  }
  EXPECT_GT(compared, 10000);
}

TEST(Identity, AcceptsValidIinAndDerivesBirthDate) {
  // Born 14 May 1990, male (digit 7 = 3: 1900s, male).
  const auto iin = ref_make("9005143");
  const auto r = parse(iin);
  ASSERT_TRUE(r) << r.error;
  EXPECT_TRUE(r.error.empty());
  EXPECT_EQ(r.identifier->digits, iin);
  EXPECT_EQ(r.identifier->kind, SubjectKind::individual);
  ASSERT_TRUE(r.identifier->birth_date);
  EXPECT_EQ(*r.identifier->birth_date, "1990-05-14");
  EXPECT_FALSE(r.identifier->entity_type);
  EXPECT_FALSE(r.identifier->unit_type);
}

TEST(Identity, CenturyDigitSelectsTheCentury) {
  struct Case {
    char digit;
    const char* date;
  };
  for (const Case c : {Case{'1', "1875-12-31"}, Case{'2', "1875-12-31"}, Case{'3', "1975-12-31"},
                       Case{'4', "1975-12-31"}, Case{'5', "2075-12-31"}, Case{'6', "2075-12-31"}}) {
    const auto iin = ref_make(std::string("751231") + c.digit);
    const auto r = parse(iin);
    ASSERT_TRUE(r) << iin << ": " << r.error;
    EXPECT_EQ(r.identifier->birth_date.value_or(""), c.date) << iin;
  }
}

TEST(Identity, RejectsCenturyDigitOutsideOneToSix) {
  for (char d : {'0', '7', '8', '9'}) {
    const auto iin = ref_make(std::string("900514") + d);
    const auto r = parse(iin);
    EXPECT_FALSE(r) << iin;
    EXPECT_NE(r.error.find("digit 7"), std::string::npos) << r.error;
  }
}

TEST(Identity, LeapDayDependsOnTheCenturyDigit) {
  // 29 Feb 2000 existed (divisible by 400); 29 Feb 1900 did not (divisible by 100).
  const auto born_2000 = parse(ref_make("0002295"));
  ASSERT_TRUE(born_2000) << born_2000.error;
  EXPECT_EQ(born_2000.identifier->birth_date.value_or(""), "2000-02-29");
  EXPECT_FALSE(parse(ref_make("0002293")));
  EXPECT_TRUE(parse(ref_make("9602293")));   // 1996: leap
  EXPECT_FALSE(parse(ref_make("9702293")));  // 1997: not leap
}

TEST(Identity, RejectsImpossibleBirthDate) {
  // Feb 30, month 13, month 00, day 00, 31 April: all with a correct check digit.
  for (const char* head : {"9002303", "9013013", "9000013", "9005003", "9004313"}) {
    const auto iin = ref_make(head);
    const auto r = parse(iin);
    EXPECT_FALSE(r) << iin;
    EXPECT_FALSE(r.error.empty()) << iin;
    EXPECT_NE(r.error.find("impossible"), std::string::npos) << iin << ": " << r.error;
  }
}

TEST(Identity, RejectsWrongCheckDigitNamingExpectedDigit) {
  const auto iin = ref_make("8803124");
  const auto wrong = with_wrong_check_digit(iin);
  const auto r = parse(wrong);
  EXPECT_FALSE(r);
  EXPECT_FALSE(r.identifier);
  EXPECT_NE(r.error.find(std::string("expected ") + iin[11]), std::string::npos) << r.error;
}

TEST(Identity, RejectsEveryOtherLastDigit) {
  const auto bin = ref_make("050440");
  for (char d = '0'; d <= '9'; ++d) {
    std::string candidate = bin;
    candidate[11] = d;
    EXPECT_EQ(static_cast<bool>(parse(candidate)), d == bin[11]) << candidate;
  }
}

TEST(Identity, UsesSecondWeightRoundWhenFirstGivesTen) {
  const auto first_eleven = find_prefix("9005143", /*second_gives_ten=*/false);
  ASSERT_TRUE(first_eleven) << "no prefix with a first round of 10 found";
  const int second = ref_rounds(*first_eleven).second_round;
  ASSERT_NE(second, 10);
  EXPECT_EQ(check_digit(*first_eleven), second);

  const auto r = parse(*first_eleven + static_cast<char>('0' + second));
  ASSERT_TRUE(r) << r.error;
  EXPECT_EQ(r.identifier->birth_date.value_or(""), "1990-05-14");
  // The first round's remainder is 10, which is no digit: "0" (10 mod 10) must not pass.
  if (second != 0) {
    EXPECT_FALSE(parse(*first_eleven + '0'));
  }
}

TEST(Identity, RejectsNumberWhoseCheckDigitIsNeverIssued) {
  // A plausible IIN prefix (valid birth date and century) whose both rounds give 10.
  const auto first_eleven = find_prefix("8511303", /*second_gives_ten=*/true);
  ASSERT_TRUE(first_eleven) << "no never-issued prefix found";
  EXPECT_EQ(check_digit(*first_eleven), std::nullopt);
  for (char d = '0'; d <= '9'; ++d) {
    const auto r = parse(*first_eleven + d);
    EXPECT_FALSE(r) << *first_eleven << d;
    EXPECT_FALSE(r.error.empty());
  }
}

TEST(Identity, AcceptsValidBinAndReadsTypeAndUnit) {
  struct Case {
    const char* head;
    EntityType type;
    UnitType unit;
  };
  for (const Case c :
       {Case{"050440", EntityType::resident, UnitType::head_office},
        Case{"121151", EntityType::non_resident, UnitType::branch},
        Case{"990162", EntityType::joint_individual_entrepreneur, UnitType::representative_office},
        Case{"200743", EntityType::resident, UnitType::farm}}) {
    const auto bin = ref_make(c.head);
    const auto r = parse(bin);
    ASSERT_TRUE(r) << bin << ": " << r.error;
    EXPECT_EQ(r.identifier->kind, SubjectKind::legal_entity) << bin;
    EXPECT_EQ(r.identifier->entity_type, c.type) << bin;
    EXPECT_EQ(r.identifier->unit_type, c.unit) << bin;
    EXPECT_FALSE(r.identifier->birth_date) << bin;
  }
}

TEST(Identity, DistinguishesBinFromIin) {
  // Same first four digits (YYMM); the fifth digit decides.
  const auto iin = parse(ref_make("0504153"));
  const auto bin = parse(ref_make("050440"));
  ASSERT_TRUE(iin) << iin.error;
  ASSERT_TRUE(bin) << bin.error;
  EXPECT_EQ(iin.identifier->kind, SubjectKind::individual);
  EXPECT_EQ(bin.identifier->kind, SubjectKind::legal_entity);
}

TEST(Identity, RejectsBinWithEntityTypeDigitOutside456) {
  // Digit 5 of 7..9 is neither an IIN day (0..3) nor a BIN entity type (4..6).
  for (char d : {'7', '8', '9'}) {
    const auto number = ref_make(std::string("0504") + d + "0");
    const auto r = parse(number);
    EXPECT_FALSE(r) << number;
    EXPECT_NE(r.error.find("digit 5"), std::string::npos) << r.error;
  }
}

TEST(Identity, RejectsBinWithUnitDigitOutside0To3) {
  for (char d : {'4', '5', '9'}) {
    const auto bin = ref_make(std::string("05044") + d);
    const auto r = parse(bin);
    EXPECT_FALSE(r) << bin;
    EXPECT_NE(r.error.find("digit 6"), std::string::npos) << r.error;
  }
}

TEST(Identity, RejectsBinWithImpossibleRegistrationMonth) {
  for (const char* head : {"050040", "051340"}) {
    const auto bin = ref_make(head);
    const auto r = parse(bin);
    EXPECT_FALSE(r) << bin;
    EXPECT_NE(r.error.find("month"), std::string::npos) << r.error;
  }
}

TEST(Identity, RejectsWrongLength) {
  const auto iin = ref_make("9005143");
  for (const std::string& text : {std::string(), iin.substr(0, 11), iin + "0", " " + iin}) {
    const auto r = parse(text);
    EXPECT_FALSE(r) << "'" << text << "'";
    EXPECT_NE(r.error.find("12"), std::string::npos) << r.error;
  }
}

TEST(Identity, RejectsNonDigitsNamingPosition) {
  const auto iin = ref_make("9005143");
  struct Case {
    std::size_t index;
    char c;
  };
  for (const Case c : {Case{0, 'A'}, Case{6, '-'}, Case{11, ' '}, Case{3, '\0'}}) {
    std::string text = iin;
    text[c.index] = c.c;
    const auto r = parse(text);
    EXPECT_FALSE(r);
    const auto position = "character " + std::to_string(c.index + 1) + " ";
    EXPECT_NE(r.error.find(position), std::string::npos) << r.error;
  }
  // Non-ASCII digits (Arabic-Indic, UTF-8) are not digits either.
  EXPECT_FALSE(parse("\xd9\xa1" + iin.substr(2)));
}

TEST(Identity, ParseAsAcceptsTheRequestedKind) {
  const auto iin = ref_make("9005143");
  const auto bin = ref_make("050440");
  EXPECT_TRUE(parse_as(iin, SubjectKind::individual));
  EXPECT_TRUE(parse_as(bin, SubjectKind::legal_entity));
}

TEST(Identity, ParseAsRejectsWrongKind) {
  const auto iin = ref_make("9005143");
  const auto bin = ref_make("050440");
  const auto as_bin = parse_as(iin, SubjectKind::legal_entity);
  EXPECT_FALSE(as_bin);
  EXPECT_NE(as_bin.error.find("BIN"), std::string::npos) << as_bin.error;
  const auto as_iin = parse_as(bin, SubjectKind::individual);
  EXPECT_FALSE(as_iin);
  EXPECT_NE(as_iin.error.find("IIN"), std::string::npos) << as_iin.error;
}

TEST(Identity, ParseAsKeepsTheUnderlyingReason) {
  const auto wrong = with_wrong_check_digit(ref_make("050440"));
  const auto r = parse_as(wrong, SubjectKind::legal_entity);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error, parse(wrong).error);
}

TEST(Identity, MasksMiddleDigits) {
  EXPECT_EQ(mask("123456789012"), "1234******12");
  const auto iin = ref_make("9005143");
  const auto masked = mask(iin);
  EXPECT_EQ(masked.size(), 12u);
  EXPECT_EQ(masked.substr(0, 4), iin.substr(0, 4));
  EXPECT_EQ(masked.substr(4, 6), "******");
  EXPECT_EQ(masked.substr(10), iin.substr(10));
}

TEST(Identity, MaskHidesEverythingWhenNotTwelveDigits) {
  EXPECT_EQ(mask("12345"), "*****");
  EXPECT_EQ(mask(""), "");
  EXPECT_EQ(mask("1234567890123"), "*************");
}

TEST(Identity, KindNames) {
  EXPECT_EQ(tekser::identity::to_string(SubjectKind::individual), "individual");
  EXPECT_EQ(tekser::identity::to_string(SubjectKind::legal_entity), "legal_entity");
}

}  // namespace
