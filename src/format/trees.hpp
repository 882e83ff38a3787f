#pragma once

#include "format/document.hpp"

#include "open311/config.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/service.hpp"

#include <string>
#include <vector>

namespace open311::format {

/// Who reads a request. Personal fields exist only in the staff tree.
enum class Audience { public_, staff };

/// How much of a request a public reader sees.
enum class Detail {
    full,     ///< a published request
    partial,  ///< a pending request fetched by id: no text, no location (those fields left out)
};

/// An Open311 error: HTTP status, the code in the body and a description for the client.
struct ErrorItem {
    int code;
    std::string description;
};

Document discovery_tree(const Config& config, const std::string& base_url, Timestamp changeset);
/// The public service list: inactive services are left out.
Document services_tree(const std::vector<Service>& services,
                       const std::string& locale,
                       const std::string& fallback);
Document service_definition_tree(const Service& service,
                                 const std::string& locale,
                                 const std::string& fallback);
/// One public request object (no wrapper), with extended_attributes when `extensions`.
/// Every GeoReport v2 field is there, a field without a value as null (the writers' empty
/// value); Detail::partial leaves out, instead, what a pending request does not show.
nlohmann::ordered_json public_request(const ServiceRequest& request,
                                      const std::string& service_name,
                                      bool extensions,
                                      Detail detail);
/// One request with every field, for the staff API (JSON only).
nlohmann::ordered_json staff_request(const ServiceRequest& request,
                                     const std::string& service_name);
/// The answer to POST requests: id (or token for batch services), service_notice, account_id.
/// A blackbox service answers no id at all (GeoReport v2 service types).
Document post_response_tree(const ServiceRequest& request,
                            ServiceType type = ServiceType::realtime);
Document token_tree(const std::string& token, const std::string& request_id);
Document errors_tree(const std::vector<ErrorItem>& errors);
/// Names of the submitter's personal fields; a public document must contain none of them.
const std::vector<std::string>& personal_field_names();

}  // namespace open311::format
