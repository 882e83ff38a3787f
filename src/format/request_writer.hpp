#pragma once

#include "format/document.hpp"
#include "format/trees.hpp"

#include "open311/config.hpp"
#include "open311/domain/request.hpp"

#include <optional>
#include <string>
#include <vector>

namespace open311::format {

/// One public request to write, with its service's name in the asked locale.
struct PublicRequestItem {
    const ServiceRequest* request;
    const std::string* service_name;
    Detail detail = Detail::full;
};

/// The hot path of the public API (`GET requests`, `GET requests/{id}`): writes public requests
/// straight from the domain structs into one buffer, without the intermediate trees. The bytes
/// are exactly what write_json / write_xml make of `public_request` trees (request_writer_test
/// compares the two on tricky content). Returns nullopt when a text is not plain valid UTF-8
/// (stored data never is, since input is validated): the caller then takes the tree path,
/// whose writers repair it.
/// `single`: the answer of GET requests/{id} (Shape::single_request).
std::optional<std::string> write_public_requests(Format format,
                                                 const std::vector<PublicRequestItem>& items,
                                                 bool extensions,
                                                 bool single,
                                                 const Profile& profile);

}  // namespace open311::format
