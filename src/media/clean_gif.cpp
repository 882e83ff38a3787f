// GIF checking and metadata removal. A GIF is a header, a logical screen (with an optional
// colour table), then blocks up to the trailer byte. Comment extensions and application
// extensions other than the looping one (NETSCAPE2.0 / ANIMEXTS1.0) are dropped: XMP travels in
// an application extension. Bytes after the trailer are dropped.
#include "media/image.hpp"

#include <cstdint>

namespace open311::media {

namespace {

/// Skips a chain of data sub-blocks from `pos`; npos when it runs past the end.
std::size_t skip_sub_blocks(std::string_view data, std::size_t pos) {
    while (pos < data.size()) {
        const std::size_t size = byte_at(data, pos);
        if (size == 0) {
            return pos + 1;
        }
        pos += 1 + size;
    }
    return std::string_view::npos;
}

std::size_t colour_table_size(std::uint8_t packed) {
    return (packed & 0x80U) != 0 ? 3U * (std::size_t{1} << ((packed & 0x07U) + 1U)) : 0U;
}

}  // namespace

std::optional<std::vector<Piece>> clean_gif(std::string_view data, std::string& problem) {
    const std::string truncated = "the GIF image is truncated or damaged";
    if (sniff_image(data) != ImageType::gif || data.size() < 13) {
        problem = "not a GIF image";
        return std::nullopt;
    }
    std::size_t pos = 13 + colour_table_size(byte_at(data, 10));
    std::vector<Piece> pieces;
    detail::keep(pieces, 0, pos);
    bool image = false;
    while (true) {
        if (pos >= data.size()) {
            problem = truncated;
            return std::nullopt;
        }
        const auto introducer = byte_at(data, pos);
        if (introducer == 0x3B) {  // trailer
            if (!image) {
                problem = "the GIF file holds no image";
                return std::nullopt;
            }
            detail::keep(pieces, pos, 1);
            return pieces;
        }
        std::size_t end = std::string_view::npos;
        bool keep = true;
        if (introducer == 0x21 && pos + 2 < data.size()) {  // extension
            const auto label = byte_at(data, pos + 1);
            end = skip_sub_blocks(data, pos + 2);
            if (label == 0xFE) {
                keep = false;  // comment
            } else if (label == 0xFF) {
                const auto id = data.substr(pos + 3, 11);
                keep = byte_at(data, pos + 2) == 11 && (id == "NETSCAPE2.0" || id == "ANIMEXTS1.0");
            }
        } else if (introducer == 0x2C && pos + 10 < data.size()) {  // image descriptor
            const std::size_t table_end = pos + 10 + colour_table_size(byte_at(data, pos + 9));
            // The LZW minimum code size byte, then the image data sub-blocks.
            end = table_end < data.size() ? skip_sub_blocks(data, table_end + 1)
                                          : std::string_view::npos;
            image = true;
        } else {
            problem = truncated;
            return std::nullopt;
        }
        if (end == std::string_view::npos || end > data.size()) {
            problem = truncated;
            return std::nullopt;
        }
        if (keep) {
            detail::keep(pieces, pos, end - pos);
        }
        pos = end;
    }
}

}  // namespace open311::media
