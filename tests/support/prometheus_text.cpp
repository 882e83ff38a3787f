#include "support/prometheus_text.hpp"

#include <cctype>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace open311::test {
namespace {

bool name_char(char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)) != 0);
}

[[noreturn]] void fail(const std::string& line, const std::string& why) {
    throw std::runtime_error("exposition line '" + line + "': " + why);
}

double parse_value(const std::string& text, const std::string& line) {
    if (text == "+Inf") {
        return std::numeric_limits<double>::infinity();
    }
    if (text == "-Inf") {
        return -std::numeric_limits<double>::infinity();
    }
    if (text == "NaN") {
        return std::numeric_limits<double>::quiet_NaN();
    }
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
        fail(line, "bad value '" + text + "'");
    }
    return v;
}

PromSample parse_sample(const std::string& line) {
    PromSample s;
    std::size_t i = 0;
    while (i < line.size() && name_char(line[i], i == 0)) {
        ++i;
    }
    if (i == 0) {
        fail(line, "no metric name");
    }
    s.name = line.substr(0, i);
    if (i < line.size() && line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
            std::size_t start = i;
            while (i < line.size() && name_char(line[i], i == start)) {
                ++i;
            }
            const std::string label = line.substr(start, i - start);
            if (label.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
                fail(line, "bad label");
            }
            i += 2;
            std::string value;
            while (i < line.size() && line[i] != '"') {
                if (line[i] == '\\' && i + 1 < line.size()) {
                    ++i;
                    value += line[i] == 'n' ? '\n' : line[i];
                } else {
                    value += line[i];
                }
                ++i;
            }
            if (i >= line.size()) {
                fail(line, "unterminated label value");
            }
            ++i;  // closing quote
            if (!s.labels.emplace(label, value).second) {
                fail(line, "label " + label + " twice");
            }
            if (i < line.size() && line[i] == ',') {
                ++i;
            }
        }
        if (i >= line.size()) {
            fail(line, "unterminated label set");
        }
        ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') {
        fail(line, "no value");
    }
    std::istringstream rest(line.substr(i + 1));
    std::string value;
    std::string timestamp;
    rest >> value >> timestamp;
    s.value = parse_value(value, line);
    return s;
}

}  // namespace

std::optional<double> PromText::value(const std::string& name,
                                      const std::map<std::string, std::string>& labels) const {
    for (const auto& s : samples) {
        if (s.name == name && s.labels == labels) {
            return s.value;
        }
    }
    return std::nullopt;
}

PromText parse_prometheus_text(const std::string& text) {
    PromText out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) {
            continue;
        }
        if (line[0] == '#') {
            std::istringstream words(line);
            std::string hash;
            std::string kind;
            std::string name;
            words >> hash >> kind >> name;
            std::string rest;
            std::getline(words, rest);
            if (!rest.empty() && rest[0] == ' ') {
                rest.erase(0, 1);
            }
            if (kind == "TYPE") {
                if (!out.types.emplace(name, rest).second) {
                    fail(line, "second TYPE for " + name);
                }
            } else if (kind == "HELP") {
                out.helps[name] = rest;
            }
            continue;
        }
        out.samples.push_back(parse_sample(line));
    }
    return out;
}

}  // namespace open311::test
