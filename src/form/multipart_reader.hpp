#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace open311::form {

/// The headers of one part of a multipart/form-data body that the API reads.
struct PartHeaders {
    std::string name;                     ///< form field name, trimmed
    std::optional<std::string> filename;  ///< present for file parts; never used as a path
    std::string content_type;             ///< as declared; not trusted
};

/// Receives the parts of a multipart body in order, as the reader finds them.
/// Each call returns false to stop reading (the sink keeps the reason).
class MultipartSink {
public:
    virtual ~MultipartSink() = default;
    virtual bool begin_part(const PartHeaders& headers) = 0;
    virtual bool part_data(std::string_view data) = 0;
    virtual bool end_part() = 0;
};

/// An incremental multipart/form-data reader (RFC 7578 / RFC 2046): feed it the body in chunks
/// of any size. It holds at most one part header block plus one delimiter of the body in memory
/// whatever the size of the parts, so a 50 MB file passes through it without being buffered.
///
/// Tolerates what real clients send: a preamble and an epilogue, empty lines between a delimiter
/// and the part headers, and a body that ends after a delimiter without the closing "--".
/// Refuses as malformed (with a `problem()` naming it) a body without any part, one that ends
/// inside a part, and a part without `Content-Disposition` or without a name (RFC 7578 4.2).
class MultipartReader final {
public:
    enum class State { reading, done, malformed, stopped };

    /// The reader for a `multipart/form-data; boundary=…` content type; nullopt when the
    /// boundary is missing, empty or longer than RFC 2046 allows.
    static std::optional<MultipartReader> for_content_type(std::string_view content_type,
                                                           MultipartSink& sink);

    MultipartReader(std::string boundary, MultipartSink& sink);

    /// Consumes the next piece of the body. Once the state is no longer `reading`, further
    /// data is ignored (the closing delimiter was seen, or the body is refused).
    State feed(std::string_view data);
    /// The body ended: `done` when every part was complete, `malformed` otherwise.
    State finish();
    State state() const { return state_; }
    /// Number of parts begun so far.
    std::size_t parts() const { return parts_; }
    /// Once `malformed`: what is wrong, for the client ("body: ..."); empty before.
    const std::string& problem() const { return problem_; }

    /// Largest header block of one part; more is refused as malformed.
    static constexpr std::size_t kMaxPartHeaderBytes = 16 * 1024;

private:
    enum class Step { preamble, after_delimiter, part_start, headers, data, epilogue };

    void run();
    bool emit_data(std::size_t length);
    void fail(std::string problem);
    void headers_too_large();

    MultipartSink* sink_;
    std::string delimiter_;       ///< "--" + boundary
    std::string data_delimiter_;  ///< "\r\n--" + boundary: ends a part's data
    std::string pending_;         ///< unconsumed bytes (bounded, see above)
    Step step_ = Step::preamble;
    State state_ = State::reading;
    std::size_t parts_ = 0;
    std::size_t received_ = 0;  ///< bytes fed so far
    std::string problem_;
};

}  // namespace open311::form
