// [mail]: the SMTP relay the outbox delivers notifications to, and the delivery retries.
#include "config/settings.hpp"
#include "mail/message.hpp"

namespace open311::config {
namespace {

void apply_host(Config& c, const std::string& key, const std::string& value) {
    if (value.find_first_of(" \t\r\n/:") != std::string::npos &&
        !(value.front() == '[' && value.back() == ']')) {
        invalid(key, value, "expected a host name or IP address");
    }
    c.mail.host =
        value.size() > 2 && value.front() == '[' ? value.substr(1, value.size() - 2) : value;
}

void apply_sender(Config& c, const std::string& key, const std::string& value) {
    if (!value.empty() && !mail::is_valid_address(value)) {
        invalid(key, value, "expected a bare e-mail address such as noreply@example.org");
    }
    c.mail.sender = value;
}

void apply_helo_name(Config& c, const std::string& key, const std::string& value) {
    if (value.find_first_of(" \t\r\n") != std::string::npos) {
        invalid(key, value, "expected a host name");
    }
    c.mail.helo_name = value;
}

/// A credential: one line, and never echoed in an error (the value shows as "…").
template <typename... Path>
Applier credential(Path... path) {
    return [=](Config& c, const std::string& key, const std::string& value) {
        if (value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
            invalid(key, "…", "line breaks are not allowed");
        }
        member(c, path...) = value;
    };
}

}  // namespace

void add_mail_settings(SettingTable& table) {
    const auto mail = &Config::mail;
    table.insert({
        {"mail.templates_dir", text(&Config::mail_templates_dir)},
        {"mail.host", apply_host},
        {"mail.port", whole_number<std::uint16_t>(1, 65535, mail, &MailSettings::port)},
        {"mail.sender", apply_sender},
        {"mail.helo_name", apply_helo_name},
        {"mail.starttls",
         one_of<StartTls>({{"required", StartTls::required},
                           {"opportunistic", StartTls::opportunistic},
                           {"off", StartTls::off}},
                          mail,
                          &MailSettings::starttls)},
        {"mail.tls_verify", flag(mail, &MailSettings::tls_verify)},
        {"mail.ca_file", text(mail, &MailSettings::ca_file)},
        {"mail.username", credential(mail, &MailSettings::username)},
        {"mail.password", credential(mail, &MailSettings::password)},
        {"mail.auth_without_tls", flag(mail, &MailSettings::auth_without_tls)},
        {"mail.timeout_seconds", seconds(1, 600, mail, &MailSettings::timeout)},
        {"mail.poll_seconds", seconds(1, 3600, mail, &MailSettings::poll_interval)},
        {"mail.retry_initial_seconds", seconds(1, 86400, mail, &MailSettings::retry_initial)},
        {"mail.retry_max_seconds", seconds(1, 7 * 86400, mail, &MailSettings::retry_max)},
        {"mail.max_attempts", whole_number(1, 1000, mail, &MailSettings::max_attempts)},
    });
}

void check_mail_settings(const Config& config) {
    if (!config.mail.host.empty() && config.mail.sender.empty()) {
        throw ConfigError("missing setting 'mail.sender': required when mail.host is set");
    }
    if (config.mail.retry_initial > config.mail.retry_max) {
        throw ConfigError(
            "invalid value for setting 'mail.retry_initial_seconds': larger than "
            "mail.retry_max_seconds");
    }
}

}  // namespace open311::config
