#include "common/identity/identity.hpp"
#include <gtest/gtest.h>
TEST(Identity, Placeholder) { EXPECT_FALSE(tekser::identity::parse("123")); }
