#pragma once

#include "open311/config.hpp"
#include "open311/domain/request.hpp"

#include <string>

namespace open311::api {

/// The public URLs of uploaded files, as the answers show them.
class MediaLinks final {
public:
    explicit MediaLinks(const Config& config) : config_(config) {}

    /// The public URL of an uploaded file: under `media.public_url` when set, else served from
    /// the server's root ("/media/NAME"), beside the API's base path.
    std::string url(const std::string& name) const;

    /// Puts the URLs of the request's uploaded files before its media_url references
    /// (Helsinki: extended_attributes.media_urls, the first as media_url).
    void add_to(ServiceRequest& request) const;

private:
    const Config& config_;
};

}  // namespace open311::api
