// Image formats judged by content, and the helpers the metadata cleaners share.
#include "media/image.hpp"

#include "domain/enum_names.hpp"

namespace open311::media {

std::optional<ImageType> sniff_image(std::string_view head) {
    if (head.size() >= 3 && head.compare(0, 3, "\xFF\xD8\xFF") == 0) {
        return ImageType::jpeg;
    }
    if (head.size() >= 8 && head.compare(0, 8, std::string_view("\x89PNG\r\n\x1A\n", 8)) == 0) {
        return ImageType::png;
    }
    if (head.size() >= 6 &&
        (head.compare(0, 6, "GIF87a") == 0 || head.compare(0, 6, "GIF89a") == 0)) {
        return ImageType::gif;
    }
    if (head.size() >= 12 && head.compare(0, 4, "RIFF") == 0 && head.compare(8, 4, "WEBP") == 0) {
        return ImageType::webp;
    }
    return std::nullopt;
}

bool looks_like_heif(std::string_view head) {
    if (head.size() < 12 || head.compare(4, 4, "ftyp") != 0) {
        return false;
    }
    const auto brand = head.substr(8, 4);
    for (std::string_view heif :
         {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"}) {
        if (brand == heif) {
            return true;
        }
    }
    return false;
}

const char* content_type(ImageType type) {
    static constexpr EnumNames<ImageType, 4> kTypes(
        {"image/jpeg", "image/png", "image/gif", "image/webp"});
    return kTypes.name(type);
}

const char* extension(ImageType type) {
    switch (type) {
        case ImageType::jpeg:
            return "jpg";
        case ImageType::png:
            return "png";
        case ImageType::gif:
            return "gif";
        case ImageType::webp:
            return "webp";
    }
    return "bin";
}

const char* display_name(ImageType type) {
    switch (type) {
        case ImageType::jpeg:
            return "JPEG";
        case ImageType::png:
            return "PNG";
        case ImageType::gif:
            return "GIF";
        case ImageType::webp:
            return "WebP";
    }
    return "image";
}

std::optional<ImageType> type_from_extension(std::string_view ext) {
    for (auto type : {ImageType::jpeg, ImageType::png, ImageType::gif, ImageType::webp}) {
        if (ext == extension(type)) {
            return type;
        }
    }
    return std::nullopt;
}

std::optional<std::vector<Piece>> clean_image(ImageType type,
                                              std::string_view data,
                                              std::string& problem) {
    switch (type) {
        case ImageType::jpeg:
            return clean_jpeg(data, problem);
        case ImageType::png:
            return clean_png(data, problem);
        case ImageType::gif:
            return clean_gif(data, problem);
        case ImageType::webp:
            return clean_webp(data, problem);
    }
    problem = "unknown image type";
    return std::nullopt;
}

std::string assemble(std::string_view data, const std::vector<Piece>& pieces) {
    std::string out;
    out.reserve(assembled_size(pieces));
    for (const auto& p : pieces) {
        if (p.bytes.empty()) {
            out.append(data.substr(p.offset, p.length));
        } else {
            out.append(p.bytes);
        }
    }
    return out;
}

std::size_t assembled_size(const std::vector<Piece>& pieces) {
    std::size_t total = 0;
    for (const auto& p : pieces) {
        total += p.bytes.empty() ? p.length : p.bytes.size();
    }
    return total;
}

namespace detail {
void keep(std::vector<Piece>& pieces, std::size_t offset, std::size_t length) {
    if (length == 0) {
        return;
    }
    if (!pieces.empty() && pieces.back().bytes.empty() &&
        pieces.back().offset + pieces.back().length == offset) {
        pieces.back().length += length;
        return;
    }
    pieces.push_back(Piece{offset, length, {}});
}
}  // namespace detail

}  // namespace open311::media
