#include "mail/smtp_reply.hpp"

#include <cctype>
#include <stdexcept>

namespace open311::mail {
namespace {

// A relay that answers more lines than any real EHLO does is broken or hostile.
constexpr std::size_t kMaxReplyLines = 100;

bool equal_ci(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(a[i])) !=
            std::toupper(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

/// The words of an EHLO extension line.
std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto start = line.find_first_not_of(' ', pos);
        if (start == std::string_view::npos) {
            break;
        }
        auto end = line.find(' ', start);
        if (end == std::string_view::npos) {
            end = line.size();
        }
        out.push_back(line.substr(start, end - start));
        pos = end;
    }
    return out;
}

}  // namespace

std::string SmtpReply::summary() const {
    std::string out = std::to_string(code);
    for (const auto& line : lines) {
        out += ' ';
        out += line;
    }
    return out;
}

bool ReplyParser::feed(std::string_view line) {
    if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
        !std::isdigit(static_cast<unsigned char>(line[1])) ||
        !std::isdigit(static_cast<unsigned char>(line[2])) ||
        (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
        throw std::runtime_error("malformed SMTP reply line");
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (!reply_.lines.empty() && code != reply_.code) {
        throw std::runtime_error("SMTP reply code changed within one reply");
    }
    if (reply_.lines.size() >= kMaxReplyLines) {
        throw std::runtime_error("SMTP reply too long");
    }
    reply_.code = code;
    reply_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
    return line.size() == 3 || line[3] == ' ';
}

SmtpReply ReplyParser::take() {
    SmtpReply out = std::move(reply_);
    reply_ = {};
    return out;
}

bool has_extension(const SmtpReply& ehlo, std::string_view keyword) {
    // The first line is the relay's greeting, the others one extension each.
    for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
        auto w = words(ehlo.lines[i]);
        if (!w.empty() && equal_ci(w.front(), keyword)) {
            return true;
        }
    }
    return false;
}

bool offers_auth(const SmtpReply& ehlo, std::string_view mechanism) {
    for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
        auto w = words(ehlo.lines[i]);
        if (w.empty() || !equal_ci(w.front(), "AUTH")) {
            continue;
        }
        for (std::size_t j = 1; j < w.size(); ++j) {
            if (equal_ci(w[j], mechanism)) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace open311::mail
