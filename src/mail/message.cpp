// RFC 5322/2045/2047 message text for notification e-mail. The body is always base64: it
// survives any relay (8BITMIME or not, long lines, a line holding a lone ".") unchanged.
#include "mail/message.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace open311::mail {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// Raw bytes per encoded word: 45 bytes → 60 base64 characters, inside the 75 that RFC 2047
// allows for a whole "=?UTF-8?B?…?=" word.
constexpr std::size_t kEncodedWordBytes = 45;

bool is_printable_ascii(std::string_view text) {
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e) {
            return false;
        }
    }
    return true;
}

/// Control characters become spaces; UTF-8 sequences pass unchanged.
std::string without_controls(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            c = ' ';
        }
    }
    return out;
}

/// Length of the UTF-8 prefix of `text` of at most `max` bytes that ends on a character
/// boundary (so that no encoded word splits a character, RFC 2047 section 5).
std::size_t utf8_prefix(std::string_view text, std::size_t max) {
    if (text.size() <= max) {
        return text.size();
    }
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
        --end;
    }
    return end == 0 ? max : end;
}

}  // namespace

bool is_valid_address(std::string_view address) {
    const auto at = address.rfind('@');
    if (address.empty() || address.size() > 254 || at == 0 || at == std::string_view::npos ||
        at + 1 == address.size()) {
        return false;
    }
    for (char c : address) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == '(' ||
            c == ')' || c == ';' || c == '\\') {
            return false;
        }
    }
    return true;
}

std::string base64(std::string_view data, bool wrap) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4 + data.size() / 57 * 2 + 2);
    std::size_t line = 0;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, data.size() - i);
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16U;
        if (n > 1) {
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8U;
        }
        if (n > 2) {
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 2]));
        }
        out += kBase64Alphabet[(v >> 18U) & 63U];
        out += kBase64Alphabet[(v >> 12U) & 63U];
        out += n > 1 ? kBase64Alphabet[(v >> 6U) & 63U] : '=';
        out += n > 2 ? kBase64Alphabet[v & 63U] : '=';
        line += 4;
        if (wrap && line >= 76 && i + 3 < data.size()) {
            out += "\r\n";
            line = 0;
        }
    }
    return out;
}

std::string encode_header_text(std::string_view text) {
    const std::string clean = without_controls(text);
    if (is_printable_ascii(clean)) {
        return clean;
    }
    std::string out;
    std::string_view rest = clean;
    while (!rest.empty()) {
        const auto n = utf8_prefix(rest, kEncodedWordBytes);
        if (!out.empty()) {
            out += "\r\n ";  // folding: the space between encoded words is not displayed
        }
        out += "=?UTF-8?B?" + base64(rest.substr(0, n)) + "?=";
        rest.remove_prefix(n);
    }
    return out;
}

std::string format_date(Timestamp at) {
    static constexpr std::array<const char*, 7> kDays = {
        "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto t = static_cast<std::time_t>(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 64> buf{};
    std::snprintf(buf.data(),
                  buf.size(),
                  "%s, %02d %s %04d %02d:%02d:%02d +0000",
                  kDays.at(static_cast<std::size_t>(tm.tm_wday)),
                  tm.tm_mday,
                  kMonths.at(static_cast<std::size_t>(tm.tm_mon)),
                  tm.tm_year + 1900,
                  tm.tm_hour,
                  tm.tm_min,
                  tm.tm_sec);
    return buf.data();
}

std::string build_message(const MailMessage& message) {
    // Text/plain is canonically CRLF (RFC 2046 4.1.1): normalise before encoding.
    std::string body;
    body.reserve(message.body.size() + message.body.size() / 40);
    for (std::size_t i = 0; i < message.body.size(); ++i) {
        const char c = message.body[i];
        if (c == '\r') {
            continue;
        }
        if (c == '\n') {
            body += "\r\n";
        } else {
            body += c;
        }
    }
    std::string out;
    out.reserve(body.size() * 4 / 3 + 512);
    out += "From: <" + message.from + ">\r\n";
    out += "To: <" + message.to + ">\r\n";
    out += "Subject: " + encode_header_text(message.subject) + "\r\n";
    out += "Date: " + format_date(message.date) + "\r\n";
    out += "Message-ID: <" + without_controls(message.message_id) + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "\r\n";
    out += base64(body, true);
    out += "\r\n";
    return out;
}

std::string dot_stuff(std::string_view message) {
    std::string out;
    out.reserve(message.size() + 16);
    bool line_start = true;
    for (std::size_t i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') {
                ++i;
            }
            out += "\r\n";
            line_start = true;
            continue;
        }
        if (line_start && c == '.') {
            out += '.';
        }
        out += c;
        line_start = false;
    }
    if (!line_start) {
        out += "\r\n";
    }
    out += ".\r\n";
    return out;
}

}  // namespace open311::mail
