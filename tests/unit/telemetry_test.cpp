// The telemetry units: the [log] and [metrics] settings, the exposition writer, the JSON
// string escaping of log lines, and the HTTP metrics' route labels.
#include "telemetry/exposition.hpp"
#include "telemetry/http_metrics.hpp"
#include "telemetry/logging.hpp"

#include "open311/config.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace open311 {
namespace {

Config with(const SettingOverrides& settings) {
    return load_config(std::nullopt, {}, settings);
}

TEST(TelemetrySettings, LogFormatAndAccessVolume) {
    EXPECT_EQ(with({}).log_format, LogFormat::text);
    EXPECT_EQ(with({{"log.format", "json"}}).log_format, LogFormat::json);
    EXPECT_EQ(load_config(std::nullopt, {"OPEN311_LOG_FORMAT=json"}, {}).log_format,
              LogFormat::json);
    EXPECT_THROW(with({{"log.format", "xml"}}), ConfigError);

    auto all = with({{"log.access", "all"}});
    EXPECT_TRUE(all.access_log);
    EXPECT_EQ(all.access_log_sample, 1.0);
    auto errors = with({{"log.access", "errors"}});
    EXPECT_TRUE(errors.access_log);
    EXPECT_EQ(errors.access_log_sample, 0.0);
    EXPECT_FALSE(with({{"log.access", "off"}}).access_log);
    EXPECT_EQ(with({{"log.access", "0.01"}}).access_log_sample, 0.01);
    for (const char* bad : {"1.5", "-0.1", "some", "", "0.5x"}) {
        EXPECT_THROW(with({{"log.access", bad}}), ConfigError) << bad;
    }
    // The older switch still turns it off.
    EXPECT_FALSE(with({{"log.access_log", "false"}}).access_log);

    EXPECT_EQ(with({{"log.request_id_header", "X-Request-Id"}}).request_id_header, "X-Request-Id");
    EXPECT_THROW(with({{"log.request_id_header", "X Request"}}), ConfigError);
}

TEST(TelemetrySettings, MetricsListenAndToken) {
    auto c = with({{"metrics.listen", "127.0.0.1:9311"}, {"metrics.token", "t0ken"}});
    ASSERT_TRUE(c.metrics.listen_host.has_value());
    EXPECT_EQ(*c.metrics.listen_host, "127.0.0.1");
    EXPECT_EQ(c.metrics.listen_port, 9311);
    EXPECT_EQ(c.metrics.token, "t0ken");
    EXPECT_TRUE(c.metrics.enabled);
    EXPECT_FALSE(with({}).metrics.listen_host.has_value());
    EXPECT_FALSE(with({{"metrics.enabled", "false"}}).metrics.enabled);
    EXPECT_THROW(with({{"metrics.listen", "nonsense"}}), ConfigError);
    EXPECT_THROW(with({{"metrics.listen", "127.0.0.1:70000"}}), ConfigError);
}

TEST(Exposition, EscapesLabelValuesAndWritesCumulativeBuckets) {
    telemetry::Exposition out;
    out.family("x_total", "counter", "Things.");
    out.sample("x_total", {{"route", "a\"b\\c\nd"}}, std::uint64_t{3});
    const std::array<std::uint64_t, 2> bounds{500, 1000};
    const std::array<std::uint64_t, 3> counts{1, 2, 3};
    out.family("d_seconds", "histogram", "Durations.");
    out.histogram("d_seconds", {{"route", "/r"}}, bounds.data(), counts.data(), 2, 2500, 1e6);
    EXPECT_EQ(out.text(),
              "# HELP x_total Things.\n# TYPE x_total counter\n"
              "x_total{route=\"a\\\"b\\\\c\\nd\"} 3\n"
              "# HELP d_seconds Durations.\n# TYPE d_seconds histogram\n"
              "d_seconds_bucket{route=\"/r\",le=\"0.0005\"} 1\n"
              "d_seconds_bucket{route=\"/r\",le=\"0.001\"} 3\n"
              "d_seconds_bucket{route=\"/r\",le=\"+Inf\"} 6\n"
              "d_seconds_sum{route=\"/r\"} 0.0025\n"
              "d_seconds_count{route=\"/r\"} 6\n");
}

TEST(HttpMetrics, UnknownRouteNamesBecomeOther) {
    telemetry::HttpMetrics m;
    const auto ids = m.set_routes({"/a/{id}", "/b", "/a/{id}"});
    ASSERT_EQ(ids.size(), 3U);
    EXPECT_EQ(ids[0], ids[2]);  // one pattern, one label, whatever the method
    m.record(ids[0], "/a/{id}", 0, 200, 100);
    m.record(-1, "/a/123?secret=1", 0, 404, 100);  // never a label
    m.record(-1, "(unmatched)", 0, 404, 100);
    telemetry::Exposition out;
    m.write(out);
    EXPECT_NE(out.text().find("route=\"/a/{id}\",method=\"GET\",status=\"200\"} 1"),
              std::string::npos);
    EXPECT_NE(out.text().find("route=\"(other)\",method=\"GET\",status=\"404\"} 1"),
              std::string::npos);
    EXPECT_NE(out.text().find("route=\"(unmatched)\",method=\"GET\",status=\"404\"} 1"),
              std::string::npos);
    EXPECT_EQ(out.text().find("secret"), std::string::npos);
}

TEST(JsonLogLines, StringsAreEscapedAndInvalidUtf8Replaced) {
    std::string out = "\"";
    telemetry::append_json_string(out, "a\"b\\c\n\x01 \xc3\xa4 \xff end");
    out += "\"";
    const auto parsed = nlohmann::json::parse(out);
    EXPECT_EQ(parsed.get<std::string>(), "a\"b\\c\n\x01 \xc3\xa4 \xef\xbf\xbd end");
}

}  // namespace
}  // namespace open311
