#pragma once

#include "api/upload/uploaded_form.hpp"
#include "form/multipart_reader.hpp"

#include "open311/config.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace open311::api {

/// Reads a multipart/form-data body chunk by chunk into an UploadedForm: text fields into
/// memory (bounded by max_body_bytes, at least 1 MiB), file parts straight into spool files
/// (bounded by the media limits). Memory use stays at one chunk whatever the size of the files. A
/// limit that is exceeded stops the reading, removes the spool files and records the error; the
/// rest of the body can still be fed and is discarded, so the client gets its answer.
class UploadSpool final : public form::MultipartSink {
public:
    UploadSpool(const Config& config, std::string_view content_type);
    ~UploadSpool() override;
    UploadSpool(const UploadSpool&) = delete;
    UploadSpool& operator=(const UploadSpool&) = delete;

    /// Feeds the next piece of the body.
    void feed(std::string_view data);
    /// The body has ended; returns the form (with `error` set when it was refused).
    std::shared_ptr<UploadedForm> finish();

    bool begin_part(const form::PartHeaders& headers) override;
    bool part_data(std::string_view data) override;
    bool end_part() override;

    /// True for the form fields that carry files even when a client omits the filename.
    static bool is_media_field(std::string_view name) {
        return name == "media" || name == "media[]";
    }

private:
    void refuse(ErrorCode code, std::string description);
    void close_file();

    const Config& config_;
    std::string incoming_;
    std::shared_ptr<UploadedForm> form_ = std::make_shared<UploadedForm>();
    std::optional<form::MultipartReader> reader_;
    form::PartHeaders part_;
    bool part_is_file_ = false;
    int fd_ = -1;
    std::string text_;
    std::size_t text_bytes_ = 0;
    std::uint64_t file_bytes_ = 0;
    bool refused_ = false;
};

}  // namespace open311::api
