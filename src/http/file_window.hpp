#pragma once

#include "api/core/http_types.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/basic_file_body.hpp>
#include <boost/beast/http/message.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace open311::http {

/// A window of a file for Beast's file body, so that a range of a media file is streamed from
/// disk like a whole one: size() is the window's length and reading starts at its offset.
class FileWindow {
public:
    using error_code = boost::beast::error_code;

    FileWindow() = default;

    bool is_open() const { return file_.is_open(); }
    void close(error_code& ec) { file_.close(ec); }
    void open(char const* path, boost::beast::file_mode mode, error_code& ec) {
        file_.open(path, mode, ec);
        offset_ = 0;
        length_ = ec ? 0 : file_.size(ec);
    }
    void open_window(const std::string& path,
                     std::uint64_t offset,
                     std::uint64_t length,
                     error_code& ec) {
        file_.open(path.c_str(), boost::beast::file_mode::scan, ec);
        if (!ec) {
            file_.seek(offset, ec);
        }
        offset_ = offset;
        length_ = length;
    }
    std::uint64_t size(error_code& ec) const {
        ec = {};
        return length_;
    }
    std::uint64_t pos(error_code& ec) const { return file_.pos(ec) - offset_; }
    void seek(std::uint64_t offset, error_code& ec) { file_.seek(offset_ + offset, ec); }
    std::size_t read(void* buffer, std::size_t n, error_code& ec) {
        return file_.read(buffer, n, ec);
    }
    std::size_t write(void const*, std::size_t, error_code& ec) {
        ec = boost::asio::error::operation_not_supported;
        return 0;
    }

private:
    boost::beast::file file_;
    std::uint64_t offset_ = 0;
    std::uint64_t length_ = 0;
};

using FileWindowBody = boost::beast::http::basic_file_body<FileWindow>;

/// A response whose body is the part of a file that `slice` names. Sets `ec` when the file
/// cannot be opened (removed since the API looked it up).
inline std::shared_ptr<boost::beast::http::response<FileWindowBody>> file_response(
    int status, const api::FileSlice& slice, boost::beast::error_code& ec) {
    auto res = std::make_shared<boost::beast::http::response<FileWindowBody>>(
        static_cast<boost::beast::http::status>(status), 11);
    FileWindow window;
    window.open_window(slice.path, slice.offset, slice.length, ec);
    if (!ec) {
        res->body().reset(std::move(window), ec);
    }
    return res;
}

}  // namespace open311::http
