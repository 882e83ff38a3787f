// Log lines as text or JSON, on stderr. Log lines go through spdlog's default logger, access
// lines through AccessLogWriter's batches; both hold the console mutex while they write, so
// lines never interleave.
#include "telemetry/logging.hpp"

#include "telemetry/access_log_writer.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <random>

namespace open311::telemetry {
namespace {

constexpr std::string_view kAccessLogger = "access";
constexpr std::string_view kTextPattern = "%Y-%m-%dT%H:%M:%S.%e%z %l %v";

std::atomic<LogFormat> g_format{LogFormat::text};
std::unique_ptr<AccessLogWriter> g_access;  // set up by setup_logging
std::atomic<AccessLogWriter*> g_access_raw{nullptr};
std::atomic<bool> g_access_level{true};  // the level lets info lines through
thread_local const std::string* t_request_id = nullptr;

void append_utc(std::string& out, spdlog::log_clock::time_point at) {
    const auto since = at.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since - seconds);
    const std::time_t t = seconds.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    const int n = std::snprintf(buf.data(),
                                buf.size(),
                                "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                tm.tm_year + 1900,
                                tm.tm_mon + 1,
                                tm.tm_mday,
                                tm.tm_hour,
                                tm.tm_min,
                                tm.tm_sec,
                                static_cast<int>(millis.count()));
    out.append(buf.data(), static_cast<std::size_t>(n > 0 ? n : 0));
}

/// One JSON object per line: time (UTC), level, msg; the access log's lines carry their
/// fields already rendered, every other line the request id of the request it belongs to.
class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        std::string line = "{\"time\":\"";
        append_utc(line, msg.time);
        line += "\",\"level\":\"";
        const auto level = spdlog::level::to_string_view(msg.level);
        line.append(level.data(), level.size());
        const std::string_view payload(msg.payload.data(), msg.payload.size());
        if (std::string_view(msg.logger_name.data(), msg.logger_name.size()) == kAccessLogger) {
            line += "\",\"msg\":\"access\",";
            line += payload;  // rendered by log_access: fields of known shape
        } else {
            line += "\",\"msg\":\"";
            append_json_string(line, payload);
            line += '"';
            if (t_request_id != nullptr && !t_request_id->empty()) {
                line += ",\"request_id\":\"";
                append_json_string(line, *t_request_id);
                line += '"';
            }
        }
        line += "}\n";
        dest.append(line.data(), line.data() + line.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }
};

/// Decides sampled access lines: a cheap generator per thread, no lock.
bool sampled(double probability) {
    if (probability >= 1.0) {
        return true;
    }
    if (probability <= 0.0) {
        return false;
    }
    thread_local std::minstd_rand generator(std::random_device{}());
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator) < probability;
}

}  // namespace

void setup_logging(const std::string& level, LogFormat format) {
    g_format = format;
    spdlog::sink_ptr sink;
    if (format == LogFormat::json) {
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        sink->set_formatter(std::make_unique<JsonFormatter>());
    } else {
        sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        sink->set_formatter(
            std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v"));
    }
    auto logger = std::make_shared<spdlog::logger>("open311d", sink);
    logger->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(logger);
    g_access_level = spdlog::level::from_str(level) <= spdlog::level::info;
    // Set up once per process, before any answer; a second call (another format) replaces
    // the writer, which writes what it held first.
    auto writer = std::make_unique<AccessLogWriter>(
        format == LogFormat::json
            ? std::unique_ptr<spdlog::formatter>(std::make_unique<JsonFormatter>())
            : std::make_unique<spdlog::pattern_formatter>(std::string(kTextPattern)));
    g_access_raw = writer.get();
    g_access = std::move(writer);
}

void shutdown_logging() {
    g_access_raw = nullptr;
    g_access.reset();  // writes what waits
    spdlog::default_logger_raw()->flush();
}

LogFormat log_format() {
    return g_format.load(std::memory_order_relaxed);
}

bool access_log_wants(const Config& config, int status) {
    return config.access_log && (status >= 400 || sampled(config.access_log_sample));
}

void log_access(std::string_view request_id,
                std::string_view method,
                std::string_view route,
                int status,
                std::uint64_t bytes,
                std::uint64_t duration_us) {
    auto* writer = g_access_raw.load(std::memory_order_acquire);
    if (writer != nullptr ? !g_access_level.load(std::memory_order_relaxed)
                          : !spdlog::default_logger_raw()->should_log(spdlog::level::info)) {
        return;
    }
    if (request_id.empty()) {
        request_id = "-";
    }
    if (method.empty()) {
        method = "-";
    }
    std::string line;
    if (log_format() == LogFormat::json) {
        line = "\"request_id\":\"";
        append_json_string(line, request_id);
        line += "\",\"method\":\"";
        append_json_string(line, method);
        line += "\",\"route\":\"";
        append_json_string(line, route);
        line += "\",\"status\":" + std::to_string(status);
        line += ",\"bytes\":" + std::to_string(bytes);
        line += ",\"duration_ms\":";
        std::array<char, 32> ms{};
        const int n =
            std::snprintf(ms.data(), ms.size(), "%.3f", static_cast<double>(duration_us) / 1000.0);
        line.append(ms.data(), static_cast<std::size_t>(n > 0 ? n : 0));
    } else {
        line = fmt::format("access id={} {} {} status={} bytes={} us={}",
                           request_id,
                           method,
                           route,
                           status,
                           bytes,
                           duration_us);
    }
    if (writer == nullptr) {
        // Before setup_logging (tests, commands): the default logger, as any other line.
        spdlog::default_logger_raw()->info(line);
        return;
    }
    writer->write(
        spdlog::details::log_msg(spdlog::string_view_t(kAccessLogger.data(), kAccessLogger.size()),
                                 spdlog::level::info,
                                 spdlog::string_view_t(line.data(), line.size())));
}

RequestLogScope::RequestLogScope(const std::string& request_id) : previous_(t_request_id) {
    t_request_id = &request_id;
}

RequestLogScope::~RequestLogScope() {
    t_request_id = previous_;
}

void append_json_string(std::string& out, std::string_view text) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if (c == '\t') {
                out += "\\t";
            } else if (c < 0x20 || c == 0x7f) {
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xf];
            } else {
                out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        // A UTF-8 sequence: copied when well formed, else one U+FFFD for its first byte.
        const std::size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        bool ok = len != 0 && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        }
        if (ok && len == 3) {
            const auto c1 = static_cast<unsigned char>(text[i + 1]);
            ok = !(c == 0xe0 && c1 < 0xa0) && !(c == 0xed && c1 >= 0xa0);  // overlong, surrogate
        } else if (ok && len == 4) {
            const auto c1 = static_cast<unsigned char>(text[i + 1]);
            ok = !(c == 0xf0 && c1 < 0x90) && !(c == 0xf4 && c1 >= 0x90);
        }
        if (ok) {
            out.append(text.substr(i, len));
            i += len;
        } else {
            out += "\xef\xbf\xbd";
            ++i;
        }
    }
}

}  // namespace open311::telemetry
