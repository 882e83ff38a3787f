// Media on the local filesystem: write to a temporary file, fsync, rename, fsync the directory.
#include "media/filesystem_storage.hpp"

#include "store/backends.hpp"
#include "util/random.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace open311::media {

namespace {

[[noreturn]] void fail(const std::string& what, int error) {
    throw std::runtime_error("media storage: " + what + ": " + std::strerror(error));
}

void write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const auto n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("write", errno);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void sync_directory(const std::string& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        fail("open directory", errno);
    }
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) {
        fail("fsync directory", error);
    }
}

}  // namespace

std::string new_media_name(ImageType type) {
    return random_id(26) + "." + extension(type);
}

std::optional<ImageType> media_name_type(std::string_view name) {
    const auto dot = name.find('.');
    if (dot != 26) {
        return std::nullopt;
    }
    for (char c : name.substr(0, dot)) {
        if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
            return std::nullopt;
        }
    }
    return type_from_extension(name.substr(dot + 1));
}

bool is_valid_media_name(std::string_view name) {
    return media_name_type(name).has_value();
}

std::string media_directory(const Config& config) {
    if (!config.media_dir.empty()) {
        return config.media_dir;
    }
    if (store::is_postgres_url(config.db_path)) {
        return "media";  // beside no database file: in the working directory
    }
    auto parent = std::filesystem::path(config.db_path).parent_path();
    return (parent.empty() ? std::filesystem::path("media") : parent / "media").string();
}

std::string incoming_directory(const Config& config) {
    return (std::filesystem::path(media_directory(config)) / ".incoming").string();
}

std::unique_ptr<MediaStorage> make_storage(const Config& config) {
    return std::make_unique<FilesystemStorage>(media_directory(config));
}

FilesystemStorage::FilesystemStorage(std::string directory) : directory_(std::move(directory)) {
    namespace fs = std::filesystem;
    const fs::path incoming = fs::path(directory_) / ".incoming";
    fs::create_directories(incoming);
    // Uploads being received when the server stopped, and half-written objects.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(incoming, ec)) {
        fs::remove(entry.path(), ec);
    }
    for (const auto& entry : fs::directory_iterator(directory_, ec)) {
        if (entry.path().filename().string().rfind(".tmp-", 0) == 0) {
            fs::remove(entry.path(), ec);
        }
    }
}

void FilesystemStorage::put(const std::string& name,
                            std::string_view source,
                            const std::vector<Piece>& pieces) {
    if (!is_valid_media_name(name)) {
        throw std::invalid_argument("media storage: invalid object name");
    }
    const std::string final_path = directory_ + "/" + name;
    const std::string temp_path = directory_ + "/.tmp-" + name;
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        fail("create " + name, errno);
    }
    try {
        for (const auto& p : pieces) {
            if (p.bytes.empty()) {
                write_all(fd, source.data() + p.offset, p.length);
            } else {
                write_all(fd, p.bytes.data(), p.bytes.size());
            }
        }
        if (::fsync(fd) != 0) {
            fail("fsync " + name, errno);
        }
        if (::close(fd) != 0) {
            fail("close " + name, errno);
        }
    } catch (...) {
        ::close(fd);
        ::unlink(temp_path.c_str());
        throw;
    }
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp_path.c_str());
        fail("rename " + name, error);
    }
    sync_directory(directory_);
}

std::optional<StoredObject> FilesystemStorage::locate(const std::string& name) const {
    if (!is_valid_media_name(name)) {
        return std::nullopt;
    }
    StoredObject object{directory_ + "/" + name, 0};
    struct stat st {};
    if (::stat(object.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return std::nullopt;
    }
    object.size = static_cast<std::uint64_t>(st.st_size);
    return object;
}

bool FilesystemStorage::remove(const std::string& name) {
    if (!is_valid_media_name(name)) {
        return false;
    }
    if (::unlink((directory_ + "/" + name).c_str()) != 0) {
        return false;
    }
    sync_directory(directory_);
    return true;
}

std::string FilesystemStorage::unready_reason() const {
    std::string probe = directory_ + "/.incoming/ready-XXXXXX";
    const int fd = ::mkstemp(probe.data());
    if (fd < 0) {
        return std::string("media directory not writable: ") + std::strerror(errno);
    }
    ::close(fd);
    ::unlink(probe.c_str());
    return {};
}

}  // namespace open311::media
