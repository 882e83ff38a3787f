#pragma once

#include "media/image.hpp"

#include "open311/config.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311::media {

/// Where a stored object can be read from.
struct StoredObject {
    std::string path;  ///< a local file
    std::uint64_t size = 0;
};

/// Where uploaded media lives. Object names come from new_media_name() and are checked with
/// is_valid_media_name() before they reach a storage, so no client text ever becomes a path.
/// The filesystem storage ships; an S3-compatible object store can implement the same calls
/// (put → PUT Object, locate → a local cache or a presigned URL, remove → DELETE Object).
/// Implementations are thread-safe.
class MediaStorage {
public:
    virtual ~MediaStorage() = default;
    /// Stores `pieces` (ranges of `source` or replacement bytes) under `name`, durably: when it
    /// returns, the object survives a crash. Throws std::runtime_error on failure, leaving
    /// nothing behind.
    virtual void put(const std::string& name,
                     std::string_view source,
                     const std::vector<Piece>& pieces) = 0;
    /// The stored object, or nullopt when there is none by that name.
    virtual std::optional<StoredObject> locate(const std::string& name) const = 0;
    /// Removes an object; false when it was not there.
    virtual bool remove(const std::string& name) = 0;
    /// Whether a new object could be stored now (for readiness probes): "" when it could,
    /// else why not, in words that name no path.
    virtual std::string unready_reason() const = 0;
};

/// A fresh random object name with the extension of `type`, e.g. "k2…q.jpg".
std::string new_media_name(ImageType type);
/// True for names new_media_name() can produce: 26 base32 characters, a dot and a known
/// extension. Anything else (dots, slashes, percent signs) is refused before any lookup.
bool is_valid_media_name(std::string_view name);
/// The image type of a valid name.
std::optional<ImageType> media_name_type(std::string_view name);

/// The media directory of a configuration: `media.dir`, or "media" beside the database file.
std::string media_directory(const Config& config);
/// The directory where the transport spools uploads while they are received.
std::string incoming_directory(const Config& config);

/// The storage the configuration names (the filesystem one, in media_directory()).
std::unique_ptr<MediaStorage> make_storage(const Config& config);

}  // namespace open311::media
