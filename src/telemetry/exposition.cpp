#include "telemetry/exposition.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace open311::telemetry {

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
}

void Exposition::start_sample(std::string_view name,
                              std::initializer_list<Label> labels,
                              std::string_view suffix,
                              const Label* extra) {
    out_ += name;
    out_ += suffix;
    if (labels.size() == 0 && extra == nullptr) {
        out_ += ' ';
        return;
    }
    out_ += '{';
    bool first = true;
    auto add = [&](const Label& label) {
        if (!first) {
            out_ += ',';
        }
        first = false;
        out_ += label.name;
        out_ += "=\"";
        for (char c : label.value) {
            if (c == '\\' || c == '"') {
                out_ += '\\';
                out_ += c;
            } else if (c == '\n') {
                out_ += "\\n";
            } else {
                out_ += c;
            }
        }
        out_ += '"';
    };
    for (const auto& label : labels) {
        add(label);
    }
    if (extra != nullptr) {
        add(*extra);
    }
    out_ += "} ";
}

void Exposition::number(double value) {
    if (std::isnan(value)) {
        out_ += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out_ += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    out_.append(buf.data(), ec == std::errc{} ? end : buf.data());
}

void Exposition::sample(std::string_view name,
                        std::initializer_list<Label> labels,
                        std::uint64_t value) {
    start_sample(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
}

void Exposition::sample(std::string_view name,
                        std::initializer_list<Label> labels,
                        std::int64_t value) {
    start_sample(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
}

void Exposition::sample(std::string_view name, std::initializer_list<Label> labels, double value) {
    start_sample(name, labels);
    number(value);
    out_ += '\n';
}

void Exposition::histogram(std::string_view name,
                           std::initializer_list<Label> labels,
                           const std::uint64_t* bounds,
                           const std::uint64_t* counts,
                           std::size_t n_bounds,
                           std::uint64_t sum,
                           double divisor) {
    std::uint64_t cumulative = 0;
    std::array<char, 32> le{};
    for (std::size_t i = 0; i <= n_bounds; ++i) {
        cumulative += counts[i];
        std::string_view le_text = "+Inf";
        if (i < n_bounds) {
            // Fixed notation: le="0.0005", as client libraries write it (not "5e-04").
            auto [end, ec] = std::to_chars(le.data(),
                                           le.data() + le.size(),
                                           static_cast<double>(bounds[i]) / divisor,
                                           std::chars_format::fixed);
            le_text = std::string_view(le.data(), ec == std::errc{} ? end - le.data() : 0);
        }
        const Label extra{"le", le_text};
        start_sample(name, labels, "_bucket", &extra);
        out_ += std::to_string(cumulative);
        out_ += '\n';
    }
    start_sample(name, labels, "_sum");
    number(static_cast<double>(sum) / divisor);
    out_ += '\n';
    start_sample(name, labels, "_count");
    out_ += std::to_string(cumulative);
    out_ += '\n';
}

}  // namespace open311::telemetry
