// Notification e-mail: the outbox sender against a real SMTP sink on loopback.
#include "mail/outbox_sender.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/child_process.hpp"
#include "support/server_fixture.hpp"
#include "support/smtp_sink.hpp"
#include "support/tls_client.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace open311::test {
namespace {

using namespace std::chrono_literals;

const std::string kSender = "noreply@feedback.example.org";
const std::string kRecipient = "asukas@example.fi";

MailSettings sink_settings(std::uint16_t port) {
    MailSettings s;
    s.host = "127.0.0.1";
    s.port = port;
    s.sender = kSender;
    s.helo_name = "open311d.test";
    s.starttls = StartTls::off;
    s.timeout = 5s;
    s.poll_interval = 100ms;
    s.retry_initial = 1s;
    s.retry_max = 2s;
    s.max_attempts = 3;
    return s;
}

/// Puts one message for `request_id` into the outbox the way a request change does.
void queue_message(TestServer& server,
                   const std::string& request_id,
                   const std::string& subject,
                   const std::string& body) {
    Notification n;
    n.request_id = request_id;
    n.kind = "request-processed";
    n.recipient = kRecipient;
    n.subject = subject;
    n.body = body;
    n.created_at = now();
    n.next_attempt_at = n.created_at;
    RequestChange change;
    change.request_id = request_id;
    change.notifications.push_back(n);
    ASSERT_EQ(server.store().commit_request_change(change), ChangeOutcome::applied);
}

/// The request's only outbox message, once `done` holds for it.
Notification wait_notification(TestServer& server,
                               const std::string& request_id,
                               const std::function<bool(const Notification&)>& done) {
    Notification last;
    wait_until([&] {
        auto list = server.store().list_request_notifications(request_id);
        if (list.size() != 1) {
            return false;
        }
        last = list.front();
        return done(last);
    });
    return last;
}

bool is_sent(const Notification& n) {
    return n.state == DeliveryState::sent;
}

bool is_failed(const Notification& n) {
    return n.state == DeliveryState::failed;
}

TEST(Mail, DeliversOutboxMessageWithHeadersAndUtf8Subject) {
    TestServer server;
    TempDir dir;
    SmtpSink sink(dir.path());
    mail::OutboxSender sender(server.store(), sink_settings(sink.port()));
    sender.start();

    const auto id = server.submit();
    const std::string subject = "Palautteesi on käsitelty — Ärrä ja öljy (" + id + ")";
    const std::string body = "Hei,\n\n.alkaa pisteellä\n.\nKiitos palautteesta: äöå €\n";
    queue_message(server, id, subject, body);

    auto got = sink.wait_delivered(1);
    ASSERT_EQ(got.size(), 1U);
    const auto& m = got.front();
    EXPECT_EQ(m["mail_from"], kSender);
    EXPECT_EQ(m["rcpt_tos"], nlohmann::json::array({kRecipient}));
    // Python's email package gives the addresses as parsed from the headers.
    EXPECT_EQ(m["headers"]["From"], kSender);
    EXPECT_EQ(m["headers"]["To"], kRecipient);
    EXPECT_EQ(m["headers"]["Subject"], subject);
    EXPECT_EQ(m["headers"]["MIME-Version"], "1.0");
    EXPECT_EQ(m["headers"]["Content-Type"], "text/plain; charset=\"UTF-8\"");
    EXPECT_EQ(m["headers"]["Content-Transfer-Encoding"], "base64");
    EXPECT_FALSE(m["headers"]["Date"].get<std::string>().empty());
    EXPECT_NE(m["headers"]["Message-ID"].get<std::string>().find("@feedback.example.org>"),
              std::string::npos);
    EXPECT_EQ(m["body"], body);
    EXPECT_EQ(m["tls"], false);

    auto n = wait_notification(server, id, is_sent);
    EXPECT_EQ(n.state, DeliveryState::sent);
    EXPECT_EQ(n.attempts, 1);
    EXPECT_TRUE(n.sent_at.has_value());
    EXPECT_EQ(n.last_error, "");
}

TEST(Mail, FirstAttemptDeferredIsDeliveredOnceAfterRetry) {
    TestServer server;
    TempDir dir;
    SmtpSinkOptions options;
    options.fail_data = 1;
    SmtpSink sink(dir.path(), options);
    mail::OutboxSender sender(server.store(), sink_settings(sink.port()));
    sender.start();

    const auto id = server.submit();
    queue_message(server, id, "Retry", "Body");

    // After the 451 the message waits for its retry with the error recorded.
    auto deferred = wait_notification(
        server, id, [](const Notification& n) { return n.attempts == 1 && !n.last_error.empty(); });
    EXPECT_EQ(deferred.state, DeliveryState::pending);
    EXPECT_NE(deferred.last_error.find("451"), std::string::npos) << deferred.last_error;
    EXPECT_GT(deferred.next_attempt_at, deferred.created_at);

    auto n = wait_notification(server, id, is_sent);
    ASSERT_EQ(n.state, DeliveryState::sent);
    EXPECT_EQ(n.attempts, 2);
    EXPECT_EQ(n.last_error, "");
    // Let any wrong extra attempt happen before counting.
    sender.stop();
    auto events = sink.events();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0]["event"], "deferred");
    EXPECT_EQ(events[1]["event"], "delivered");
}

TEST(Mail, PermanentRejectionFailsForGoodWithoutRetry) {
    TestServer server;
    TempDir dir;
    SmtpSinkOptions options;
    options.reject_rcpt = true;
    SmtpSink sink(dir.path(), options);
    mail::OutboxSender sender(server.store(), sink_settings(sink.port()));
    sender.start();

    const auto id = server.submit();
    queue_message(server, id, "Rejected", "Body");

    auto n = wait_notification(server, id, is_failed);
    ASSERT_EQ(n.state, DeliveryState::failed);
    EXPECT_EQ(n.attempts, 1);
    EXPECT_NE(n.last_error.find("550"), std::string::npos) << n.last_error;
    EXPECT_FALSE(n.sent_at.has_value());
    sender.stop();
    EXPECT_TRUE(sink.delivered().empty());
}

TEST(Mail, RelayDownIsRetriedThenFailsAfterMaxAttempts) {
    TestServer server;
    TempDir dir;
    std::uint16_t port = 0;
    {
        SmtpSink gone(dir.path());
        port = gone.port();
    }  // nothing listens there any more
    auto settings = sink_settings(port);
    settings.max_attempts = 2;
    mail::OutboxSender sender(server.store(), settings);
    sender.start();

    const auto id = server.submit();
    queue_message(server, id, "Nobody home", "Body");

    auto first = wait_notification(
        server, id, [](const Notification& n) { return n.attempts == 1 && !n.last_error.empty(); });
    EXPECT_EQ(first.state, DeliveryState::pending);
    EXPECT_NE(first.last_error.find("connect"), std::string::npos) << first.last_error;

    auto n = wait_notification(server, id, is_failed);
    EXPECT_EQ(n.state, DeliveryState::failed);
    EXPECT_EQ(n.attempts, 2);
    // The server still answers.
    EXPECT_EQ(server.client().get(server.base() + "/services.json").status, 200);
}

TEST(Mail, SilentRelayTimesOut) {
    // A listening socket that never accepts: the connection completes in the backlog and the
    // greeting never comes.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
    ASSERT_EQ(listen(fd, 8), 0);
    ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

    TestServer server;
    auto settings = sink_settings(ntohs(addr.sin_port));
    settings.timeout = 300ms;
    settings.max_attempts = 1;
    mail::OutboxSender sender(server.store(), settings);
    sender.start();
    const auto id = server.submit();
    queue_message(server, id, "Silence", "Body");

    auto n = wait_notification(server, id, is_failed);
    EXPECT_EQ(n.state, DeliveryState::failed);
    EXPECT_NE(n.last_error.find("timeout during read"), std::string::npos) << n.last_error;
    sender.stop();
    close(fd);
}

TEST(Mail, StartTlsRequiredButNotOfferedSendsNothing) {
    TestServer server;
    TempDir dir;
    SmtpSink sink(dir.path());
    auto settings = sink_settings(sink.port());
    settings.starttls = StartTls::required;
    settings.max_attempts = 1;
    mail::OutboxSender sender(server.store(), settings);
    sender.start();

    const auto id = server.submit();
    queue_message(server, id, "Secret", "Body");

    auto n = wait_notification(server, id, is_failed);
    EXPECT_EQ(n.state, DeliveryState::failed);
    EXPECT_NE(n.last_error.find("STARTTLS"), std::string::npos) << n.last_error;
    sender.stop();
    EXPECT_TRUE(sink.events().empty());
}

TEST(Mail, StartTlsWithVerifiedCertificateAndAuth) {
    TestServer server;
    TempDir dir;
    auto [cert, key] = make_test_certificate(dir.path());
    SmtpSinkOptions options;
    options.tls_cert = cert;
    options.tls_key = key;
    options.auth = "open311d:s3cret";
    SmtpSink sink(dir.path(), options);
    auto settings = sink_settings(sink.port());
    settings.starttls = StartTls::required;
    settings.ca_file = cert;
    settings.username = "open311d";
    settings.password = "s3cret";
    mail::OutboxSender sender(server.store(), settings);
    sender.start();

    const auto id = server.submit();
    queue_message(server, id, "Over TLS", "Salattu");

    auto got = sink.wait_delivered(1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0]["tls"], true);
    EXPECT_EQ(got[0]["login"], "open311d");
    EXPECT_EQ(got[0]["body"], "Salattu");
    EXPECT_EQ(wait_notification(server, id, is_sent).state, DeliveryState::sent);
}

TEST(Mail, UntrustedCertificateIsRefused) {
    TestServer server;
    TempDir dir;
    auto [cert, key] = make_test_certificate(dir.path());
    SmtpSinkOptions options;
    options.tls_cert = cert;
    options.tls_key = key;
    SmtpSink sink(dir.path(), options);
    auto settings = sink_settings(sink.port());
    settings.starttls = StartTls::required;
    settings.max_attempts = 1;  // the system CAs do not know the test certificate
    mail::OutboxSender sender(server.store(), settings);
    sender.start();

    const auto id = server.submit();
    queue_message(server, id, "Over TLS", "Body");

    auto n = wait_notification(server, id, is_failed);
    EXPECT_NE(n.last_error.find("TLS handshake"), std::string::npos) << n.last_error;
    sender.stop();
    EXPECT_TRUE(sink.delivered().empty());
}

TEST(Mail, ClosingRequestThroughStaffApiMailsSubmitterInTheirLocale) {
    TestServer server;
    TempDir dir;
    SmtpSink sink(dir.path());
    mail::OutboxSender sender(server.store(), sink_settings(sink.port()));
    sender.start();

    const auto id = server.submit({{"email", kRecipient}, {"locale", "fi"}});
    auto r = server.client().request(
        "PATCH",
        "/admin/v1/requests/" + id,
        R"({"status": "closed", "detailed_status": "PROCESSED", "status_notes": "Korjattu."})",
        {{"Authorization", "Bearer " + server.staff_key}, {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;

    auto got = sink.wait_delivered(1);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0]["rcpt_tos"], nlohmann::json::array({kRecipient}));
    EXPECT_EQ(got[0]["headers"]["Subject"], "Palautteesi on käsitelty (" + id + ")");
    const auto body = got[0]["body"].get<std::string>();
    EXPECT_NE(body.find("Korjattu."), std::string::npos) << body;
    EXPECT_NE(body.find("Palautteen tunnus: " + id), std::string::npos) << body;

    // The delivery is visible to staff.
    wait_notification(server, id, is_sent);
    auto staff = server.client().get("/admin/v1/requests/" + id,
                                     {{"Authorization", "Bearer " + server.staff_key}});
    ASSERT_EQ(staff.status, 200) << staff.body;
    auto notifications = staff.json()["notifications"];
    ASSERT_EQ(notifications.size(), 1U);
    EXPECT_EQ(notifications[0]["state"], "sent");
    EXPECT_EQ(notifications[0]["attempts"], 1);
}

TEST(MailServe, SmtpFlagDeliversWhatWaitsInTheOutbox) {
    TempDir dir;
    SmtpSink sink(dir.path());
    const std::string db = dir.path() + "/serve.db";
    std::string id;
    {
        // Written while no sender runs: it waits, pending, for a server with a relay.
        TestServer server([&db](Config& c) { c.db_path = db; });
        id = server.submit();
        queue_message(server, id, "Waiting", "Body");
        EXPECT_EQ(server.store().list_request_notifications(id).at(0).state,
                  DeliveryState::pending);
    }
    ChildProcess serve({OPEN311_BINARY,
                        "serve",
                        "--listen",
                        "127.0.0.1:0",
                        "--db",
                        db,
                        "--smtp",
                        "127.0.0.1:" + std::to_string(sink.port())},
                       {"OPEN311_MAIL_SENDER=" + kSender, "OPEN311_MAIL_STARTTLS=off"},
                       dir.path(),
                       "serve");
    auto got = sink.wait_delivered(1);
    ASSERT_EQ(got.size(), 1U) << serve.err();
    EXPECT_EQ(got[0]["headers"]["Subject"], "Waiting");
    EXPECT_EQ(serve.terminate(), 0) << serve.err();
    EXPECT_NE(serve.err().find("mail: outbox 1 (request " + id), std::string::npos) << serve.err();
    // Personal data stays out of the log.
    EXPECT_EQ(serve.err().find(kRecipient), std::string::npos) << serve.err();

    store::SqliteStore store(db, "normal");
    auto list = store.list_request_notifications(id);
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0].state, DeliveryState::sent);
}

TEST(MailServe, ARelayOnTheCommandLineAloneIsEnoughToServe) {
    // README: `open311d serve --smtp HOST:PORT`; a local relay gets a default sender.
    TempDir dir;
    ChildProcess serve({OPEN311_BINARY,
                        "serve",
                        "--listen",
                        "127.0.0.1:0",
                        "--db",
                        dir.path() + "/x.db",
                        "--smtp",
                        "127.0.0.1:25"},
                       {},
                       dir.path(),
                       "serve");
    const auto line = serve.wait_for_line("listening on", std::chrono::seconds(20));
    EXPECT_NE(line.find("listening on"), std::string::npos) << serve.err();
    EXPECT_EQ(serve.terminate(), 0) << serve.err();
}

TEST(MailServe, ARelayFromTheEnvironmentWithoutSenderIsAConfigurationError) {
    TempDir dir;
    ChildProcess serve(
        {OPEN311_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", dir.path() + "/x.db"},
        {"OPEN311_MAIL_HOST=127.0.0.1"},
        dir.path(),
        "serve");
    EXPECT_EQ(serve.wait(), 2);
    EXPECT_NE(serve.err().find("mail.sender"), std::string::npos) << serve.err();
}

}  // namespace
}  // namespace open311::test
