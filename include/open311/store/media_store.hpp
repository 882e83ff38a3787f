#pragma once

#include "open311/domain/request.hpp"
#include "open311/domain/workflow.hpp"

#include <optional>
#include <string>

namespace open311 {

/// The rows that tie uploaded files to their requests (the files are the media storage's).
class MediaStore {
public:
    virtual ~MediaStore() = default;

    /// An uploaded file by its name, with its request's id and moderation state.
    virtual std::optional<MediaEntry> find_media(const std::string& name) = 0;
    /// Removes one uploaded file from a request and appends `audit` to the trail in the same
    /// transaction; the request's updated time becomes `audit.at` and its version moves. False
    /// (and nothing recorded) when the request has no file by that name.
    virtual bool delete_media(const std::string& request_id,
                              const std::string& name,
                              const AuditEntry& audit) = 0;
};

}  // namespace open311
