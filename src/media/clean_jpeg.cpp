// JPEG metadata removal. A JPEG is a list of marker segments up to the first scan, then
// entropy-coded data (with more segments between the scans of a progressive image) up to EOI.
// Segments that only describe the picture are dropped: APP1 (Exif with its GPS IFD and camera
// serial numbers, XMP), APP3..APP13 and APP15 (maker data, IPTC/Photoshop), APP2 other than an
// ICC profile, and COM. APP0 (JFIF), APP2 ICC_PROFILE and APP14 (Adobe colour transform) stay:
// decoders need them to show the right colours. Bytes after EOI (camera trailers) are dropped.
#include "media/image.hpp"

#include <cstdint>

namespace open311::media {

namespace {

bool keeps_segment(std::uint8_t marker, std::string_view payload) {
    if (marker == 0xE0 || marker == 0xEE) {
        return true;  // JFIF, Adobe
    }
    if (marker == 0xE2) {
        return payload.substr(0, 12) == std::string_view("ICC_PROFILE\0", 12);
    }
    if (marker >= 0xE1 && marker <= 0xEF) {
        return false;  // Exif, XMP, maker notes, IPTC...
    }
    return marker != 0xFE;  // COM
}

bool is_frame_start(std::uint8_t marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

}  // namespace

std::optional<std::vector<Piece>> clean_jpeg(std::string_view data, std::string& problem) {
    const std::string truncated = "the JPEG image is truncated or damaged";
    if (data.size() < 4 || byte_at(data, 0) != 0xFF || byte_at(data, 1) != 0xD8) {
        problem = "not a JPEG image";
        return std::nullopt;
    }
    std::vector<Piece> pieces;
    detail::keep(pieces, 0, 2);  // SOI
    std::size_t pos = 2;
    bool frame = false;
    bool scan = false;
    while (true) {
        if (pos >= data.size() || byte_at(data, pos) != 0xFF) {
            problem = truncated;
            return std::nullopt;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        std::size_t m = pos;
        while (m < data.size() && byte_at(data, m) == 0xFF) {
            ++m;
        }
        if (m >= data.size()) {
            problem = truncated;
            return std::nullopt;
        }
        const std::uint8_t marker = byte_at(data, m);
        const std::size_t marker_start = m - 1;
        if (marker == 0xD9) {  // EOI
            if (!frame || !scan) {
                problem = "the JPEG file holds no image";
                return std::nullopt;
            }
            detail::keep(pieces, marker_start, 2);
            return pieces;
        }
        if (marker == 0x00 || marker == 0xD8) {
            problem = truncated;
            return std::nullopt;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            detail::keep(pieces, marker_start, 2);  // standalone markers
            pos = m + 1;
            continue;
        }
        if (m + 2 >= data.size()) {
            problem = truncated;
            return std::nullopt;
        }
        const std::size_t length = (std::size_t{byte_at(data, m + 1)} << 8U) | byte_at(data, m + 2);
        if (length < 2 || m + 1 + length > data.size()) {
            problem = truncated;
            return std::nullopt;
        }
        const std::size_t end = m + 1 + length;
        const auto payload = data.substr(m + 3, length - 2);
        if (keeps_segment(marker, payload)) {
            detail::keep(pieces, marker_start, end - marker_start);
        }
        frame = frame || is_frame_start(marker);
        pos = end;
        if (marker == 0xDA) {  // SOS: entropy-coded data follows up to the next real marker
            if (!frame) {
                problem = "the JPEG image has a scan before its frame header";
                return std::nullopt;
            }
            scan = true;
            std::size_t scan_end = pos;
            while (true) {
                scan_end = data.find('\xFF', scan_end);
                if (scan_end == std::string_view::npos || scan_end + 1 >= data.size()) {
                    problem = truncated;
                    return std::nullopt;
                }
                const auto next = byte_at(data, scan_end + 1);
                if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
                    scan_end += next == 0xFF ? 1 : 2;  // stuffed byte, restart marker or fill
                    continue;
                }
                break;
            }
            detail::keep(pieces, pos, scan_end - pos);
            pos = scan_end;
        }
    }
}

}  // namespace open311::media
