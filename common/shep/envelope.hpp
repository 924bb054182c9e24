// SHEP SyncChannel v10 envelopes (contracts/official/shep): SOAP 1.1, document/literal, one
// operation SendMessage. Pure functions of their inputs, shared by the gateway's SHEP client and
// by the mock SHEP server, so that both speak exactly the contract's shape.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "common/shep/payload.hpp"

namespace tekser::shep {

inline constexpr std::string_view kSoapNs = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kTypesNs = "http://bip.bee.kz/SyncChannel/v10/Types";
inline constexpr std::string_view kCommonNs = "http://bip.bee.kz/common/v10/Types";
// Older samples spell the common namespace in lower case; readers accept both.
inline constexpr std::string_view kCommonNsLegacy = "http://bip.bee.kz/common/v10/types";
inline constexpr std::string_view kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";
inline constexpr std::string_view kSuccessCode = "SCSS001";

struct Property {
  std::string key;    // at most 30 characters (Property.xsd)
  std::string value;  // at most 500 characters
};

// requestInfo (SyncMessageInfo.xsd).
struct RequestInfo {
  std::string message_id;
  std::optional<std::string> correlation_id;
  std::string service_id;
  std::string message_date;  // xsd:dateTime with an explicit offset
  std::optional<std::string> route_id;
  std::string sender_id;
  std::optional<std::string> password;
  std::vector<Property> properties;
  std::optional<std::string> session_id;  // set by SHEP, never by a sender
};

// responseInfo (SyncMessageInfoResponse.xsd).
struct ResponseInfo {
  std::string message_id;
  std::optional<std::string> correlation_id;
  std::string response_date;
  std::string status_code;
  std::string status_message;  // at most 250 characters
  std::optional<std::string> session_id;
};

// ErrorInfo.xsd, the detail of a SendMessage fault.
struct ErrorInfo {
  std::string code;
  std::string message;
  std::optional<std::string> data;
  std::string date;
  std::shared_ptr<ErrorInfo> sub_error;
  std::optional<std::string> session_id;
};

// The business payload of requestData/responseData. `type_ns`/`type_name` name its type (xsi:type
// on <data> in the typed shape; `type_ns` is also the namespace of an undeclared root);
// `content_xml` is the XML of the type's children, written as a fragment whose elements are
// unqualified unless they declare their own namespace. WireStyle (payload.hpp) says how it is
// wrapped.
struct Payload {
  std::string type_ns;
  std::string type_name;
  std::string content_xml;
  // The service wants the payload itself signed too (ГБД ЮЛ): a client that signs its requests
  // adds an enveloped ds:Signature to <data> (xmlsig::sign_request_data) before the Body's.
  bool wants_enveloped_signature = false;
};

// A SendMessage request envelope, its payload in the shape and spelling `style` asks for.
std::string build_request(const RequestInfo& info, const Payload& payload,
                          const WireStyle& style = {});

// A SendMessageResponse envelope (the mock's reply). With no payload, <responseData/> is empty.
std::string build_response(const ResponseInfo& info, const std::optional<Payload>& payload,
                           const WireStyle& style = {});

// A SOAP 1.1 fault whose detail is SendMessageFault1_SendMessageFault (ErrorInfo).
std::string build_fault(std::string_view fault_code, std::string_view fault_string,
                        const ErrorInfo& error);

// What a SHEP reply body turned out to be. Each kind is kept apart so that a bus problem can
// never be mistaken for a clean answer about the subject.
struct ParsedReply {
  enum class Kind {
    response,   // SendMessageResponse; check info.status_code
    fault,      // soap:Fault (with ErrorInfo when the detail carried one)
    malformed,  // not XML, not SOAP, or not a SyncChannel reply
  };
  Kind kind = Kind::malformed;
  ResponseInfo info;
  // Fault only.
  std::string fault_code;
  std::string fault_string;
  std::optional<ErrorInfo> error;
  // Response only: responseData/data, or an empty node when the reply carries no data.
  std::shared_ptr<pugi::xml_document> doc;
  pugi::xml_node data;
  // Malformed: what is wrong. Fault: what of it was left unread, and why (a detail over the limits
  // of untrusted XML; its code, string and top ErrorInfo are still read), or empty.
  std::string problem;
  // Malformed only: the reply failed the screen of untrusted XML (a DTD, an entity, nesting or
  // element count over the limits, invalid UTF-8: common/xml/untrusted.hpp) and was never parsed.
  bool unsafe = false;
};

ParsedReply parse_reply(std::string_view xml);

// A SendMessage request as the mock SHEP server reads it.
struct ParsedRequest {
  bool ok = false;
  std::string problem;  // when !ok: the first thing wrong, naming the field
  RequestInfo info;
  std::shared_ptr<pugi::xml_document> doc;
  pugi::xml_node data;  // requestData/data (may be empty when absent)
};

ParsedRequest parse_request(std::string_view xml);

// SHEP writes sessionId as a GUID in braces.
bool is_braced_guid(std::string_view text);

}  // namespace tekser::shep
