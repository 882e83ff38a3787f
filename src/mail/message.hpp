#pragma once

#include "open311/domain/time.hpp"

#include <string>
#include <string_view>

namespace open311::mail {

/// One plain-text e-mail to one recipient.
struct MailMessage {
    std::string from;  ///< bare address, e.g. noreply@example.org
    std::string to;    ///< bare address
    std::string subject;
    std::string body;  ///< UTF-8 text; line ends may be LF or CRLF
    Timestamp date = 0;
    std::string message_id;  ///< without angle brackets, e.g. 42.abc@example.org
};

/// True for an address that can go into an SMTP envelope and a header as it is: one `@` with
/// text on both sides, printable ASCII without spaces, angle brackets, quotes or commas.
bool is_valid_address(std::string_view address);

/// The header value for `text`: as it is when printable ASCII, else RFC 2047 encoded words
/// (UTF-8, base64) folded onto continuation lines. Control characters (CR and LF included)
/// become spaces first, so that no value can start a header of its own.
std::string encode_header_text(std::string_view text);

/// RFC 5322 date, e.g. "Mon, 23 Nov 2026 01:47:01 +0000".
std::string format_date(Timestamp at);

/// Base64 of `data` (RFC 4648), broken into lines of 76 characters with CRLF when `wrap`.
std::string base64(std::string_view data, bool wrap = false);

/// The whole message (headers, blank line, base64 body) with CRLF line ends, ready for
/// dot-stuffing. The addresses must pass is_valid_address.
std::string build_message(const MailMessage& message);

/// The DATA payload: lines starting with "." get another "." (RFC 5321 4.5.2), bare LF and
/// CR become CRLF, and the text ends with CRLF "." CRLF.
std::string dot_stuff(std::string_view message);

}  // namespace open311::mail
