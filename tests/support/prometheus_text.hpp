#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace open311::test {

/// One sample of a Prometheus text exposition.
struct PromSample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

/// A parsed exposition: its samples, and each family's TYPE.
struct PromText {
    std::vector<PromSample> samples;
    std::map<std::string, std::string> types;  ///< family name → counter, gauge, histogram…
    std::map<std::string, std::string> helps;

    /// The value of the one sample with this name and exactly these labels; nullopt when none.
    std::optional<double> value(const std::string& name,
                                const std::map<std::string, std::string>& labels = {}) const;
    /// The value, or 0 when the sample is absent (a counter not moved yet is not written).
    double count(const std::string& name,
                 const std::map<std::string, std::string>& labels = {}) const {
        return value(name, labels).value_or(0.0);
    }
};

/// Parses the text format (version 0.0.4) strictly: a line that is not a comment, a HELP or
/// TYPE line, or a well-formed sample throws std::runtime_error naming the line.
PromText parse_prometheus_text(const std::string& text);

}  // namespace open311::test
