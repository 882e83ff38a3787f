#pragma once

#include "api/api.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace open311::http {

/// A multipart/form-data body received as it arrives instead of collected in memory: the
/// parser reads it into one chunk buffer, and each full chunk goes to the API's upload spool
/// (text fields kept, files written to spool files), so a 50 MB upload costs one chunk of
/// memory. The reads run on the connection's I/O thread and each chunk is spooled on a worker,
/// as that writes to disk; no worker waits for the client. Header-only: only session.cpp uses
/// it, so Beast is not parsed once more for it.
class UploadStream final {
public:
    using Parser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
    using HeaderParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

    /// Takes over the parser that has read the request's header; the body may be up to
    /// `body_limit` bytes and must arrive within config.upload_timeout_seconds.
    UploadStream(HeaderParser&& header_parser,
                 std::size_t body_limit,
                 const api::Api& api,
                 const Config& config)
        : parser_(std::move(header_parser)),
          upload_(api.start_upload(parser_.get()[boost::beast::http::field::content_type])),
          chunk_(kChunkBytes),
          deadline_(std::chrono::steady_clock::now() +
                    std::chrono::seconds(config.upload_timeout_seconds)) {
        parser_.body_limit(body_limit);
    }

    Parser& parser() { return parser_; }
    const boost::beast::http::request_header<>& header() const { return parser_.get(); }

    /// Reads the body to its end, then calls done(error_code, form) on the stream's executor.
    /// Each read must make progress within `read_timeout` and the whole upload end by the
    /// deadline, so a slow or stalled client is cut off (done gets a timeout). On an error the
    /// spool files are removed, and the header stays for the answer. `done` must keep the
    /// stream and this object alive.
    template <typename Stream, typename Done>
    void read(Stream& stream,
              boost::beast::flat_buffer& buffer,
              boost::asio::thread_pool& workers,
              std::chrono::steady_clock::duration read_timeout,
              Done done) {
        namespace beast = boost::beast;
        if (parser_.is_done()) {
            // Nothing left to read (a body of Content-Length: 0 ends with the header): a read
            // now would wait for bytes that never come. Hand the (empty) rest over at once.
            done_ = true;
            return spool(stream, buffer, workers, read_timeout, std::move(done));
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline_) {
            discard();
            return done(beast::error::timeout, nullptr);
        }
        beast::get_lowest_layer(stream).expires_after(std::min(read_timeout, deadline_ - now));
        prepare_read();
        beast::http::async_read_some(
            stream,
            buffer,
            parser_,
            [this, &stream, &buffer, &workers, read_timeout, done = std::move(done)](
                beast::error_code ec, std::size_t) mutable {
                if (ec == beast::http::error::need_buffer) {
                    ec = {};  // the chunk is full
                }
                if (ec) {
                    discard();
                    return done(ec, nullptr);
                }
                if (!chunk_ready()) {
                    return read(stream, buffer, workers, read_timeout, std::move(done));
                }
                spool(stream, buffer, workers, read_timeout, std::move(done));
            });
    }

private:
    static constexpr std::size_t kChunkBytes = 256 * 1024;

    /// Spools the chunk on a worker, then goes on reading, or calls done with the finished
    /// form once the body has ended.
    template <typename Stream, typename Done>
    void spool(Stream& stream,
               boost::beast::flat_buffer& buffer,
               boost::asio::thread_pool& workers,
               std::chrono::steady_clock::duration read_timeout,
               Done done) {
        boost::beast::get_lowest_layer(stream).expires_never();
        auto work =
            [this, &stream, &buffer, &workers, read_timeout, done = std::move(done)]() mutable {
                auto form = spool_chunk();
                auto next = [this,
                             &stream,
                             &buffer,
                             &workers,
                             read_timeout,
                             done = std::move(done),
                             form = std::move(form)]() mutable {
                    if (!form) {
                        return read(stream, buffer, workers, read_timeout, std::move(done));
                    }
                    done(boost::beast::error_code{}, std::move(form));
                };
                boost::asio::post(stream.get_executor(), std::move(next));
            };
        boost::asio::post(workers, std::move(work));
    }

    /// Points the parser at the part of the chunk not yet filled; call it before each read.
    void prepare_read() {
        auto& body = parser_.get().body();
        body.data = chunk_.data() + filled_;
        body.size = chunk_.size() - filled_;
    }
    /// After a read: true when the chunk is to be spooled now (it is full, or the body ended).
    bool chunk_ready() {
        // A socket read gives at most 64 KiB: a chunk is filled by several reads, so that a
        // worker is asked once per chunk.
        filled_ = chunk_.size() - parser_.get().body().size;
        done_ = parser_.is_done();
        return done_ || filled_ == chunk_.size();
    }
    /// Spools the chunk and empties it; once the body has ended, returns the finished form
    /// (nullptr before). On a worker thread, between reads.
    std::shared_ptr<api::UploadedForm> spool_chunk() {
        upload_->feed(std::string_view(chunk_.data(), filled_));
        filled_ = 0;
        return done_ ? upload_->finish() : nullptr;
    }
    /// Removes what was spooled so far: the upload failed and will not be handed over.
    void discard() { upload_.reset(); }

    Parser parser_;
    std::unique_ptr<api::Upload> upload_;
    std::vector<char> chunk_;  ///< the one buffer an upload occupies while it is received
    std::size_t filled_ = 0;   ///< bytes of chunk_ holding body data not yet spooled
    bool done_ = false;        ///< the body has ended (set with the last chunk)
    std::chrono::steady_clock::time_point deadline_;
};

}  // namespace open311::http
