// Spooling multipart uploads to disk as they arrive (Helsinki "Uploading media": parts named
// media or media[]; at most 3 files and 50 MB in total by default, both settings).
#include "api/upload/upload_spool.hpp"

#include "media/storage.hpp"
#include "util/random.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace open311::api {

UploadedForm::~UploadedForm() {
    for (const auto& f : files) {
        ::unlink(f.path.c_str());
    }
}

UploadSpool::UploadSpool(const Config& config, std::string_view content_type)
    : config_(config), incoming_(media::incoming_directory(config)) {
    reader_ = form::MultipartReader::for_content_type(content_type, *this);
    if (!reader_) {
        refuse(ErrorCode::bad_request,
               "body: multipart/form-data needs a boundary parameter in its Content-Type "
               "(boundary=...; 1 to 200 characters)");
    }
}

UploadSpool::~UploadSpool() {
    close_file();
}

void UploadSpool::refuse(ErrorCode code, std::string description) {
    if (refused_) {
        return;
    }
    refused_ = true;
    close_file();
    // Nothing of a refused upload is kept: the old form's destructor deletes its spool files.
    form_ = std::make_shared<UploadedForm>();
    form_->error = ApiError{code, std::move(description)};
}

void UploadSpool::close_file() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void UploadSpool::feed(std::string_view data) {
    if (refused_ || !reader_) {
        return;  // draining the rest of a refused body
    }
    try {
        if (reader_->feed(data) == form::MultipartReader::State::malformed) {
            refuse(ErrorCode::bad_request, reader_->problem());
        }
    } catch (const std::exception& e) {
        spdlog::error("upload spool: {}", e.what());
        refuse(ErrorCode::internal, "the upload could not be received; please retry");
    }
}

std::shared_ptr<UploadedForm> UploadSpool::finish() {
    if (!refused_ && reader_) {
        try {
            if (reader_->finish() != form::MultipartReader::State::done) {
                refuse(ErrorCode::bad_request,
                       reader_->problem().empty() ? "body: malformed multipart/form-data"
                                                  : reader_->problem());
            }
        } catch (const std::exception& e) {
            spdlog::error("upload spool: {}", e.what());
            refuse(ErrorCode::internal, "the upload could not be received; please retry");
        }
    }
    close_file();
    return std::move(form_);
}

bool UploadSpool::begin_part(const form::PartHeaders& headers) {
    part_ = headers;
    part_is_file_ = headers.filename.has_value() || is_media_field(headers.name);
    text_.clear();
    if (!part_is_file_) {
        return true;
    }
    if (form_->files.size() >= config_.media_max_files) {
        refuse(ErrorCode::bad_request,
               "media: at most " + std::to_string(config_.media_max_files) +
                   " files may be attached to one request");
        return false;
    }
    std::string path = incoming_ + "/" + random_id(26);
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw std::runtime_error("cannot create an upload spool file: " +
                                 std::string(std::strerror(errno)));
    }
    form_->files.push_back(
        UploadedFile{headers.name, headers.filename.value_or(""), headers.content_type, path, 0});
    return true;
}

bool UploadSpool::part_data(std::string_view data) {
    if (!part_is_file_) {
        // Text fields are held in memory: as much as a whole urlencoded body may hold, and
        // never less than 1 MiB (a description is at most a few thousand characters).
        const std::size_t limit = std::max<std::size_t>(config_.max_body_bytes, 1024 * 1024);
        text_bytes_ += data.size();
        if (text_bytes_ > limit) {
            refuse(ErrorCode::payload_too_large,
                   "the form fields exceed " + std::to_string(limit) + " bytes");
            return false;
        }
        text_.append(data);
        return true;
    }
    file_bytes_ += data.size();
    if (file_bytes_ > config_.media_max_total_bytes) {
        refuse(ErrorCode::payload_too_large,
               "media: the attached files exceed " + std::to_string(config_.media_max_total_bytes) +
                   " bytes in total");
        return false;
    }
    auto& file = form_->files.back();
    while (!data.empty()) {
        const auto n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error("cannot write an upload spool file: " +
                                     std::string(std::strerror(errno)));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
        file.size += static_cast<std::uint64_t>(n);
    }
    return true;
}

bool UploadSpool::end_part() {
    if (!part_is_file_) {
        if (!part_.name.empty()) {
            form_->fields.add(part_.name, std::move(text_));
        }
        text_.clear();
        return true;
    }
    close_file();
    // Browsers send an empty part with filename="" for a file input left empty.
    if (form_->files.back().size == 0) {
        ::unlink(form_->files.back().path.c_str());
        form_->files.pop_back();
    }
    return true;
}

}  // namespace open311::api
