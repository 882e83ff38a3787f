// WebP metadata removal. A WebP file is a RIFF container: the simple formats hold one VP8 or
// VP8L chunk and no metadata; the extended format starts with VP8X, whose flags announce EXIF
// and XMP chunks. Those chunks (and unknown ones) are dropped, the two flags cleared and the
// RIFF size rewritten for what remains. Bytes after the RIFF payload are dropped.
#include "media/image.hpp"

#include <cstdint>

namespace open311::media {

namespace {

std::uint32_t read_le32(std::string_view data, std::size_t at) {
    return std::uint32_t{static_cast<std::uint8_t>(data[at])} |
           (std::uint32_t{static_cast<std::uint8_t>(data[at + 1])} << 8U) |
           (std::uint32_t{static_cast<std::uint8_t>(data[at + 2])} << 16U) |
           (std::uint32_t{static_cast<std::uint8_t>(data[at + 3])} << 24U);
}

std::string le32(std::uint32_t v) {
    std::string out(4, '\0');
    for (std::size_t i = 0; i < 4; ++i) {
        out[i] = static_cast<char>((v >> (8U * i)) & 0xFFU);
    }
    return out;
}

constexpr std::uint8_t kExifFlag = 0x08;
constexpr std::uint8_t kXmpFlag = 0x04;

bool keeps_webp_chunk(std::string_view fourcc) {
    for (std::string_view kept : {"VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"}) {
        if (fourcc == kept) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<std::vector<Piece>> clean_webp(std::string_view data, std::string& problem) {
    const std::string truncated = "the WebP image is truncated or damaged";
    if (sniff_image(data) != ImageType::webp) {
        problem = "not a WebP image";
        return std::nullopt;
    }
    const std::uint32_t riff_size = read_le32(data, 4);
    if (riff_size < 4 || data.size() - 8 < riff_size) {
        problem = truncated;
        return std::nullopt;
    }
    const std::size_t end = 8 + std::size_t{riff_size};
    std::vector<Piece> pieces;
    pieces.push_back(Piece{0, 0, "RIFF0000WEBP"});  // the size is filled in below
    std::size_t kept_bytes = 4;                     // "WEBP"
    std::size_t pos = 12;
    bool image = false;
    bool first = true;
    while (pos < end) {
        if (end - pos < 8) {
            problem = truncated;
            return std::nullopt;
        }
        const auto fourcc = data.substr(pos, 4);
        const std::uint32_t size = read_le32(data, pos + 4);
        const std::size_t padded = std::size_t{size} + (size % 2);
        if (end - pos - 8 < padded) {
            problem = truncated;
            return std::nullopt;
        }
        if (first && fourcc != "VP8 " && fourcc != "VP8L" && fourcc != "VP8X") {
            problem = "the WebP file does not start with an image or VP8X chunk";
            return std::nullopt;
        }
        first = false;
        image = image || fourcc == "VP8 " || fourcc == "VP8L" || fourcc == "ANMF";
        if (fourcc == "VP8X") {
            if (size < 10) {
                problem = truncated;
                return std::nullopt;
            }
            std::string header(data.substr(pos, 8 + padded));
            header[8] = static_cast<char>(static_cast<std::uint8_t>(header[8]) &
                                          static_cast<std::uint8_t>(~(kExifFlag | kXmpFlag)));
            pieces.push_back(Piece{0, 0, std::move(header)});
            kept_bytes += 8 + padded;
        } else if (keeps_webp_chunk(fourcc)) {
            detail::keep(pieces, pos, 8 + padded);
            kept_bytes += 8 + padded;
        }
        pos += 8 + padded;
    }
    if (!image) {
        problem = "the WebP file holds no image";
        return std::nullopt;
    }
    pieces.front().bytes = "RIFF" + le32(static_cast<std::uint32_t>(kept_bytes)) + "WEBP";
    return pieces;
}

}  // namespace open311::media
