// The portal webhook signature: HMAC-SHA256 per RFC 4231, and the v1 header over timestamp.body.
#include <gtest/gtest.h>

#include "common/webhook/signature.hpp"

namespace tekser::webhook {
namespace {

TEST(WebhookSignature, HmacMatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 1: 20 bytes of 0x0b.
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(WebhookSignature, V1SignsTimestampDotBody) {
  const std::string body = R"({"trigger_id":"x"})";
  EXPECT_EQ(sign("s3cret", "1763870400", body),
            "v1=" + hmac_sha256_hex("s3cret", "1763870400." + body));
  EXPECT_NE(sign("s3cret", "1763870401", body), sign("s3cret", "1763870400", body));
  EXPECT_NE(sign("other", "1763870400", body), sign("s3cret", "1763870400", body));
}

}  // namespace
}  // namespace tekser::webhook
