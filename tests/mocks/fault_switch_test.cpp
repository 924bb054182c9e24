// The fault switch as a pure component: which rule matches a request, which one wins, how often
// a probabilistic rule fires, how counted rules run out, and how delays are drawn.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include "mocks/shep_server/fault_switch.hpp"

namespace tekser::mocks {
namespace {

using namespace std::chrono_literals;

constexpr FaultTarget kKgd{"kgd", "KGD_TaxpayerStatus", "150340012340", true};
constexpr FaultTarget kKgdOther{"kgd", "KGD_TaxpayerStatus", "161140118765", true};
constexpr FaultTarget kGbdUl{"gbd_ul", "GbdulInfoByBin_v2", "150340012340", true};
constexpr FaultTarget kGoszakup{"goszakup", "goszakup", "150340012340", false};

FaultRule rule(std::string system, std::string service_id, std::string subject, FaultMode mode) {
  FaultRule r;
  r.system = std::move(system);
  r.service_id = std::move(service_id);
  r.subject = std::move(subject);
  r.mode = mode;
  return r;
}

std::optional<FaultMode> mode_for(FaultSwitch& faults, const FaultTarget& target) {
  auto fault = faults.take(target);
  if (!fault) return std::nullopt;
  return fault->mode;
}

TEST(FaultSwitch, ARuleMatchesBySystemServiceAndSubject) {
  EXPECT_TRUE(match_specificity(rule("kgd", "", "", FaultMode::timeout), kKgd));
  EXPECT_FALSE(match_specificity(rule("kgd", "", "", FaultMode::timeout), kGbdUl));
  EXPECT_TRUE(match_specificity(rule("", "KGD_TaxpayerStatus", "", FaultMode::timeout), kKgd));
  EXPECT_FALSE(match_specificity(rule("", "KGD_TaxpayerStatus", "", FaultMode::timeout), kGbdUl));
  EXPECT_TRUE(match_specificity(rule("kgd", "", "150340012340", FaultMode::timeout), kKgd));
  EXPECT_FALSE(match_specificity(rule("kgd", "", "150340012340", FaultMode::timeout), kKgdOther));
  EXPECT_TRUE(match_specificity(rule("goszakup", "", "", FaultMode::reset), kGoszakup));
  EXPECT_TRUE(match_specificity(rule("", "goszakup", "", FaultMode::reset), kGoszakup));
}

TEST(FaultSwitch, TheWholeBusMatchesEverySoapServiceAndNoRestSystem) {
  const auto bus = rule(std::string(kWholeBus), "", "", FaultMode::http_503);
  EXPECT_TRUE(match_specificity(bus, kKgd));
  EXPECT_TRUE(match_specificity(bus, kGbdUl));
  EXPECT_FALSE(match_specificity(bus, kGoszakup));
}

TEST(FaultSwitch, TheMostSpecificMatchingRuleApplies) {
  FaultSwitch faults;
  faults.add(rule("", "KGD_TaxpayerStatus", "150340012340", FaultMode::reset));  // per supplier
  faults.add(rule("kgd", "", "", FaultMode::timeout));                           // per system
  faults.add(rule(std::string(kWholeBus), "", "", FaultMode::http_503));         // whole bus
  faults.add(rule("", "KGD_TaxpayerStatus", "", FaultMode::empty));              // per service

  EXPECT_EQ(mode_for(faults, kKgd), FaultMode::reset);
  EXPECT_EQ(mode_for(faults, kKgdOther), FaultMode::empty);
  EXPECT_EQ(mode_for(faults, kGbdUl), FaultMode::http_503);
  EXPECT_EQ(mode_for(faults, kGoszakup), std::nullopt);
}

TEST(FaultSwitch, AmongEquallySpecificRulesTheNewestWinsAndTheOlderOneComesBack) {
  FaultSwitch faults;
  faults.add(FaultRule("KGD_TaxpayerStatus", FaultMode::timeout));
  faults.add(FaultRule("KGD_TaxpayerStatus", FaultMode::soap_fault, 1));
  EXPECT_EQ(mode_for(faults, kKgd), FaultMode::soap_fault);
  EXPECT_EQ(mode_for(faults, kKgd), FaultMode::timeout);
  EXPECT_EQ(mode_for(faults, kKgd), FaultMode::timeout);
}

TEST(FaultSwitch, ACountedRuleFiresThatManyTimesThenIsGone) {
  FaultSwitch faults;
  const auto id = faults.add(FaultRule("KGD_TaxpayerStatus", FaultMode::reset, 3));
  for (int i = 0; i < 3; ++i) {
    const auto fault = faults.take(kKgd);
    ASSERT_TRUE(fault) << i;
    EXPECT_EQ(fault->rule_id, id);
  }
  EXPECT_FALSE(faults.take(kKgd));
  EXPECT_TRUE(faults.rules().empty());
}

TEST(FaultSwitch, CountsInjectionsExactlyUnderConcurrentRequests) {
  FaultSwitch faults;
  faults.add(FaultRule("KGD_TaxpayerStatus", FaultMode::reset, 1000));
  std::atomic<int> injected = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (faults.take(kKgd)) ++injected;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(injected.load(), 1000);
}

TEST(FaultSwitch, RulesAreRemovedByIdOrClearedByServiceOrSystem) {
  FaultSwitch faults;
  const auto first = faults.add(FaultRule("KGD_TaxpayerStatus", FaultMode::reset));
  faults.add(FaultRule("GbdulInfoByBin_v2", FaultMode::reset));
  faults.add(rule("goszakup", "", "", FaultMode::http_500));
  faults.add(rule("samruk", "", "", FaultMode::http_500));
  EXPECT_NE(first, faults.rules().back().id);

  EXPECT_TRUE(faults.remove(first));
  EXPECT_FALSE(faults.remove(first));
  EXPECT_EQ(faults.clear(std::string_view("GbdulInfoByBin_v2")), 1u);
  EXPECT_EQ(faults.clear(std::nullopt, std::string_view("goszakup")), 1u);
  ASSERT_EQ(faults.rules().size(), 1u);
  EXPECT_EQ(faults.rules()[0].system, "samruk");
  EXPECT_EQ(faults.clear(), 1u);
}

TEST(FaultSwitch, ReportsHowOftenEachRuleFired) {
  FaultSwitch faults;
  faults.add(FaultRule("KGD_TaxpayerStatus", FaultMode::reset));
  faults.take(kKgd);
  faults.take(kKgd);
  EXPECT_EQ(faults.rules()[0].injected, 2u);
}

TEST(FaultSwitch, AProbabilisticRuleFiresOnAboutThatShareOfCalls) {
  FaultSwitch faults;
  auto r = FaultRule("KGD_TaxpayerStatus", FaultMode::http_503);
  r.probability = 0.3;
  r.seed = 42;
  faults.add(r);
  int fired = 0;
  constexpr int kCalls = 20000;
  for (int i = 0; i < kCalls; ++i) fired += faults.take(kKgd) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(fired) / kCalls, 0.3, 0.015);
}

TEST(FaultSwitch, TheSameSeedReplaysTheSameSequence) {
  auto sequence = [](std::uint64_t seed) {
    FaultSwitch faults;
    auto r = FaultRule("KGD_TaxpayerStatus", FaultMode::latency);
    r.probability = 0.5;
    r.seed = seed;
    r.latency = Latency{Latency::Kind::log_normal, 200, 0.8};
    faults.add(r);
    std::vector<std::int64_t> out;  // -1: not fired, else the delay drawn
    for (int i = 0; i < 200; ++i) {
      const auto fault = faults.take(kKgd);
      out.push_back(fault ? fault->delay.count() : -1);
    }
    return out;
  };
  EXPECT_EQ(sequence(7), sequence(7));
  EXPECT_NE(sequence(7), sequence(8));
}

TEST(FaultSwitch, ProbabilityZeroNeverFiresAndOneAlwaysDoes) {
  FaultSwitch faults;
  auto never = FaultRule("KGD_TaxpayerStatus", FaultMode::reset);
  never.probability = 0.0;
  faults.add(never);
  auto always = FaultRule("GbdulInfoByBin_v2", FaultMode::reset);
  always.probability = 1.0;
  faults.add(always);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(faults.take(kKgd));
    EXPECT_TRUE(faults.take(kGbdUl));
  }
}

TEST(FaultSwitch, AMissedDrawServesNormallyEvenWhenAWiderRuleMatches) {
  FaultSwitch faults;
  faults.add(rule("kgd", "", "", FaultMode::timeout));
  auto narrow = rule("kgd", "", "150340012340", FaultMode::reset);
  narrow.probability = 0.0;
  faults.add(narrow);
  EXPECT_FALSE(faults.take(kKgd)) << "the most specific rule decides, and it said no";
  EXPECT_EQ(mode_for(faults, kKgdOther), FaultMode::timeout);
}

TEST(FaultSwitch, CountWithProbabilityCountsInjectionsOnly) {
  FaultSwitch faults;
  auto r = FaultRule("KGD_TaxpayerStatus", FaultMode::reset, 5);
  r.probability = 0.25;
  r.seed = 3;
  faults.add(r);
  int fired = 0;
  int calls = 0;
  while (!faults.rules().empty() && calls < 10000) {
    ++calls;
    fired += faults.take(kKgd) ? 1 : 0;
  }
  EXPECT_EQ(fired, 5);
  EXPECT_GT(calls, 5);
}

TEST(FaultSwitch, AFixedLatencyIsExactAndRidesAlongAnyMode) {
  FaultSwitch faults;
  auto r = FaultRule("KGD_TaxpayerStatus", FaultMode::reset);
  r.latency = Latency{Latency::Kind::fixed, 250, 0};
  faults.add(r);
  const auto fault = faults.take(kKgd);
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->mode, FaultMode::reset);
  EXPECT_EQ(fault->delay, 250ms);
}

TEST(FaultSwitch, LogNormalLatencyHasTheGivenMedianAndSpread) {
  std::mt19937_64 random(20260115);
  const Latency latency{Latency::Kind::log_normal, 800, 0.5};
  std::vector<double> draws;
  constexpr int kDraws = 20001;
  for (int i = 0; i < kDraws; ++i)
    draws.push_back(static_cast<double>(draw_latency(latency, random).count()));
  std::sort(draws.begin(), draws.end());
  const double median = draws[kDraws / 2];
  EXPECT_NEAR(median, 800, 800 * 0.03);
  // One sigma above the median (the 84th percentile) is median * e^sigma.
  const double p84 = draws[static_cast<std::size_t>(kDraws * 0.8413)];
  EXPECT_NEAR(p84 / median, std::exp(0.5), 0.06);
  EXPECT_GT(draws.back(), 2 * median) << "a heavy right tail";
  EXPECT_GE(draws.front(), 0);
}

TEST(FaultSwitch, DelaysAreCappedAtTheHoldLimit) {
  std::mt19937_64 random(1);
  EXPECT_EQ(draw_latency(Latency{Latency::Kind::fixed, 5e6, 0}, random), kMaxLatency);
  const Latency wild{Latency::Kind::log_normal, 500'000, 5};
  for (int i = 0; i < 1000; ++i) EXPECT_LE(draw_latency(wild, random), kMaxLatency);
}

TEST(FaultSwitch, RefusesRulesThatCannotWork) {
  FaultSwitch faults;
  EXPECT_THROW(faults.add(FaultRule()), std::invalid_argument);  // names nothing
  auto no_latency = FaultRule("KGD_TaxpayerStatus", FaultMode::latency);
  EXPECT_THROW(faults.add(no_latency), std::invalid_argument);
  auto odds = FaultRule("KGD_TaxpayerStatus", FaultMode::reset);
  odds.probability = 1.5;
  EXPECT_THROW(faults.add(odds), std::invalid_argument);
  EXPECT_THROW(faults.add(FaultRule("KGD_TaxpayerStatus", FaultMode::reset, 0)),
               std::invalid_argument);
  EXPECT_TRUE(faults.rules().empty());
}

TEST(FaultSwitch, ModesHaveNamesAndTheSoapOnlyOnesAreKnown) {
  for (const auto mode : all_fault_modes()) EXPECT_EQ(parse_fault_mode(to_string(mode)), mode);
  EXPECT_EQ(all_fault_modes().size(), 16u);
  EXPECT_FALSE(parse_fault_mode("explode"));
  EXPECT_TRUE(is_soap_only(FaultMode::soap_fault));
  EXPECT_TRUE(is_soap_only(FaultMode::invalid_signature));
  EXPECT_FALSE(is_soap_only(FaultMode::truncated));
  EXPECT_FALSE(is_soap_only(FaultMode::empty));
}

}  // namespace
}  // namespace tekser::mocks
