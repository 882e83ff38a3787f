#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace open311::mail {

/// One SMTP reply (RFC 5321 4.2): a three-digit code and one or more lines of text.
struct SmtpReply {
    int code = 0;
    std::vector<std::string> lines;  ///< the text after "NNN " or "NNN-" of each line

    bool positive() const { return code >= 200 && code < 400; }
    bool transient() const { return code >= 400 && code < 500; }
    /// The code and the text of every line, for error records ("451 try again later").
    std::string summary() const;
};

/// Assembles a reply from its lines, "250-first" … "250 last".
class ReplyParser final {
public:
    /// Feeds one line without its CRLF; true when the reply is complete. Throws
    /// std::runtime_error for a line that is not a reply line or a code that changes
    /// between the lines of one reply.
    bool feed(std::string_view line);
    /// The completed reply; resets the parser.
    SmtpReply take();

private:
    SmtpReply reply_;
};

/// True when an EHLO reply lists the extension `keyword` (case-insensitive).
bool has_extension(const SmtpReply& ehlo, std::string_view keyword);
/// True when an EHLO reply's AUTH line lists `mechanism` (case-insensitive).
bool offers_auth(const SmtpReply& ehlo, std::string_view mechanism);

}  // namespace open311::mail
