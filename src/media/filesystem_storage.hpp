#pragma once

#include "media/storage.hpp"

namespace open311::media {

/// Media files in one local directory, one file per object. A file is written under a
/// temporary name, fsynced, renamed into place and the directory fsynced, so an object is
/// either complete and durable or absent.
class FilesystemStorage final : public MediaStorage {
public:
    /// Creates the directory (and the incoming spool directory inside it) when missing and
    /// clears leftovers of uploads interrupted by a crash.
    explicit FilesystemStorage(std::string directory);

    void put(const std::string& name,
             std::string_view source,
             const std::vector<Piece>& pieces) override;
    std::optional<StoredObject> locate(const std::string& name) const override;
    bool remove(const std::string& name) override;
    /// Creates and removes a file in the directory: the test that the disk takes writes.
    std::string unready_reason() const override;

private:
    std::string directory_;
};

}  // namespace open311::media
