// Fuzz target: the body of PUT /v1/suppliers/{id} (gateway/api/input.hpp parse_supplier), for a
// BIN and for an IIN. A refusal is the API's ApiError (a 400 naming the field); anything else
// escaping is a bug. What is accepted is storable text.
#include "common/identity/identity.hpp"
#include "fuzz/check.hpp"
#include "fuzz/target.hpp"
#include "gateway/api/input.hpp"
#include "gateway/api/reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tekser;
  const auto body = fuzz::as_text(data, size);
  for (const char* id : {"150340012340", "800304403774"}) {
    const auto parsed = identity::parse(id);
    if (!parsed.identifier) fuzz::fail("the fixed identifiers are valid");
    try {
      const auto record = api::parse_supplier(*parsed.identifier, body);
      if (record.categories.empty()) fuzz::fail("a supplier accepted without categories");
      if (record.consent) {
        fuzz::check_storable(record.consent->kdp_token, "consent token");
        fuzz::check_storable(record.consent->public_key, "consent public key");
      }
    } catch (const api::ApiError& e) {
      if (static_cast<unsigned>(e.status) != 400) fuzz::fail("a refused body is not a 400");
      if (e.field.empty() || e.reason.empty()) fuzz::fail("a 400 without field or reason");
    }
  }
  return 0;
}
