#pragma once

#include "api/upload/uploaded_form.hpp"
#include "media/storage.hpp"

#include "open311/domain/request.hpp"
#include "open311/errors.hpp"

#include <optional>
#include <vector>

namespace open311::api {

/// The files of one upload, checked and stored without their metadata. Until keep() is called
/// (after the request row that refers to them is committed), destroying this removes every
/// file it stored, so a failed request leaves no orphan behind.
class MediaIngest final {
public:
    explicit MediaIngest(media::MediaStorage& storage) : storage_(storage) {}
    ~MediaIngest();
    MediaIngest(const MediaIngest&) = delete;
    MediaIngest& operator=(const MediaIngest&) = delete;

    /// Checks every file of `form` by its content (JPEG, PNG, GIF or WebP, complete), removes
    /// its metadata and stores it. Returns the first problem, naming the part; on a problem
    /// nothing stays stored.
    std::optional<ApiError> add(const UploadedForm& form);
    const std::vector<MediaFile>& files() const { return files_; }
    /// The request is committed: the files stay.
    /// The request that refers to the files is committed: they stay (and are counted in the
    /// metrics as stored).
    void keep();

private:
    media::MediaStorage& storage_;
    std::vector<MediaFile> files_;
    bool kept_ = false;
};

}  // namespace open311::api
