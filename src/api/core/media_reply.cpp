// Serving a stored file, for the public and the staff media routes alike.
#include "api/core/media_reply.hpp"

#include "api/core/byte_range.hpp"

#include <spdlog/spdlog.h>

namespace open311::api {

namespace {

std::string etag_of(const MediaFile& file) {
    // Stored files never change under a name (a new upload gets a new random name), so the
    // name identifies the content.
    return "\"" + file.name.substr(0, file.name.find('.')) + "\"";
}

/// True when an If-None-Match or If-Range list names `etag` (or is "*").
bool etag_listed(std::string_view header, const std::string& etag) {
    if (header.find('*') != std::string_view::npos) {
        return true;
    }
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto comma = header.find(',', pos);
        auto item =
            header.substr(pos, comma == std::string_view::npos ? header.size() - pos : comma - pos);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (item.substr(0, 2) == "W/") {
            item.remove_prefix(2);  // weak comparison for If-None-Match
        }
        if (item == etag) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        pos = comma + 1;
    }
    return false;
}

}  // namespace

HttpResponse send_media(const RequestContext& ctx,
                        const Responder& respond,
                        const media::MediaStorage& storage,
                        const MediaFile& file,
                        const std::string& cache_control) {
    auto object = storage.locate(file.name);
    if (!object) {
        spdlog::warn("media {} is listed but missing from the media storage", file.name);
        return respond.error(ctx.format, {ErrorCode::not_found, "no media '" + file.name + "'"});
    }
    const std::string etag = etag_of(file);
    HttpResponse r;
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("Cache-Control", cache_control);
    r.headers.emplace_back("Accept-Ranges", "bytes");
    // Served as an image only: no sniffing into something else, no active content.
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
    if (!ctx.http.if_none_match.empty() && etag_listed(ctx.http.if_none_match, etag)) {
        r.status = 304;
        return r;
    }
    r.content_type = file.content_type;
    r.file = FileSlice{object->path, 0, object->size};
    if (ctx.http.range.empty() || (!ctx.http.if_range.empty() && ctx.http.if_range != etag)) {
        return r;  // the whole file (a changed If-Range validator asks for it too)
    }
    auto range = parse_range(ctx.http.range, object->size);
    if (range.kind == RangeRequest::Kind::unsatisfiable) {
        r.status = 416;
        r.file.reset();
        r.content_type.clear();
        r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(object->size));
        return r;
    }
    if (range.kind == RangeRequest::Kind::partial) {
        r.status = 206;
        r.file = FileSlice{object->path, range.range.first, range.range.length()};
        r.headers.emplace_back("Content-Range",
                               "bytes " + std::to_string(range.range.first) + "-" +
                                   std::to_string(range.range.last) + "/" +
                                   std::to_string(object->size));
    }
    return r;
}

HttpResponse serve_media(const RequestContext& ctx,
                         Store& store,
                         const Responder& respond,
                         const media::MediaStorage& storage,
                         bool published_only,
                         const std::string& cache_control) {
    const auto& name = ctx.path.at("name");
    if (!media::is_valid_media_name(name)) {
        return respond.error(ctx.format, {ErrorCode::not_found, "no such media"});
    }
    auto entry = store.find_media(name);
    if (!entry || (published_only && entry->state != ModerationState::published)) {
        return respond.error(ctx.format, {ErrorCode::not_found, "no media '" + name + "'"});
    }
    return send_media(ctx, respond, storage, entry->file, cache_control);
}

}  // namespace open311::api
