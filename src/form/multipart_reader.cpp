// An incremental multipart/form-data reader. The transport feeds it straight from the socket
// so that uploads are spooled to disk as they arrive; the in-memory parse_multipart() of
// params.cpp is this same reader with a sink that keeps everything.
#include "form/multipart_reader.hpp"

#include "form/params.hpp"
#include "util/text.hpp"

namespace open311::form {

namespace {

/// A part's header block, read; `problem` says what makes it unusable (empty when nothing does).
struct ParsedHeaders {
    PartHeaders headers;
    std::string problem;
};

ParsedHeaders parse_part_headers(std::string_view block, std::size_t part) {
    ParsedHeaders parsed;
    auto& h = parsed.headers;
    bool disposition = false;
    bool bad_line = false;
    for_each_piece(block, "\r\n", [&](std::string_view line) {
        auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            // A folded continuation line starts with white space; anything else is no header.
            bad_line = bad_line || (!line.empty() && line[0] != ' ' && line[0] != '\t');
            return;
        }
        auto key = to_lower(trim(line.substr(0, colon)));
        auto value = line.substr(colon + 1);
        if (key == "content-disposition") {
            // Some clients put the header value on its own; prefix ';' so every
            // parameter, including the first, is found the same way.
            std::string with_semicolon = ";" + std::string(value);
            h.name = trim(header_parameter(with_semicolon, "name").value_or(""));
            h.filename = header_parameter(with_semicolon, "filename");
            disposition = true;
        } else if (key == "content-type") {
            h.content_type = trim(value);
        }
    });
    // RFC 7578 4.2: every part has a Content-Disposition: form-data header with a name.
    const std::string which = "body: multipart/form-data part " + std::to_string(part);
    if (bad_line) {
        parsed.problem = which + " has a malformed header (a line without ':')";
    } else if (!disposition) {
        parsed.problem = which + " has no Content-Disposition header";
    } else if (h.name.empty()) {
        parsed.problem = which + " has no name (Content-Disposition: form-data; name=\"...\")";
    }
    return parsed;
}

}  // namespace

std::optional<MultipartReader> MultipartReader::for_content_type(std::string_view content_type,
                                                                 MultipartSink& sink) {
    auto boundary = header_parameter(content_type, "boundary");
    // RFC 2046 allows 70 characters; some clients exceed it a little.
    if (!boundary || boundary->empty() || boundary->size() > 200) {
        return std::nullopt;
    }
    return MultipartReader(std::move(*boundary), sink);
}

MultipartReader::MultipartReader(std::string boundary, MultipartSink& sink)
    : sink_(&sink), delimiter_("--" + boundary), data_delimiter_("\r\n" + delimiter_) {}

MultipartReader::State MultipartReader::feed(std::string_view data) {
    if (state_ != State::reading) {
        return state_;
    }
    received_ += data.size();
    pending_.append(data);
    run();
    return state_;
}

MultipartReader::State MultipartReader::finish() {
    if (state_ != State::reading) {
        return state_;
    }
    run();
    if (state_ != State::reading) {
        return state_;
    }
    switch (step_) {
        case Step::epilogue:
            state_ = State::done;
            break;
        case Step::preamble:
            fail(received_ == 0 ? "body: empty; multipart/form-data needs at least one part"
                                : "body: no multipart/form-data boundary line (--boundary) found; "
                                  "check the boundary parameter");
            break;
        case Step::after_delimiter:
        case Step::part_start:
            // The body ends after a delimiter without the closing "--": accepted when at least
            // one part came before (only line breaks may follow the delimiter line).
            if (parts_ > 0) {
                state_ = State::done;
            } else {
                fail("body: multipart/form-data ends after its first boundary, before any part");
            }
            break;
        case Step::headers:
            fail("body: multipart/form-data ends inside the headers of part " +
                 std::to_string(parts_ + 1));
            break;
        case Step::data:
            fail("body: multipart/form-data ends inside part " + std::to_string(parts_) +
                 ", before its closing boundary");
            break;
    }
    return state_;
}

void MultipartReader::headers_too_large() {
    fail("body: the headers of multipart/form-data part " + std::to_string(parts_ + 1) +
         " exceed " + std::to_string(kMaxPartHeaderBytes) + " bytes");
}

void MultipartReader::fail(std::string problem) {
    state_ = State::malformed;
    problem_ = std::move(problem);
}

bool MultipartReader::emit_data(std::size_t length) {
    if (length == 0) {
        return true;
    }
    if (!sink_->part_data(std::string_view(pending_).substr(0, length))) {
        state_ = State::stopped;
        return false;
    }
    return true;
}

void MultipartReader::run() {
    // Each step consumes what it can from the front of pending_ and returns when it needs more.
    while (state_ == State::reading) {
        switch (step_) {
            case Step::preamble: {
                auto at = pending_.find(delimiter_);
                if (at == std::string::npos) {
                    // Keep only what could be the start of a delimiter.
                    if (pending_.size() >= delimiter_.size()) {
                        pending_.erase(0, pending_.size() - (delimiter_.size() - 1));
                    }
                    return;
                }
                pending_.erase(0, at + delimiter_.size());
                step_ = Step::after_delimiter;
                break;
            }
            case Step::after_delimiter: {
                if (pending_.size() < 2) {
                    return;
                }
                if (pending_.compare(0, 2, "--") == 0) {
                    pending_.clear();
                    step_ = Step::epilogue;
                    break;
                }
                // Transport padding may follow the delimiter up to the line end.
                auto eol = pending_.find("\r\n");
                if (eol == std::string::npos) {
                    if (pending_.size() > 1024) {
                        fail(
                            "body: a multipart/form-data boundary line goes on for over 1024 "
                            "bytes");
                    }
                    return;
                }
                pending_.erase(0, eol + 2);
                step_ = Step::part_start;
                break;
            }
            case Step::part_start: {
                // Skip stray empty lines some clients write before the part headers.
                std::size_t skip = 0;
                while (pending_.compare(skip, 2, "\r\n") == 0) {
                    skip += 2;
                }
                pending_.erase(0, skip);
                if (pending_.empty() || pending_ == "\r") {
                    return;
                }
                step_ = Step::headers;
                break;
            }
            case Step::headers: {
                auto end = pending_.find("\r\n\r\n");
                if (end == std::string::npos) {
                    if (pending_.size() > kMaxPartHeaderBytes) {
                        headers_too_large();
                    }
                    return;
                }
                if (end > kMaxPartHeaderBytes) {
                    headers_too_large();
                    return;
                }
                auto parsed =
                    parse_part_headers(std::string_view(pending_).substr(0, end), parts_ + 1);
                if (!parsed.problem.empty()) {
                    fail(std::move(parsed.problem));
                    return;
                }
                pending_.erase(0, end + 4);
                ++parts_;
                if (!sink_->begin_part(parsed.headers)) {
                    state_ = State::stopped;
                    return;
                }
                step_ = Step::data;
                break;
            }
            case Step::data: {
                auto at = pending_.find(data_delimiter_);
                if (at == std::string::npos) {
                    // Everything but a possible delimiter prefix at the end is data.
                    if (pending_.size() >= data_delimiter_.size()) {
                        const auto safe = pending_.size() - (data_delimiter_.size() - 1);
                        if (!emit_data(safe)) {
                            return;
                        }
                        pending_.erase(0, safe);
                    }
                    return;
                }
                if (!emit_data(at)) {
                    return;
                }
                if (!sink_->end_part()) {
                    state_ = State::stopped;
                    return;
                }
                pending_.erase(0, at + data_delimiter_.size());
                step_ = Step::after_delimiter;
                break;
            }
            case Step::epilogue:
                pending_.clear();
                state_ = State::done;
                return;
        }
    }
}

}  // namespace open311::form
