// Checking, cleaning and storing uploaded photos. Each spooled file is read into memory once,
// judged by its magic bytes (never by its name or declared type), parsed completely, and
// written to the media storage without its metadata (EXIF GPS position, camera serial, XMP...)
// before the request row that refers to it is committed.
#include "api/upload/media_ingest.hpp"

#include "api/upload/upload_spool.hpp"
#include "telemetry/process_metrics.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace open311::api {

namespace {

std::string read_file(const std::string& path, std::uint64_t size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw std::runtime_error("cannot open an upload spool file: " +
                                 std::string(std::strerror(errno)));
    }
    std::string out(static_cast<std::size_t>(size), '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        const auto n = ::read(fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int error = errno;
            ::close(fd);
            throw std::runtime_error("cannot read an upload spool file: " +
                                     std::string(n == 0 ? "short file" : std::strerror(error)));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return out;
}

/// How an error names a part: its position and, when sent, its file name (printable, short).
std::string part_label(const UploadedFile& file, std::size_t index) {
    std::string label = file.field + ": file " + std::to_string(index + 1);
    std::string name;
    for (char c : file.filename) {
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F && c != '"') {
            name += c;
        }
        if (name.size() >= 80) {
            break;
        }
    }
    if (!name.empty()) {
        label += " (\"" + name + "\")";
    }
    return label;
}

}  // namespace

MediaIngest::~MediaIngest() {
    if (kept_) {
        return;
    }
    for (const auto& f : files_) {
        try {
            storage_.remove(f.name);
        } catch (...) {  // NOLINT(bugprone-empty-catch): best effort in a destructor
        }
    }
}

void MediaIngest::keep() {
    kept_ = true;
    auto& m = telemetry::process_metrics();
    for (const auto& f : files_) {
        m.media_files_stored.add();
        m.media_bytes_stored.add(static_cast<std::uint64_t>(f.size));
    }
}

std::optional<ApiError> MediaIngest::add(const UploadedForm& form) {
    for (std::size_t i = 0; i < form.files.size(); ++i) {
        const auto& upload = form.files[i];
        const auto label = part_label(upload, i);
        if (!UploadSpool::is_media_field(upload.field)) {
            return ApiError{ErrorCode::bad_request,
                            label + ": files are accepted only in fields named media or media[]"};
        }
        const std::string data = read_file(upload.path, upload.size);
        auto type = media::sniff_image(data);
        if (!type) {
            if (media::looks_like_heif(data)) {
                return ApiError{ErrorCode::bad_request,
                                label +
                                    ": HEIC/HEIF images are not accepted; send JPEG, PNG, "
                                    "GIF or WebP"};
            }
            return ApiError{ErrorCode::bad_request,
                            label + ": not a JPEG, PNG, GIF or WebP image (judged by its content)"};
        }
        std::string problem;
        auto pieces = media::clean_image(*type, data, problem);
        if (!pieces) {
            return ApiError{ErrorCode::bad_request, label + ": " + problem};
        }
        MediaFile file{media::new_media_name(*type),
                       media::content_type(*type),
                       static_cast<std::int64_t>(media::assembled_size(*pieces))};
        storage_.put(file.name, data, *pieces);
        files_.push_back(std::move(file));
    }
    return std::nullopt;
}

}  // namespace open311::api
