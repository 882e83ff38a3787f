#pragma once
// Building multipart uploads the way the Helsinki documents show them, and reading back what
// the server made of them.

#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace open311::test {

struct FileField {
    std::string field = "media";
    std::string filename = "photo.jpg";
    std::string content_type = "image/jpeg";  ///< empty: no Content-Type header
    std::string data;
};

inline const std::string kMediaBoundary = "AaB03x";

/// A multipart/form-data body: the text fields, then the files.
inline std::string multipart_upload(const std::vector<std::pair<std::string, std::string>>& fields,
                                    const std::vector<FileField>& files) {
    std::string body;
    for (const auto& [name, value] : fields) {
        body += "--" + kMediaBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    }
    for (const auto& f : files) {
        body += "--" + kMediaBoundary + "\r\nContent-Disposition: form-data; name=\"" + f.field +
                "\"; filename=\"" + f.filename + "\"\r\n";
        if (!f.content_type.empty()) {
            body += "Content-Type: " + f.content_type + "\r\n";
        }
        body += "\r\n" + f.data + "\r\n";
    }
    return body + "--" + kMediaBoundary + "--\r\n";
}

/// The text fields of a valid request for the demo catalogue.
inline std::vector<std::pair<std::string, std::string>> request_fields(
    const TestServer& server, std::vector<std::pair<std::string, std::string>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"api_key", server.client_key},
        {"service_code", "171"},
        {"lat", "60.168569"},
        {"long", "24.950627"},
        {"description", "There is a huge pothole in here"},
        {"can_be_published", "true"},
    };
    fields.insert(fields.end(), extra.begin(), extra.end());
    return fields;
}

inline Response post_upload(const TestServer& server,
                            const std::string& body,
                            const std::string& fmt = "json") {
    return server.client().request(
        "POST",
        server.base() + "/requests." + fmt,
        body,
        {{"Content-Type", "multipart/form-data; boundary=" + kMediaBoundary}});
}

/// The path part ("/media/…") of a media URL.
inline std::string media_path(const std::string& url) {
    auto at = url.find("/media/");
    return at == std::string::npos ? url : url.substr(at);
}

/// Regular files in a directory (not recursing), for "nothing was stored" checks.
inline std::vector<std::string> files_in(const std::filesystem::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        if (e.is_regular_file()) {
            out.push_back(e.path().filename().string());
        }
    }
    return out;
}

inline std::filesystem::path media_dir_of(const TestServer& server) {
    return std::filesystem::path(server.config().db_path).parent_path() / "media";
}

}  // namespace open311::test
