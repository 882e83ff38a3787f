#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace open311::telemetry {

/// One label of a sample.
struct Label {
    std::string_view name;
    std::string_view value;
};

/// Writes the Prometheus text exposition format (version 0.0.4): a HELP and a TYPE line per
/// family, then its samples. Label values are escaped; names are the caller's constants.
class Exposition final {
public:
    static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// Starts a family: `type` is counter, gauge, histogram or untyped.
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value);
    void sample(std::string_view name, std::initializer_list<Label> labels, std::int64_t value);
    void sample(std::string_view name, std::initializer_list<Label> labels, double value);
    /// The samples of one histogram: `counts[i]` observations in bucket i alone (the last one
    /// above every bound), bounds and sum in units that `divisor` turns into the exposed unit
    /// (1e6 for microseconds → seconds; a division, so that 500 µs is written 0.0005).
    void histogram(std::string_view name,
                   std::initializer_list<Label> labels,
                   const std::uint64_t* bounds,
                   const std::uint64_t* counts,
                   std::size_t n_bounds,
                   std::uint64_t sum,
                   double divisor);

    const std::string& text() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void start_sample(std::string_view name,
                      std::initializer_list<Label> labels,
                      std::string_view suffix = {},
                      const Label* extra = nullptr);
    void number(double value);

    std::string out_;
};

}  // namespace open311::telemetry
