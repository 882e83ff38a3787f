#pragma once

#include "api/core/context.hpp"
#include "media/storage.hpp"

#include "open311/domain/request.hpp"
#include "open311/store/store.hpp"

#include <string>

namespace open311::api {

/// Answers with a stored file: conditional (ETag, If-None-Match) and range requests (Range,
/// If-Range), caching headers, and headers that keep the browser from treating it as anything
/// but an image. A file listed in the store but missing from the storage is a 404.
HttpResponse send_media(const RequestContext& ctx,
                        const Responder& respond,
                        const media::MediaStorage& storage,
                        const MediaFile& file,
                        const std::string& cache_control);

/// GET of a stored file by the name in the path: only names the server itself makes are looked
/// up (no path, dot segment or escape from a client ever reaches the storage), and with
/// `published_only` only files of published requests (Helsinki: nothing is public before).
HttpResponse serve_media(const RequestContext& ctx,
                         Store& store,
                         const Responder& respond,
                         const media::MediaStorage& storage,
                         bool published_only,
                         const std::string& cache_control);

}  // namespace open311::api
