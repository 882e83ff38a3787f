#include "support/response_recorder.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <unistd.h>

namespace open311::test {

namespace {

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}

std::map<std::uint16_t, nlohmann::json>& registry() {
    static std::map<std::uint16_t, nlohmann::json> servers;
    return servers;
}

const char* shape(JsonShape s) {
    return s == JsonShape::array ? "array" : "object";
}

bool is_text(const std::string& content_type) {
    return content_type.find("json") != std::string::npos ||
           content_type.find("xml") != std::string::npos;
}

}  // namespace

void register_server(std::uint16_t port, const Config& config) {
    if (std::getenv("RESPONSE_LOG_FOR_OPENAPI") == nullptr) {
        return;
    }
    nlohmann::json server = {
        {"profile", config.profile.name},
        {"base_path", config.base_path},
        {"initiatives", initiatives_enabled(config)},
        {"initiatives_base_path", config.initiatives.base_path},
        {"post_response_json", shape(config.profile.post_response_json)},
        {"single_request_json", shape(config.profile.single_request_json)},
        {"empty_value_json",
         config.profile.empty_value_json == EmptyValue::null ? "null" : "empty_string"},
    };
    std::lock_guard lock(registry_mutex());
    registry()[port] = std::move(server);
}

void record_response(std::uint16_t port,
                     const std::string& method,
                     const std::string& target,
                     const Response& response) {
    const char* file = std::getenv("RESPONSE_LOG_FOR_OPENAPI");
    if (file == nullptr || *file == '\0') {
        return;
    }
    nlohmann::json line = {{"method", method},
                           {"target", target},
                           {"status", response.status},
                           {"content_type", response.header("content-type")}};
    {
        std::lock_guard lock(registry_mutex());
        auto it = registry().find(port);
        line["server"] = it == registry().end() ? nullptr : it->second;
    }
    constexpr std::size_t kMaxBody = 512 * 1024;
    // A compressed body is bytes, not text: only its status and type are checked.
    if (method != "HEAD" && is_text(line["content_type"]) && response.body.size() <= kMaxBody &&
        response.header("content-encoding").empty()) {
        line["body"] = response.body;
    }
    // One write per line with O_APPEND: test processes running in parallel never interleave.
    const auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    const int fd = ::open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return;
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

}  // namespace open311::test
