#include "open311/config.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace open311 {
namespace {

/// A TOML file in the temp directory, removed when the test ends.
class TempToml {
public:
    explicit TempToml(const std::string& text) {
        static std::atomic<int> counter{0};
        path_ = (std::filesystem::temp_directory_path() /
                 ("open311_config_test_" + std::to_string(::getpid()) + "_" +
                  std::to_string(counter++) + ".toml"))
                    .string();
        std::ofstream(path_) << text;
    }
    ~TempToml() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempToml(const TempToml&) = delete;
    TempToml& operator=(const TempToml&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

/// The ConfigError message, or "" when loading succeeded.
std::string error_of(const std::optional<std::string>& file,
                     const std::vector<std::string>& env,
                     const SettingOverrides& flags) {
    try {
        (void)load_config(file, env, flags);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(Config, Defaults) {
    auto c = load_config(std::nullopt, {}, {});
    EXPECT_EQ(c.listen_host, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 8080);
    EXPECT_EQ(c.base_path, "/open311/v2");
    EXPECT_EQ(c.jurisdictions, std::vector<std::string>{"hel.fi"});
    EXPECT_EQ(c.max_body_bytes, 1024U * 1024U);
    EXPECT_EQ(c.max_multipart_bytes, 64U * 1024U * 1024U);
    EXPECT_EQ(c.profile.name, "georeport-v2");
    EXPECT_EQ(c.profile.max_results, 1000);
    EXPECT_EQ(c.profile.radius_unit, RadiusUnit::metres);
    EXPECT_EQ(c.profile.pending_by_id, PendingVisibility::partial);
    EXPECT_EQ(c.profile.post_response_json, JsonShape::array);
    EXPECT_EQ(c.profile.single_request_json, JsonShape::array);
    EXPECT_FALSE(c.profile.description_required);
    EXPECT_EQ(c.profile.description_max_length, 4000);
    EXPECT_TRUE(c.profile.accept_address_string);
    EXPECT_TRUE(c.profile.accept_address_id);
}

TEST(Config, ProfileNames) {
    EXPECT_TRUE(profile_by_name("georeport-v2").has_value());
    EXPECT_TRUE(profile_by_name("helsinki").has_value());
    EXPECT_FALSE(profile_by_name("Helsinki").has_value());
    EXPECT_FALSE(profile_by_name("").has_value());
    EXPECT_EQ(profile_names(), (std::vector<std::string>{"georeport-v2", "helsinki"}));
}

TEST(Config, HelsinkiProfileValues) {
    auto c = load_config(std::nullopt, {}, {{"api.profile", "helsinki"}});
    EXPECT_EQ(c.profile.name, "helsinki");
    EXPECT_EQ(c.profile.max_results, 200);
    EXPECT_EQ(c.profile.radius_unit, RadiusUnit::kilometres);
    EXPECT_EQ(c.profile.pending_by_id, PendingVisibility::hidden);
    EXPECT_EQ(c.profile.post_response_json, JsonShape::array);
    EXPECT_EQ(c.profile.single_request_json, JsonShape::array);
    EXPECT_TRUE(c.profile.description_required);
    EXPECT_EQ(c.profile.description_min_length, 10);
    EXPECT_EQ(c.profile.description_max_length, 5000);
    EXPECT_FALSE(c.profile.accept_address_string);
    EXPECT_FALSE(c.profile.accept_address_id);
}

TEST(Config, FileSetsValues) {
    TempToml file(
        "[server]\nlisten = \"0.0.0.0:9000\"\nbase_path = \"/api\"\n"
        "[api]\njurisdictions = [\"hel.fi\", \"espoo.fi\"]\nmax_results = 50\n"
        "[database]\npath = \"/tmp/x.db\"\ndemo = true\n");
    auto c = load_config(file.path(), {}, {});
    EXPECT_EQ(c.listen_host, "0.0.0.0");
    EXPECT_EQ(c.listen_port, 9000);
    EXPECT_EQ(c.base_path, "/api");
    EXPECT_EQ(c.jurisdictions, (std::vector<std::string>{"hel.fi", "espoo.fi"}));
    EXPECT_EQ(c.profile.max_results, 50);
    EXPECT_EQ(c.db_path, "/tmp/x.db");
    EXPECT_TRUE(c.demo);
}

TEST(Config, FileLessThanEnvironmentLessThanFlags) {
    TempToml file(
        "[server]\nlisten = \"127.0.0.1:1001\"\n[database]\npath = \"file.db\"\n[log]\nlevel = "
        "\"warn\"\n");
    const std::vector<std::string> env = {"OPEN311_SERVER_LISTEN=127.0.0.1:1002",
                                          "OPEN311_DATABASE_PATH=env.db",
                                          "PATH=/usr/bin",
                                          "HOME=/root"};
    auto c = load_config(file.path(), env, {{"server.listen", "127.0.0.1:1003"}});
    EXPECT_EQ(c.listen_port, 1003);  // flag beats env and file
    EXPECT_EQ(c.db_path, "env.db");  // env beats file
    EXPECT_EQ(c.log_level, "warn");  // file beats default
    auto without_flag = load_config(file.path(), env, {});
    EXPECT_EQ(without_flag.listen_port, 1002);
}

TEST(Config, UnknownKeyInFileIsNamed) {
    TempToml file("[server]\nlisten = \"127.0.0.1:1\"\nlistne = \"oops\"\n");
    EXPECT_NE(error_of(file.path(), {}, {}).find("server.listne"), std::string::npos);
}

TEST(Config, UnknownSectionOrTopLevelKeyInFileIsNamed) {
    TempToml section("[sever]\nlisten = \"127.0.0.1:1\"\n");
    EXPECT_NE(error_of(section.path(), {}, {}).find("sever.listen"), std::string::npos);
    TempToml top("verbose = true\n");
    EXPECT_NE(error_of(top.path(), {}, {}).find("verbose"), std::string::npos);
}

TEST(Config, MalformedFileIsConfigError) {
    TempToml file("[server\nlisten = ");
    EXPECT_NE(error_of(file.path(), {}, {}), "");
    EXPECT_NE(error_of(std::string("/nonexistent/open311.toml"), {}, {}), "");
}

TEST(Config, UnknownEnvironmentVariableIsNamed) {
    EXPECT_NE(error_of(std::nullopt, {"OPEN311_SERVER_LISTNE=1"}, {}).find("OPEN311_SERVER_LISTNE"),
              std::string::npos);
}

TEST(Config, OtherEnvironmentVariablesAreIgnored) {
    EXPECT_EQ(error_of(std::nullopt, {"OPEN311X=1", "LANG=C", "OPEN311=1"}, {}), "");
}

TEST(Config, UnknownFlagKeyIsNamed) {
    EXPECT_NE(error_of(std::nullopt, {}, {{"server.nope", "1"}}).find("server.nope"),
              std::string::npos);
}

TEST(Config, InvalidListenIsNamed) {
    EXPECT_NE(error_of(std::nullopt, {}, {{"server.listen", "nope"}}).find("server.listen"),
              std::string::npos);
    EXPECT_NE(
        error_of(std::nullopt, {}, {{"server.listen", "127.0.0.1:99999"}}).find("server.listen"),
        std::string::npos);
    EXPECT_NE(
        error_of(std::nullopt, {}, {{"server.listen", "127.0.0.1:http"}}).find("server.listen"),
        std::string::npos);
}

TEST(Config, InvalidRadiusUnitIsNamed) {
    const auto message = error_of(std::nullopt, {}, {{"api.radius_unit", "miles"}});
    EXPECT_NE(message.find("api.radius_unit"), std::string::npos);
    EXPECT_NE(message.find("miles"), std::string::npos);
}

TEST(Config, InvalidValueFromEnvironmentIsNamed) {
    EXPECT_NE(error_of(std::nullopt, {"OPEN311_API_MAX_RESULTS=lots"}, {}).find("api.max_results"),
              std::string::npos);
}

TEST(Config, InvalidProfileIsNamed) {
    EXPECT_NE(error_of(std::nullopt, {}, {{"api.profile", "chicago"}}).find("api.profile"),
              std::string::npos);
}

TEST(Config, InvalidBooleanIsNamed) {
    EXPECT_NE(error_of(std::nullopt, {}, {{"database.demo", "perhaps"}}).find("database.demo"),
              std::string::npos);
}

TEST(Config, ListenAcceptsPortZeroAndIpv6) {
    auto c = load_config(std::nullopt, {}, {{"server.listen", "[::1]:0"}});
    EXPECT_EQ(c.listen_host, "::1");
    EXPECT_EQ(c.listen_port, 0);
}

TEST(Config, ExplicitSettingOverridesProfileDefault) {
    auto c = load_config(std::nullopt,
                         {},
                         {{"api.profile", "helsinki"},
                          {"api.max_results", "50"},
                          {"api.post_response_json", "object"}});
    EXPECT_EQ(c.profile.name, "helsinki");
    EXPECT_EQ(c.profile.max_results, 50);
    EXPECT_EQ(c.profile.post_response_json, JsonShape::object);
    EXPECT_EQ(c.profile.radius_unit, RadiusUnit::kilometres);  // the rest of the profile stays
}

TEST(Config, ExplicitSettingInFileOverridesProfileFromFlag) {
    TempToml file("[api]\nradius_unit = \"metres\"\n");
    auto c = load_config(file.path(), {}, {{"api.profile", "helsinki"}});
    EXPECT_EQ(c.profile.radius_unit, RadiusUnit::metres);
    EXPECT_EQ(c.profile.max_results, 200);
}

TEST(Config, LocationFieldsSetting) {
    auto c = load_config(std::nullopt, {}, {{"api.location_fields", "lat_long,address_string"}});
    EXPECT_TRUE(c.profile.accept_address_string);
    EXPECT_FALSE(c.profile.accept_address_id);
    EXPECT_NE(error_of(std::nullopt, {}, {{"api.location_fields", "lat_long,postcode"}})
                  .find("api.location_fields"),
              std::string::npos);
}

TEST(Config, DescriptionMinAboveMaxIsRefused) {
    EXPECT_NE(error_of(std::nullopt,
                       {},
                       {{"api.description_min_length", "50"}, {"api.description_max_length", "20"}})
                  .find("description_min_length"),
              std::string::npos);
}

TEST(Config, DefaultLocaleJoinsLocales) {
    auto c = load_config(std::nullopt, {}, {{"api.default_locale", "de"}});
    EXPECT_EQ(c.default_locale, "de");
    EXPECT_NE(std::find(c.locales.begin(), c.locales.end(), "de"), c.locales.end());
}

}  // namespace
}  // namespace open311

namespace open311 {

TEST(ConfigAliases, ShortEnvironmentNamesSetTheirSettings) {
    auto c = load_config(
        std::nullopt,
        {"OPEN311_LISTEN=0.0.0.0:9000", "OPEN311_DB=/tmp/x.db", "OPEN311_PROFILE=helsinki"},
        {});
    EXPECT_EQ(c.listen_host, "0.0.0.0");
    EXPECT_EQ(c.listen_port, 9000);
    EXPECT_EQ(c.db_path, "/tmp/x.db");
    EXPECT_EQ(c.profile.name, "helsinki");
}

TEST(ConfigAliases, FlagsStillWinOverAliases) {
    auto c =
        load_config(std::nullopt, {"OPEN311_DB=/tmp/env.db"}, {{"database.path", "/tmp/flag.db"}});
    EXPECT_EQ(c.db_path, "/tmp/flag.db");
}

TEST(ConfigAliases, ConfigFileFromEnvironmentIsRead) {
    EXPECT_THROW(load_config(std::nullopt, {"OPEN311_CONFIG=/nonexistent/open311d.toml"}, {}),
                 ConfigError);
}

TEST(Config, ConnectionLimitsAndTimeouts) {
    auto defaults = load_config(std::nullopt, {}, {});
    EXPECT_EQ(defaults.header_timeout_seconds, 10U);
    EXPECT_EQ(defaults.idle_timeout_seconds, 60U);
    EXPECT_EQ(defaults.max_connections, 4096U);
    EXPECT_TRUE(defaults.tls_certificate.empty());
    auto c = load_config(
        std::nullopt,
        {"OPEN311_SERVER_MAX_CONNECTIONS=100"},
        {{"server.header_timeout_seconds", "5"}, {"server.idle_timeout_seconds", "15"}});
    EXPECT_EQ(c.max_connections, 100U);
    EXPECT_EQ(c.header_timeout_seconds, 5U);
    EXPECT_EQ(c.idle_timeout_seconds, 15U);
    EXPECT_NE(error_of(std::nullopt, {}, {{"server.max_connections", "0"}})
                  .find("server.max_connections"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {}, {{"server.header_timeout_seconds", "soon"}})
                  .find("server.header_timeout_seconds"),
              std::string::npos);
}

TEST(Config, TlsNeedsBothCertificateAndKey) {
    EXPECT_NE(error_of(std::nullopt, {}, {{"server.tls_certificate", "/etc/ssl/cert.pem"}})
                  .find("server.tls_private_key"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {}, {{"server.tls_private_key", "/etc/ssl/key.pem"}})
                  .find("server.tls_certificate"),
              std::string::npos);
    auto c = load_config(std::nullopt,
                         {},
                         {{"server.tls_certificate", "/etc/ssl/cert.pem"},
                          {"server.tls_private_key", "/etc/ssl/key.pem"}});
    EXPECT_EQ(c.tls_certificate, "/etc/ssl/cert.pem");
    EXPECT_STREQ(listen_scheme(c), "https");
    EXPECT_STREQ(listen_scheme(Config{}), "http");
}

}  // namespace open311
