#include "api/core/media_links.hpp"

namespace open311::api {

std::string MediaLinks::url(const std::string& name) const {
    if (!config_.media_public_url.empty()) {
        return config_.media_public_url + "/" + name;
    }
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

void MediaLinks::add_to(ServiceRequest& request) const {
    if (request.media.empty()) {
        return;
    }
    std::vector<std::string> urls;
    urls.reserve(request.media.size() + request.media_urls.size());
    for (const auto& file : request.media) {
        urls.push_back(url(file.name));
    }
    urls.insert(urls.end(), request.media_urls.begin(), request.media_urls.end());
    request.media_urls = std::move(urls);
}

}  // namespace open311::api
