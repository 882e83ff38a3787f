// PNG metadata removal. Every chunk carries its length, type and CRC; the CRC is checked so
// that a damaged upload is refused rather than stored. Critical chunks stay, and of the
// ancillary ones only those that change how the image looks (transparency, colour space,
// animation). Everything else, eXIf, tEXt/zTXt/iTXt, tIME and unknown private chunks
// included, is dropped, as are bytes after IEND.
#include "media/image.hpp"

#include <array>
#include <cstdint>

namespace open311::media {

namespace {

std::uint32_t read_be32(std::string_view data, std::size_t at) {
    return (std::uint32_t{static_cast<std::uint8_t>(data[at])} << 24U) |
           (std::uint32_t{static_cast<std::uint8_t>(data[at + 1])} << 16U) |
           (std::uint32_t{static_cast<std::uint8_t>(data[at + 2])} << 8U) |
           std::uint32_t{static_cast<std::uint8_t>(data[at + 3])};
}

const std::array<std::uint32_t, 256>& crc_table() {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) {
                c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
            }
            t[n] = c;
        }
        return t;
    }();
    return table;
}

std::uint32_t crc32(std::string_view bytes) {
    const auto& table = crc_table();
    std::uint32_t c = 0xFFFFFFFFU;
    for (char ch : bytes) {
        c = table[(c ^ static_cast<std::uint8_t>(ch)) & 0xFFU] ^ (c >> 8U);
    }
    return c ^ 0xFFFFFFFFU;
}

bool keeps_png_chunk(std::string_view type) {
    if (type[0] >= 'A' && type[0] <= 'Z') {
        return true;  // critical: needed to decode
    }
    for (std::string_view kept : {"tRNS",
                                  "gAMA",
                                  "cHRM",
                                  "sRGB",
                                  "iCCP",
                                  "sBIT",
                                  "bKGD",
                                  "pHYs",
                                  "cICP",
                                  "mDCv",
                                  "cLLi",
                                  "acTL",
                                  "fcTL",
                                  "fdAT"}) {
        if (type == kept) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<std::vector<Piece>> clean_png(std::string_view data, std::string& problem) {
    const std::string truncated = "the PNG image is truncated or damaged";
    if (sniff_image(data) != ImageType::png) {
        problem = "not a PNG image";
        return std::nullopt;
    }
    std::vector<Piece> pieces;
    detail::keep(pieces, 0, 8);
    std::size_t pos = 8;
    bool header = false;
    bool image_data = false;
    while (true) {
        if (pos + 12 > data.size()) {
            problem = truncated;
            return std::nullopt;
        }
        const std::uint32_t length = read_be32(data, pos);
        if (length > 0x7FFFFFFFU || data.size() - pos - 12 < length) {
            problem = truncated;
            return std::nullopt;
        }
        const auto type = data.substr(pos + 4, 4);
        for (char c : type) {
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                problem = truncated;
                return std::nullopt;
            }
        }
        if (crc32(data.substr(pos + 4, 4 + length)) != read_be32(data, pos + 8 + length)) {
            problem =
                "the PNG image is damaged (checksum mismatch in a " + std::string(type) + " chunk)";
            return std::nullopt;
        }
        if (!header && type != "IHDR") {
            problem = "the PNG image does not start with its header chunk";
            return std::nullopt;
        }
        header = true;
        image_data = image_data || type == "IDAT";
        const std::size_t chunk_size = 12 + std::size_t{length};
        if (keeps_png_chunk(type)) {
            detail::keep(pieces, pos, chunk_size);
        }
        pos += chunk_size;
        if (type == "IEND") {
            if (!image_data) {
                problem = "the PNG file holds no image data";
                return std::nullopt;
            }
            return pieces;
        }
    }
}

}  // namespace open311::media
