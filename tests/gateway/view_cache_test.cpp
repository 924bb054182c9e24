// The supplier view cache (gateway/api/view_cache.hpp): serves only while the change notices are
// heard, forgets what changed, and never keeps what a read found if that supplier changed while it
// was being read.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "gateway/api/view_cache.hpp"

namespace tekser::api {
namespace {

std::shared_ptr<const SupplierView> view_of(const std::string& id, const char* category) {
  auto view = std::make_shared<SupplierView>();
  view->supplier.id = id;
  view->supplier.categories = {category};
  return view;
}

TEST(ViewCacheTest, ServesNothingUntilTheNoticesAreHeard) {
  SupplierViewCache cache(10);
  cache.keep("180340021791", view_of("180340021791", "invataxi"), cache.epoch());
  EXPECT_EQ(cache.find("180340021791"), nullptr);  // not listening: nothing was kept
  cache.listening();
  cache.keep("180340021791", view_of("180340021791", "invataxi"), cache.epoch());
  ASSERT_NE(cache.find("180340021791"), nullptr);
  EXPECT_EQ(cache.find("180340021791")->supplier.categories.front(), "invataxi");

  cache.deaf();  // the listener lost its connection: a change may go unheard
  EXPECT_EQ(cache.find("180340021791"), nullptr);
  cache.keep("180340021791", view_of("180340021791", "invataxi"), cache.epoch());
  EXPECT_EQ(cache.find("180340021791"), nullptr);

  cache.listening();  // heard again, but what changed meanwhile is unknown: starts empty
  EXPECT_EQ(cache.find("180340021791"), nullptr);
  const auto stats = cache.stats();
  EXPECT_TRUE(stats.serving);
  EXPECT_EQ(stats.hits, 2u);
}

TEST(ViewCacheTest, AChangeForgetsThatSupplierOnlyAndTheStarForgetsAll) {
  SupplierViewCache cache(10);
  cache.listening();
  cache.keep("180340021791", view_of("180340021791", "invataxi"), cache.epoch());
  cache.keep("900101300123", view_of("900101300123", "sanatorium"), cache.epoch());
  cache.forget("180340021791");
  EXPECT_EQ(cache.find("180340021791"), nullptr);
  EXPECT_NE(cache.find("900101300123"), nullptr);
  cache.forget(kAllSuppliers);
  EXPECT_EQ(cache.find("900101300123"), nullptr);
}

TEST(ViewCacheTest, AReadThatRacedAChangeOfItsSupplierIsNotKept) {
  SupplierViewCache cache(10);
  cache.listening();
  // Read started, then the supplier changed (its notice arrived), then the read ended: what it
  // read may be from before the change.
  const auto before = cache.epoch();
  cache.forget("180340021791");
  cache.keep("180340021791", view_of("180340021791", "invataxi"), before);
  EXPECT_EQ(cache.find("180340021791"), nullptr);

  // Another supplier's change meanwhile does not spoil this read.
  const auto again = cache.epoch();
  cache.forget("900101300123");
  cache.keep("180340021791", view_of("180340021791", "invataxi"), again);
  EXPECT_NE(cache.find("180340021791"), nullptr);

  // Nor does a read survive "*" or the listener's reconnection.
  const auto star = cache.epoch();
  cache.forget(kAllSuppliers);
  cache.keep("180340021791", view_of("180340021791", "invataxi"), star);
  EXPECT_EQ(cache.find("180340021791"), nullptr);
  const auto reconnect = cache.epoch();
  cache.listening();
  cache.keep("180340021791", view_of("180340021791", "invataxi"), reconnect);
  EXPECT_EQ(cache.find("180340021791"), nullptr);
}

TEST(ViewCacheTest, AReadOlderThanTheChangesItRemembersIsNotKept) {
  SupplierViewCache cache(10);
  cache.listening();
  const auto long_ago = cache.epoch();
  for (int i = 0; i < 5000; ++i) cache.forget("other" + std::to_string(i));
  cache.keep("180340021791", view_of("180340021791", "invataxi"), long_ago);
  EXPECT_EQ(cache.find("180340021791"), nullptr);  // cannot tell whether it changed meanwhile
}

TEST(ViewCacheTest, KeepsAtMostItsCapacityAndNothingWhenOff) {
  SupplierViewCache cache(2);
  cache.listening();
  for (const char* id : {"180340021791", "180340021792", "180340021793"})
    cache.keep(id, view_of(id, "invataxi"), cache.epoch());
  EXPECT_EQ(cache.stats().size, 2u);
  EXPECT_NE(cache.find("180340021793"), nullptr);  // the newest is kept

  SupplierViewCache off(0);
  off.listening();
  off.keep("180340021791", view_of("180340021791", "invataxi"), off.epoch());
  EXPECT_EQ(off.find("180340021791"), nullptr);
  EXPECT_FALSE(off.stats().serving);
}

}  // namespace
}  // namespace tekser::api
