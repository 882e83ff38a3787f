#pragma once

#include "form/params.hpp"

#include "open311/errors.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace open311::api {

/// One file part of an upload, spooled to a temporary file while it was received.
struct UploadedFile {
    std::string field;          ///< form field name: "media" or "media[]"
    std::string filename;       ///< as sent by the client; never used as a path
    std::string declared_type;  ///< the part's Content-Type; not trusted
    std::string path;           ///< the spool file (a random name in the incoming directory)
    std::uint64_t size = 0;
};

/// A multipart/form-data body the transport has read as it arrived: the text fields in memory,
/// the files on disk. Destroying it removes the spool files, whether the request succeeded
/// (the stored copies are separate files) or failed, so nothing is left behind.
struct UploadedForm {
    UploadedForm() = default;
    ~UploadedForm();
    UploadedForm(const UploadedForm&) = delete;
    UploadedForm& operator=(const UploadedForm&) = delete;

    form::Params fields;
    std::vector<UploadedFile> files;
    /// Why the body was refused while it was read (too large, too many files, malformed);
    /// the handler answers with it and stores nothing.
    std::optional<ApiError> error;
};

}  // namespace open311::api
