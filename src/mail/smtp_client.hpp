#pragma once

#include "mail/message.hpp"

#include "open311/config.hpp"

#include <memory>
#include <string>

namespace open311::mail {

/// How one delivery attempt ended.
enum class SendStatus {
    sent,       ///< the relay accepted the message (250 after DATA)
    transient,  ///< try again later: 4xx, connection or TLS trouble, a timeout, our settings
    permanent,  ///< 5xx to MAIL, RCPT or DATA, or an address that cannot be sent to
};

struct SendResult {
    SendStatus status = SendStatus::sent;
    std::string error;  ///< what went wrong (may quote the relay, which may quote the address)
};

/// An SMTP client (RFC 5321) for one relay: one connection per message, EHLO (HELO when the
/// relay does not speak ESMTP), STARTTLS by the configured policy, AUTH PLAIN or LOGIN when
/// credentials are set, and a timeout on every step. Blocking; one thread at a time.
class SmtpClient final {
public:
    /// Reads the CA file when one is configured; throws std::runtime_error when it cannot.
    explicit SmtpClient(const MailSettings& settings);
    ~SmtpClient();
    SmtpClient(const SmtpClient&) = delete;
    SmtpClient& operator=(const SmtpClient&) = delete;

    /// Delivers one message; never throws for network or protocol trouble.
    SendResult send(const MailMessage& message);

private:
    struct Tls;
    MailSettings settings_;
    std::string helo_name_;
    std::unique_ptr<Tls> tls_;
};

}  // namespace open311::mail
