#pragma once
// Small but well-formed images built byte by byte, with the metadata a phone camera writes
// (EXIF with a GPS position and a camera serial number, XMP, comments, text chunks), and
// readers that find that metadata again. Header-only so that unit and integration tests share it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace open311::test {

inline std::string bytes(std::initializer_list<int> list) {
    std::string out;
    for (int b : list) {
        out += static_cast<char>(b);
    }
    return out;
}

inline std::string be16(std::uint32_t v) {
    return bytes({static_cast<int>((v >> 8U) & 0xFFU), static_cast<int>(v & 0xFFU)});
}
inline std::string be32(std::uint32_t v) {
    return be16(v >> 16U) + be16(v & 0xFFFFU);
}
inline std::string le16(std::uint32_t v) {
    return bytes({static_cast<int>(v & 0xFFU), static_cast<int>((v >> 8U) & 0xFFU)});
}
inline std::string le32(std::uint32_t v) {
    return le16(v & 0xFFFFU) + le16(v >> 16U);
}

/// A JPEG segment: marker and payload with its length.
inline std::string jpeg_segment(int marker, const std::string& payload) {
    return bytes({0xFF, marker}) + be16(static_cast<std::uint32_t>(payload.size() + 2)) + payload;
}

/// The picture part of a 1×1 JPEG (quantisation table, frame, arithmetic-coding conditioning,
/// one scan, end of image).
inline std::string jpeg_picture() {
    std::string dqt = bytes({0x00});
    for (int i = 0; i < 64; ++i) {
        dqt += static_cast<char>(1 + i % 16);
    }
    return jpeg_segment(0xDB, dqt) +
           jpeg_segment(0xC9, bytes({0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00})) +
           jpeg_segment(0xCC, bytes({0x00, 0x10, 0x10, 0x05})) +
           jpeg_segment(0xDA, bytes({0x01, 0x01, 0x00, 0x00, 0x3F, 0x00})) +
           bytes({0xD2, 0xCF, 0x20, 0xFF, 0x00, 0x11, 0xFF, 0xD9});
}

/// A TIFF structure as found in an Exif APP1 segment (little-endian): IFD0 with the camera
/// make, model and body serial number and a pointer to a GPS IFD holding `lat`/`lon`.
inline std::string exif_tiff(double lat, double lon) {
    // Layout: header(8) IFD0 at 8 with 4 entries (2 + 4*12 + 4 = 54) → 62; GPS IFD at 62 with
    // 4 entries (54) → 116; then data: make(8) model(8) serial(12) lat(24) lon(24).
    const std::uint32_t ifd0 = 8;
    const std::uint32_t gps = 62;
    const std::uint32_t data = 116;
    const std::string make("Camera\0\0", 8);
    const std::string model("Phone12\0", 8);
    const std::string serial("SN123456789\0", 12);
    auto rational_dms = [](double value) {
        const auto degrees = static_cast<std::uint32_t>(value);
        const double minutes_full = (value - degrees) * 60;
        const auto minutes = static_cast<std::uint32_t>(minutes_full);
        const auto seconds = static_cast<std::uint32_t>((minutes_full - minutes) * 60 * 1000);
        return le32(degrees) + le32(1) + le32(minutes) + le32(1) + le32(seconds) + le32(1000);
    };
    auto entry = [](std::uint32_t tag, std::uint32_t type, std::uint32_t count, std::string value) {
        value.resize(4, '\0');
        return le16(tag) + le16(type) + le32(count) + value;
    };
    std::string t = "II" + le16(42) + le32(ifd0);
    t += le16(4);
    t += entry(0x010F, 2, 8, le32(data));        // Make
    t += entry(0x0110, 2, 8, le32(data + 8));    // Model
    t += entry(0xA431, 2, 12, le32(data + 16));  // BodySerialNumber
    t += entry(0x8825, 4, 1, le32(gps));         // GPSInfo IFD pointer
    t += le32(0);
    t += le16(4);
    t += entry(0x0001, 2, 2, "N");              // GPSLatitudeRef
    t += entry(0x0002, 5, 3, le32(data + 28));  // GPSLatitude
    t += entry(0x0003, 2, 2, "E");              // GPSLongitudeRef
    t += entry(0x0004, 5, 3, le32(data + 52));  // GPSLongitude
    t += le32(0);
    t += make + model + serial + rational_dms(lat) + rational_dms(lon);
    return t;
}

/// A JPEG as a phone writes it: JFIF, Exif with GPS and serial number, XMP, a comment, the
/// picture, and a maker trailer after the end of the image.
inline std::string jpeg_with_gps(double lat = 60.168569, double lon = 24.950627) {
    const std::string jfif = std::string("JFIF\0", 5) + bytes({1, 1, 0, 0, 1, 0, 1, 0, 0});
    const std::string exif = std::string("Exif\0\0", 6) + exif_tiff(lat, lon);
    const std::string xmp = std::string("http://ns.adobe.com/xap/1.0/\0", 29) +
                            "<x:xmpmeta><exif:GPSLatitude>60,10.11N</exif:GPSLatitude></x:xmpmeta>";
    return bytes({0xFF, 0xD8}) + jpeg_segment(0xE0, jfif) + jpeg_segment(0xE1, exif) +
           jpeg_segment(0xE1, xmp) + jpeg_segment(0xFE, "taken at Unioninkatu 25") +
           jpeg_segment(0xED, "Photoshop 3.0") + jpeg_picture() + "TRAILER-WITH-SERIAL-SN123";
}

/// A plain JPEG without metadata.
inline std::string plain_jpeg() {
    const std::string jfif = std::string("JFIF\0", 5) + bytes({1, 1, 0, 0, 1, 0, 1, 0, 0});
    return bytes({0xFF, 0xD8}) + jpeg_segment(0xE0, jfif) + jpeg_picture();
}

/// A valid JPEG of at least `size` bytes: the picture after comment segments of filler.
inline std::string large_jpeg(std::size_t size) {
    std::string out = bytes({0xFF, 0xD8});
    // Segments hold at most 65533 bytes: whole ones of 65000, then the rest.
    while (out.size() + 65004 + 200 <= size) {
        out += jpeg_segment(0xFE, std::string(65000, 'x'));
    }
    if (out.size() + 4 + 200 < size) {
        out += jpeg_segment(0xFE, std::string(size - out.size() - 4 - 200, 'y'));
    }
    return out + jpeg_picture();
}

/// The markers of a JPEG's segments up to and including EOI (empty when not a JPEG).
inline std::vector<int> jpeg_markers(std::string_view d) {
    std::vector<int> out;
    if (d.size() < 2 || static_cast<unsigned char>(d[0]) != 0xFF ||
        static_cast<unsigned char>(d[1]) != 0xD8) {
        return out;
    }
    out.push_back(0xD8);
    std::size_t pos = 2;
    while (pos + 1 < d.size()) {
        if (static_cast<unsigned char>(d[pos]) != 0xFF) {
            ++pos;  // entropy-coded data
            continue;
        }
        const int marker = static_cast<unsigned char>(d[pos + 1]);
        if (marker == 0x00 || marker == 0xFF || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += marker == 0xFF ? 1 : 2;
            continue;
        }
        out.push_back(marker);
        if (marker == 0xD9) {
            break;
        }
        const std::size_t length =
            (static_cast<std::size_t>(static_cast<unsigned char>(d[pos + 2])) << 8U) |
            static_cast<unsigned char>(d[pos + 3]);
        pos += 2 + length;
    }
    return out;
}

/// The GPS position in a JPEG's Exif segment, read as a viewer would; nullopt when none.
inline std::optional<std::pair<double, double>> jpeg_exif_gps(std::string_view d) {
    auto u16 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(d[at])) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>(d[at + 1])) << 8U);
    };
    auto u32 = [&](std::size_t at) {
        return u16(at) | (u16(at + 2) << 16U);
    };
    std::size_t pos = 2;
    while (pos + 4 < d.size() && static_cast<unsigned char>(d[pos]) == 0xFF) {
        const int marker = static_cast<unsigned char>(d[pos + 1]);
        const std::size_t length =
            (static_cast<std::size_t>(static_cast<unsigned char>(d[pos + 2])) << 8U) |
            static_cast<unsigned char>(d[pos + 3]);
        if (marker == 0xDA || marker == 0xD9) {
            break;
        }
        if (marker == 0xE1 && d.substr(pos + 4, 6) == std::string_view("Exif\0\0", 6)) {
            const std::size_t tiff = pos + 10;
            const std::size_t ifd0 = tiff + u32(tiff + 4);
            std::optional<std::size_t> gps;
            for (std::uint32_t i = 0; i < u16(ifd0); ++i) {
                const std::size_t e = ifd0 + 2 + i * 12;
                if (u16(e) == 0x8825) {
                    gps = tiff + u32(e + 8);
                }
            }
            if (!gps) {
                return std::nullopt;
            }
            double lat = 0;
            double lon = 0;
            for (std::uint32_t i = 0; i < u16(*gps); ++i) {
                const std::size_t e = *gps + 2 + i * 12;
                if (u16(e) == 2 || u16(e) == 4) {
                    const std::size_t v = tiff + u32(e + 8);
                    const double value = double(u32(v)) / u32(v + 4) +
                                         double(u32(v + 8)) / u32(v + 12) / 60 +
                                         double(u32(v + 16)) / u32(v + 20) / 3600;
                    (u16(e) == 2 ? lat : lon) = value;
                }
            }
            return std::make_pair(lat, lon);
        }
        pos += 2 + length;
    }
    return std::nullopt;
}

inline std::uint32_t crc32(std::string_view bytes_in) {
    std::uint32_t c = 0xFFFFFFFFU;
    for (char ch : bytes_in) {
        c ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k) {
            c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
        }
    }
    return c ^ 0xFFFFFFFFU;
}

inline std::string png_chunk(const std::string& type, const std::string& data) {
    return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc32(type + data));
}

/// A 1×1 grey PNG with an eXIf chunk (GPS), text chunks and a timestamp.
inline std::string png_with_metadata() {
    const std::string ihdr = be32(1) + be32(1) + bytes({8, 0, 0, 0, 0});
    // zlib stream with one stored block holding the scanline (filter 0, pixel 0x80).
    const std::string raw = bytes({0x00, 0x80});
    std::uint32_t a = 1;
    std::uint32_t b = 0;
    for (char c : raw) {
        a = (a + static_cast<unsigned char>(c)) % 65521;
        b = (b + a) % 65521;
    }
    const std::string idat =
        bytes({0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF}) + raw + be32((b << 16U) | a);
    return std::string("\x89PNG\r\n\x1A\n", 8) + png_chunk("IHDR", ihdr) +
           png_chunk("eXIf", exif_tiff(60.17, 24.95)) +
           png_chunk("tEXt", std::string("Author\0Maija", 12)) + png_chunk("gAMA", be32(45455)) +
           png_chunk("tIME", bytes({0x07, 0xEA, 11, 22, 10, 0, 0})) + png_chunk("IDAT", idat) +
           png_chunk("iTXt", std::string("GPS\0\0\0\0", 7) + "60.17,24.95") +
           png_chunk("IEND", "") + "trailing";
}

/// The chunk types of a PNG, in order.
inline std::vector<std::string> png_chunk_types(std::string_view d) {
    std::vector<std::string> out;
    std::size_t pos = 8;
    while (pos + 12 <= d.size()) {
        const auto length =
            (static_cast<std::uint32_t>(static_cast<unsigned char>(d[pos])) << 24U) |
            (static_cast<std::uint32_t>(static_cast<unsigned char>(d[pos + 1])) << 16U) |
            (static_cast<std::uint32_t>(static_cast<unsigned char>(d[pos + 2])) << 8U) |
            static_cast<unsigned char>(d[pos + 3]);
        out.emplace_back(d.substr(pos + 4, 4));
        pos += 12 + length;
    }
    return out;
}

inline std::string riff_chunk(const std::string& fourcc, std::string data) {
    const auto size = static_cast<std::uint32_t>(data.size());
    if (data.size() % 2 != 0) {
        data += '\0';
    }
    return fourcc + le32(size) + data;
}

/// An extended-format WebP: VP8X announcing EXIF and XMP, a lossless 1×1 image, EXIF with GPS,
/// XMP.
inline std::string webp_with_metadata() {
    const std::string vp8x = bytes({0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    const std::string vp8l =
        bytes({0x2F, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0x00});
    const std::string body = "WEBP" + riff_chunk("VP8X", vp8x) + riff_chunk("VP8L", vp8l) +
                             riff_chunk("EXIF", exif_tiff(60.17, 24.95)) +
                             riff_chunk("XMP ", "<x:xmpmeta>GPS</x:xmpmeta>");
    return "RIFF" + le32(static_cast<std::uint32_t>(body.size())) + body;
}

/// The chunk fourccs of a WebP, in order.
inline std::vector<std::string> webp_chunk_types(std::string_view d) {
    std::vector<std::string> out;
    std::size_t pos = 12;
    while (pos + 8 <= d.size()) {
        const auto size =
            static_cast<std::uint32_t>(static_cast<unsigned char>(d[pos + 4])) |
            (static_cast<std::uint32_t>(static_cast<unsigned char>(d[pos + 5])) << 8U) |
            (static_cast<std::uint32_t>(static_cast<unsigned char>(d[pos + 6])) << 16U) |
            (static_cast<std::uint32_t>(static_cast<unsigned char>(d[pos + 7])) << 24U);
        out.emplace_back(d.substr(pos, 4));
        pos += 8 + size + (size % 2);
    }
    return out;
}

/// The classic 1×1 GIF with a comment extension and an XMP application extension added.
inline std::string gif_with_comment() {
    return std::string("GIF89a") +
           bytes({0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00}) +
           bytes({0x21, 0xFE, 0x05}) + "hello" + bytes({0x00}) + bytes({0x21, 0xFF, 0x0B}) +
           "XMP DataXMP" + bytes({0x03}) + "GPS" + bytes({0x00}) +
           bytes({0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00,
                  0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B});
}

}  // namespace open311::test
