#include "open311/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace open311 {
namespace {

std::string error_of(const SettingOverrides& flags, const std::vector<std::string>& env = {}) {
    try {
        (void)load_config(std::nullopt, env, flags);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(MailConfig, DefaultsSendNothingAndRequireTls) {
    auto c = load_config(std::nullopt, {}, {});
    EXPECT_TRUE(c.mail.host.empty());
    EXPECT_EQ(c.mail.port, 25);
    EXPECT_EQ(c.mail.starttls, StartTls::required);
    EXPECT_TRUE(c.mail.tls_verify);
    EXPECT_FALSE(c.mail.auth_without_tls);
    EXPECT_LE(c.mail.retry_initial, c.mail.retry_max);
}

TEST(MailConfig, FileSetsEverySetting) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("open311_mail_config_" + std::to_string(::getpid()) + ".toml"))
                          .string();
    std::ofstream(path) << "[mail]\nhost = \"smtp.example.org\"\nport = 587\n"
                           "sender = \"noreply@example.org\"\nhelo_name = \"open311.example.org\"\n"
                           "starttls = \"opportunistic\"\ntls_verify = false\n"
                           "ca_file = \"/etc/ca.pem\"\nusername = \"u\"\n"
                           "auth_without_tls = true\ntimeout_seconds = 5\npoll_seconds = 7\n"
                           "retry_initial_seconds = 30\nretry_max_seconds = 600\n"
                           "max_attempts = 4\ntemplates_dir = \"/etc/open311d/mail\"\n";
    auto c = load_config(path, {"OPEN311_MAIL_PASSWORD=from-env"}, {});
    std::filesystem::remove(path);
    EXPECT_EQ(c.mail.host, "smtp.example.org");
    EXPECT_EQ(c.mail.port, 587);
    EXPECT_EQ(c.mail.sender, "noreply@example.org");
    EXPECT_EQ(c.mail.helo_name, "open311.example.org");
    EXPECT_EQ(c.mail.starttls, StartTls::opportunistic);
    EXPECT_FALSE(c.mail.tls_verify);
    EXPECT_EQ(c.mail.ca_file, "/etc/ca.pem");
    EXPECT_EQ(c.mail.username, "u");
    EXPECT_EQ(c.mail.password, "from-env");
    EXPECT_TRUE(c.mail.auth_without_tls);
    EXPECT_EQ(c.mail.timeout, std::chrono::seconds(5));
    EXPECT_EQ(c.mail.poll_interval, std::chrono::seconds(7));
    EXPECT_EQ(c.mail.retry_initial, std::chrono::seconds(30));
    EXPECT_EQ(c.mail.retry_max, std::chrono::seconds(600));
    EXPECT_EQ(c.mail.max_attempts, 4);
    EXPECT_EQ(c.mail_templates_dir, "/etc/open311d/mail");
}

TEST(MailConfig, HostFromTheEnvironmentOrAFileNeedsSender) {
    EXPECT_NE(error_of({}, {"OPEN311_MAIL_HOST=relay.example.org"}).find("mail.sender"),
              std::string::npos);
    EXPECT_EQ(error_of({}, {"OPEN311_MAIL_HOST=relay.example.org", "OPEN311_MAIL_SENDER=a@b.org"}),
              "");
    EXPECT_EQ(error_of({{"mail.host", "localhost"}, {"mail.sender", "a@b.org"}}), "");
}

TEST(MailConfig, ARelayOnTheCommandLineAloneGetsTheLocalSender) {
    // `serve --smtp HOST:PORT` names only mail.host (and mail.port).
    auto c = load_config(std::nullopt, {}, {{"mail.host", "localhost"}, {"mail.port", "2525"}});
    EXPECT_EQ(c.mail.sender, kLocalRelaySender);
    // A sender named anywhere else still wins.
    c = load_config(
        std::nullopt, {"OPEN311_MAIL_SENDER=city@example.org"}, {{"mail.host", "localhost"}});
    EXPECT_EQ(c.mail.sender, "city@example.org");
}

TEST(MailConfig, InvalidValuesAreNamed) {
    EXPECT_NE(error_of({{"mail.starttls", "yes"}}).find("'mail.starttls'"), std::string::npos);
    EXPECT_NE(error_of({{"mail.port", "0"}}).find("'mail.port'"), std::string::npos);
    EXPECT_NE(error_of({{"mail.sender", "Name <a@b.org>"}}).find("'mail.sender'"),
              std::string::npos);
    EXPECT_NE(error_of({{"mail.host", "smtp.example.org:25"}}).find("'mail.host'"),
              std::string::npos);
    EXPECT_NE(error_of({{"mail.max_attempts", "0"}}).find("'mail.max_attempts'"),
              std::string::npos);
    EXPECT_NE(error_of({{"mail.retry_initial_seconds", "100"}, {"mail.retry_max_seconds", "10"}})
                  .find("mail.retry_initial_seconds"),
              std::string::npos);
}

TEST(MailConfig, PasswordIsNeverEchoed) {
    const auto error = error_of({}, {"OPEN311_MAIL_PASSWORD=top\nsecret"});
    EXPECT_NE(error.find("'mail.password'"), std::string::npos);
    EXPECT_EQ(error.find("secret"), std::string::npos) << error;
}

TEST(MailConfig, BracketedIpv6Host) {
    auto c = load_config(std::nullopt, {}, {{"mail.host", "[::1]"}, {"mail.sender", "a@b.org"}});
    EXPECT_EQ(c.mail.host, "::1");
}

}  // namespace
}  // namespace open311
