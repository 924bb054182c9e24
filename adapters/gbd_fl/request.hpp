// The ГБД ФЛ request payload (GBDFL_UniversalServiceSync `Request`, search by IIN with the
// subject's consent token). Pure.
#pragma once

#include <string>
#include <string_view>

#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"

namespace tekser::adapters::gbd_fl {

inline constexpr std::string_view kPayloadNs = shep::payload_ns::gbd_fl;

struct RequestFields {
  std::string message_id;    // payload messageId (<= 36 characters)
  std::string message_date;  // xsd:dateTime with offset
  std::string sender_code;   // our code as the service knows us
  std::string iin;
  std::string kdp_token;   // consent (KDP) token for this subject; the XSD requires it
  std::string public_key;  // the key the token was issued for
};

// xsi:type Request in the service namespace; valid against the gbd-fl message.xsd.
shep::Payload build_request(const RequestFields& fields);

}  // namespace tekser::adapters::gbd_fl
