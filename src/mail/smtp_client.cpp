// SMTP over Boost.Asio. Every step is an async operation driven by io_context::run_for, so a
// silent or slow relay costs at most the configured timeout per step and never hangs the
// sender; the thread stays blocked only in this client, never in the HTTP server.
#include "mail/smtp_client.hpp"

#include "mail/smtp_reply.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <optional>
#include <stdexcept>

namespace open311::mail {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct SmtpClient::Tls {
    asio::ssl::context context{asio::ssl::context::tls_client};
};

namespace {

// RFC 5321 4.5.3.1.5: a reply line is at most 512 octets; allow generous slack.
constexpr std::size_t kMaxLineBytes = 4096;

/// A failed step; `permanent` only for the relay's 5xx about this very message.
struct Failure {
    bool permanent = false;
    std::string what;
};

class Session final {
public:
    Session(const MailSettings& settings, asio::ssl::context& tls, const std::string& helo)
        : settings_(settings), helo_(helo), stream_(ioc_, tls) {}

    void deliver(const MailMessage& message) {
        connect();
        expect(read_reply(), "greeting", false);
        auto ehlo = hello();
        ehlo = maybe_starttls(std::move(ehlo));
        authenticate(ehlo);
        expect(command("MAIL FROM:<" + message.from + ">", "MAIL FROM"), "MAIL FROM", true);
        expect(command("RCPT TO:<" + message.to + ">", "RCPT TO"), "RCPT TO", true);
        auto data = command("DATA", "DATA");
        if (data.code != 354) {
            expect(data, "DATA", true);
            fail(true, "DATA", data);
        }
        write(dot_stuff(build_message(message)), "message");
        expect(read_reply(), "end of data", true);
        quit();
    }

private:
    template <typename Start>
    void run(const char* what, Start&& start) {
        std::optional<error_code> result;
        ioc_.restart();
        start([&result](error_code ec, auto&&...) { result = ec; });
        ioc_.run_for(settings_.timeout);
        if (!result) {
            // Closing the socket aborts the pending operation; run its handler to completion.
            error_code ignored;
            stream_.next_layer().close(ignored);
            ioc_.restart();
            ioc_.run();
            throw Failure{false, std::string("timeout during ") + what};
        }
        if (*result) {
            throw Failure{false, std::string(what) + ": " + result->message()};
        }
    }

    void connect() {
        tcp::resolver resolver(ioc_);
        tcp::resolver::results_type endpoints;
        run("resolve", [&](auto handler) {
            resolver.async_resolve(
                settings_.host,
                std::to_string(settings_.port),
                [&endpoints, handler](error_code ec, tcp::resolver::results_type r) mutable {
                    endpoints = std::move(r);
                    handler(ec);
                });
        });
        run("connect",
            [&](auto handler) { asio::async_connect(stream_.next_layer(), endpoints, handler); });
    }

    std::string read_line() {
        std::size_t n = 0;
        run("read", [&](auto handler) {
            auto on_read = [&n, handler](error_code ec, std::size_t bytes) mutable {
                n = bytes;
                handler(ec);
            };
            auto buffer = asio::dynamic_buffer(buffer_, kMaxLineBytes);
            if (secure_) {
                asio::async_read_until(stream_, buffer, "\r\n", on_read);
            } else {
                asio::async_read_until(stream_.next_layer(), buffer, "\r\n", on_read);
            }
        });
        std::string line = buffer_.substr(0, n - 2);
        buffer_.erase(0, n);
        return line;
    }

    SmtpReply read_reply() {
        ReplyParser parser;
        try {
            while (!parser.feed(read_line())) {
            }
        } catch (const std::runtime_error& e) {
            throw Failure{false, e.what()};
        }
        return parser.take();
    }

    void write(const std::string& text, const char* what) {
        run(what, [&](auto handler) {
            if (secure_) {
                asio::async_write(stream_, asio::buffer(text), handler);
            } else {
                asio::async_write(stream_.next_layer(), asio::buffer(text), handler);
            }
        });
    }

    SmtpReply command(const std::string& line, const char* what) {
        write(line + "\r\n", what);
        return read_reply();
    }

    [[noreturn]] static void fail(bool permanent, const char* what, const SmtpReply& reply) {
        throw Failure{permanent, std::string(what) + ": " + reply.summary()};
    }

    /// 2xx/3xx pass. Only a 5xx to a step about this message (`about_message`) is permanent:
    /// a 5xx in the greeting, EHLO or AUTH means the relay or our settings are wrong, and the
    /// message must wait until that is fixed rather than be dropped.
    static void expect(const SmtpReply& reply, const char* what, bool about_message) {
        if (reply.positive()) {
            return;
        }
        fail(about_message && !reply.transient(), what, reply);
    }

    SmtpReply hello() {
        auto ehlo = command("EHLO " + helo_, "EHLO");
        if (ehlo.positive()) {
            esmtp_ = true;
            return ehlo;
        }
        auto helo = command("HELO " + helo_, "HELO");
        expect(helo, "HELO", false);
        return helo;
    }

    SmtpReply maybe_starttls(SmtpReply ehlo) {
        if (settings_.starttls == StartTls::off) {
            return ehlo;
        }
        const bool required = settings_.starttls == StartTls::required;
        if (!esmtp_ || !has_extension(ehlo, "STARTTLS")) {
            if (required) {
                throw Failure{false,
                              "the relay does not offer STARTTLS (mail.starttls = required)"};
            }
            return ehlo;
        }
        auto reply = command("STARTTLS", "STARTTLS");
        if (reply.code != 220) {
            if (required) {
                fail(false, "STARTTLS", reply);
            }
            return ehlo;
        }
        if (settings_.tls_verify) {
            stream_.set_verify_mode(asio::ssl::verify_peer);
            stream_.set_verify_callback(asio::ssl::host_name_verification(settings_.host));
        } else {
            stream_.set_verify_mode(asio::ssl::verify_none);
        }
        // SNI, for relays that serve several names; not sent for an IP address.
        error_code ec;
        asio::ip::make_address(settings_.host, ec);
        if (ec) {
            SSL_set_tlsext_host_name(stream_.native_handle(), settings_.host.c_str());
        }
        run("TLS handshake", [&](auto handler) {
            stream_.async_handshake(asio::ssl::stream_base::client, handler);
        });
        secure_ = true;
        // RFC 3207 4.2: forget everything learned before TLS, including unread input.
        buffer_.clear();
        auto again = command("EHLO " + helo_, "EHLO");
        expect(again, "EHLO after STARTTLS", false);
        return again;
    }

    void authenticate(const SmtpReply& ehlo) {
        if (settings_.username.empty()) {
            return;
        }
        if (!secure_ && !settings_.auth_without_tls) {
            throw Failure{false,
                          "refusing to send credentials without TLS (mail.auth_without_tls)"};
        }
        if (offers_auth(ehlo, "PLAIN")) {
            std::string token;
            token += '\0';
            token += settings_.username;
            token += '\0';
            token += settings_.password;
            expect_code(command("AUTH PLAIN " + base64(token), "AUTH"), 235, "AUTH PLAIN");
            return;
        }
        if (offers_auth(ehlo, "LOGIN")) {
            expect_code(command("AUTH LOGIN", "AUTH"), 334, "AUTH LOGIN");
            expect_code(command(base64(settings_.username), "AUTH"), 334, "AUTH LOGIN");
            expect_code(command(base64(settings_.password), "AUTH"), 235, "AUTH LOGIN");
            return;
        }
        throw Failure{false, "the relay offers neither AUTH PLAIN nor AUTH LOGIN"};
    }

    static void expect_code(const SmtpReply& reply, int code, const char* what) {
        if (reply.code != code) {
            fail(false, what, reply);
        }
    }

    void quit() {
        // The message is accepted already; a relay that drops the line here changes nothing.
        try {
            command("QUIT", "QUIT");
        } catch (const Failure&) {
        }
    }

    const MailSettings& settings_;
    const std::string& helo_;
    asio::io_context ioc_;
    asio::ssl::stream<tcp::socket> stream_;
    std::string buffer_;
    bool secure_ = false;
    bool esmtp_ = false;
};

std::string machine_name() {
    error_code ec;
    auto name = asio::ip::host_name(ec);
    return ec || name.empty() ? std::string("localhost") : name;
}

}  // namespace

SmtpClient::SmtpClient(const MailSettings& settings)
    : settings_(settings),
      helo_name_(settings.helo_name.empty() ? machine_name() : settings.helo_name),
      tls_(std::make_unique<Tls>()) {
    auto& context = tls_->context;
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1);
    error_code ec;
    if (settings_.ca_file.empty()) {
        context.set_default_verify_paths(ec);
    } else {
        context.load_verify_file(settings_.ca_file, ec);
    }
    if (ec) {
        throw std::runtime_error("cannot load the CA certificates for the mail relay: " +
                                 ec.message());
    }
}

SmtpClient::~SmtpClient() = default;

SendResult SmtpClient::send(const MailMessage& message) {
    if (!is_valid_address(message.from) || !is_valid_address(message.to)) {
        return {SendStatus::permanent, "not a deliverable address"};
    }
    try {
        Session session(settings_, tls_->context, helo_name_);
        session.deliver(message);
        return {SendStatus::sent, {}};
    } catch (const Failure& f) {
        return {f.permanent ? SendStatus::permanent : SendStatus::transient, f.what};
    } catch (const std::exception& e) {
        return {SendStatus::transient, e.what()};
    }
}

}  // namespace open311::mail
