// Uploaded media: GET /media/{name} serves a file once its request is published (Helsinki:
// nothing is public before the publish step), GET /admin/v1/media/{name} serves it to staff at
// any time, DELETE /admin/v1/requests/{id}/media/{name} removes one file for privacy.
#include "api/core/byte_range.hpp"
#include "api/handlers.hpp"

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

std::string Handlers::media_url(const std::string& name) const {
    if (!config_.media_public_url.empty()) {
        return config_.media_public_url + "/" + name;
    }
    // Media is served from the server's root, beside the API's base path.
    std::string base = config_.public_url;
    if (base.empty()) {
        base = std::string(listen_scheme(config_)) + "://" + config_.listen_host + ":" +
               std::to_string(config_.listen_port);
    } else if (base.size() >= config_.base_path.size() &&
               base.compare(base.size() - config_.base_path.size(),
                            config_.base_path.size(),
                            config_.base_path) == 0) {
        base.resize(base.size() - config_.base_path.size());
    }
    return base + "/media/" + name;
}

void Handlers::add_media_urls(ServiceRequest& request) const {
    if (request.media.empty()) {
        return;
    }
    std::vector<std::string> urls;
    urls.reserve(request.media.size() + request.media_urls.size());
    for (const auto& file : request.media) {
        urls.push_back(media_url(file.name));
    }
    urls.insert(urls.end(), request.media_urls.begin(), request.media_urls.end());
    request.media_urls = std::move(urls);
}

HttpResponse Handlers::send_media(const RequestContext& ctx,
                                  const MediaFile& file,
                                  const std::string& cache_control) const {
    auto object = media_->locate(file.name);
    if (!object) {
        spdlog::warn("media {} is listed but missing from the media storage", file.name);
        return respond_.error(ctx.format, {ErrorCode::not_found, "no media '" + file.name + "'"});
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

HttpResponse Handlers::get_media(const RequestContext& ctx) const {
    const auto& name = ctx.path.at("name");
    const ApiError not_found{ErrorCode::not_found, "no media '" + name + "'"};
    // Only names the server itself makes are looked up: no path, dot segment or escape
    // from a client ever reaches the storage.
    if (!media::is_valid_media_name(name)) {
        return respond_.error(ctx.format, {ErrorCode::not_found, "no such media"});
    }
    auto entry = store_.find_media(name);
    // Media of a pending or rejected request is not public until the request is published.
    if (!entry || entry->state != ModerationState::published) {
        return respond_.error(ctx.format, not_found);
    }
    return send_media(
        ctx, entry->file, "public, max-age=" + std::to_string(config_.media_max_age_seconds));
}

HttpResponse Handlers::admin_get_media(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    const auto& name = ctx.path.at("name");
    if (!media::is_valid_media_name(name)) {
        return respond_.error(ctx.format, {ErrorCode::not_found, "no such media"});
    }
    auto entry = store_.find_media(name);
    if (!entry) {
        return respond_.error(ctx.format, {ErrorCode::not_found, "no media '" + name + "'"});
    }
    return send_media(ctx, entry->file, "private, no-store");
}

HttpResponse Handlers::admin_delete_media(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    const auto& id = ctx.path.at("id");
    const auto& name = ctx.path.at("name");
    const ApiError not_found{ErrorCode::not_found,
                             "request '" + id + "' has no media '" + name + "'"};
    if (!media::is_valid_media_name(name)) {
        return respond_.error(ctx.format, not_found);
    }
    // The row goes first, in its own transaction: from then on nobody can fetch the file,
    // even if removing it fails (then it is an unreachable orphan, logged below).
    auto entry = store_.find_media(name);
    if (!entry || entry->request_id != id) {
        return respond_.error(ctx.format, not_found);
    }
    nlohmann::ordered_json before;
    before["media"] = {{"name", entry->file.name},
                       {"content_type", entry->file.content_type},
                       {"size", entry->file.size}};
    nlohmann::ordered_json detail;
    detail["before"] = std::move(before);
    detail["after"] = {{"media", nullptr}};
    const AuditEntry audit{0, now(), who, "request.media.delete", id, name, detail.dump()};
    if (!store_.delete_media(id, name, audit)) {
        return respond_.error(ctx.format, not_found);
    }
    if (!media_->remove(name)) {
        spdlog::warn("media {} was unlisted but its file was already gone", name);
    }
    spdlog::info("media: {} removed from request {} (by key '{}')", name, id, who);
    HttpResponse r;
    r.status = 204;
    return r;
}

}  // namespace open311::api
