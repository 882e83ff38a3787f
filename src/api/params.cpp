#include "api/params.hpp"

#include "util/text.hpp"

#include <cctype>

namespace open311::api {

std::optional<std::string> Params::get(std::string_view name) const {
    for (const auto& [key, value] : items_) {
        if (key == name && !value.empty()) {
            return value;
        }
    }
    return std::nullopt;
}

bool Params::has(std::string_view name) const {
    for (const auto& item : items_) {
        if (item.first == name) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> Params::all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : items_) {
        if (key == name && !value.empty()) {
            out.push_back(value);
        }
    }
    return out;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}
}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += (plus_is_space && c == '+') ? ' ' : c;
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4U];
            out += kHex[u & 15U];
        }
    }
    return out;
}

Params parse_form(std::string_view text) {
    Params params;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('&', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        auto pair = text.substr(start, end - start);
        // Some clients put line breaks between pairs; they are not part of any name.
        while (!pair.empty() && (pair.front() == '\r' || pair.front() == '\n')) {
            pair.remove_prefix(1);
        }
        if (!pair.empty()) {
            auto eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq), true);
            auto value = eq == std::string_view::npos ? std::string()
                                                      : percent_decode(pair.substr(eq + 1), true);
            params.add(trim(name), std::move(value));
        }
        start = end + 1;
    }
    return params;
}

std::optional<std::string> header_parameter(std::string_view header, std::string_view name) {
    std::size_t pos = header.find(';');
    while (pos != std::string_view::npos) {
        std::size_t next = header.find(';', pos + 1);
        auto part = header.substr(
            pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
        auto eq = part.find('=');
        if (eq != std::string_view::npos && to_lower(trim(part.substr(0, eq))) == name) {
            auto value = trim(part.substr(eq + 1));
            // Quoted values may contain ';' — take everything up to the closing quote.
            if (!value.empty() && value.front() == '"') {
                auto quote_start = header.find('"', pos + 1 + eq);
                auto quote_end = header.find('"', quote_start + 1);
                if (quote_end == std::string_view::npos) {
                    return std::nullopt;
                }
                return std::string(header.substr(quote_start + 1, quote_end - quote_start - 1));
            }
            return value;
        }
        pos = next;
    }
    return std::nullopt;
}

namespace {

struct PartHeaders {
    std::string name;
    std::optional<std::string> filename;
    std::string content_type;
};

PartHeaders parse_part_headers(std::string_view block) {
    PartHeaders h;
    std::size_t start = 0;
    while (start < block.size()) {
        auto end = block.find("\r\n", start);
        if (end == std::string_view::npos) {
            end = block.size();
        }
        auto line = block.substr(start, end - start);
        auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            auto key = to_lower(trim(line.substr(0, colon)));
            auto value = line.substr(colon + 1);
            if (key == "content-disposition") {
                // Some clients put the header value on its own; prefix ';' so every
                // parameter, including the first, is found the same way.
                std::string with_semicolon = ";" + std::string(value);
                h.name = trim(header_parameter(with_semicolon, "name").value_or(""));
                h.filename = header_parameter(with_semicolon, "filename");
            } else if (key == "content-type") {
                h.content_type = trim(value);
            }
        }
        start = end + 2;
    }
    return h;
}

}  // namespace

std::optional<MultipartBody> parse_multipart(std::string_view body, std::string_view content_type) {
    auto boundary = header_parameter(content_type, "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 200) {
        return std::nullopt;
    }
    const std::string delimiter = "--" + *boundary;
    MultipartBody out;
    auto pos = body.find(delimiter);
    if (pos == std::string_view::npos) {
        return std::nullopt;
    }
    pos += delimiter.size();
    while (true) {
        if (body.substr(pos, 2) == "--") {
            return out;  // closing delimiter
        }
        // Skip the rest of the delimiter line, then any stray empty lines before the headers.
        auto line_end = body.find("\r\n", pos);
        if (line_end == std::string_view::npos) {
            return out.fields.items().empty() && out.files.empty() ? std::nullopt
                                                                   : std::optional(out);
        }
        pos = line_end + 2;
        while (body.substr(pos, 2) == "\r\n") {
            pos += 2;
        }
        if (pos >= body.size()) {
            return out;  // a body that ends after a delimiter without the closing "--"
        }
        auto headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos) {
            return std::nullopt;
        }
        auto headers = parse_part_headers(body.substr(pos, headers_end - pos));
        auto data_start = headers_end + 4;
        auto next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string_view::npos) {
            return std::nullopt;  // truncated body
        }
        auto data = body.substr(data_start, next - data_start);
        if (headers.filename) {
            out.files.push_back(
                FilePart{headers.name, *headers.filename, headers.content_type, std::string(data)});
        } else if (!headers.name.empty()) {
            out.fields.add(headers.name, std::string(data));
        }
        pos = next + 2 + delimiter.size();
    }
}

}  // namespace open311::api
