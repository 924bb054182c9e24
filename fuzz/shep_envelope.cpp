// Fuzz target: the SHEP envelope codec (adapters/shep/envelope.*) on any bytes, as a reply (the
// gateway's SHEP client) and as a request (the mock bus). Beyond not crashing: a reply read as a
// SendMessageResponse rebuilds and reads back with the same status, and what is read is text a
// database takes.
#include "common/shep/envelope.hpp"

#include "common/xml/ns.hpp"
#include "fuzz/check.hpp"
#include "fuzz/target.hpp"

namespace {

using namespace tekser;

void check_error(const shep::ErrorInfo& error) {
  fuzz::check_storable(error.code, "ErrorInfo code");
  fuzz::check_storable(error.message, "ErrorInfo message");
  if (error.sub_error) check_error(*error.sub_error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);

  const auto reply = shep::parse_reply(text);
  if (reply.unsafe && reply.kind != shep::ParsedReply::Kind::malformed)
    fuzz::fail("an unsafe reply is not malformed");
  if (reply.kind == shep::ParsedReply::Kind::response) {
    fuzz::check_storable(reply.info.status_code, "status code");
    fuzz::check_storable(reply.info.status_message, "status message");
    if (reply.data) fuzz::check_storable(xml::to_string(reply.data), "responseData/data");
    const auto again = shep::parse_reply(shep::build_response(reply.info, std::nullopt));
    if (again.kind != shep::ParsedReply::Kind::response ||
        again.info.status_code != reply.info.status_code)
      fuzz::fail("a rebuilt response does not read back");
  }
  if (reply.kind == shep::ParsedReply::Kind::fault && reply.error) check_error(*reply.error);

  const auto request = shep::parse_request(text);
  if (request.ok) {
    fuzz::check_storable(request.info.service_id, "serviceId");
    fuzz::check_storable(request.info.message_id, "messageId");
  }
  return 0;
}
