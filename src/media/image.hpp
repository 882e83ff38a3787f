#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311::media {

/// The image formats accepted as uploads. HEIC/HEIF is refused (see docs/api.md "Media").
enum class ImageType { jpeg, png, gif, webp };

/// The format judged from the first bytes (magic numbers), whatever the name or declared type.
std::optional<ImageType> sniff_image(std::string_view head);
/// True for an ISO-BMFF HEIF/HEIC/AVIF file ("ftyp" box), to give a specific refusal.
bool looks_like_heif(std::string_view head);
const char* content_type(ImageType type);
/// The file extension used for stored files, without the dot ("jpg", "png", "gif", "webp").
const char* extension(ImageType type);
const char* display_name(ImageType type);
/// The type of a stored file's extension; nullopt for any other.
std::optional<ImageType> type_from_extension(std::string_view ext);

/// A piece of a cleaned image: either `length` bytes of the original from `offset`, or, when
/// `bytes` is not empty, those replacement bytes. Cleaning produces pieces instead of a copy so
/// that a large upload is held in memory only once.
struct Piece {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string bytes;
};

/// Checks that `data` is a complete image of `type` and returns it without metadata: EXIF (GPS
/// position, camera serial), XMP, IPTC, comments, text chunks, timestamps and bytes after the
/// end of the image. Returns nullopt and a client-facing `problem` when the file is truncated
/// or not a well-formed image of that type.
std::optional<std::vector<Piece>> clean_image(ImageType type,
                                              std::string_view data,
                                              std::string& problem);

std::optional<std::vector<Piece>> clean_jpeg(std::string_view data, std::string& problem);
std::optional<std::vector<Piece>> clean_png(std::string_view data, std::string& problem);
std::optional<std::vector<Piece>> clean_webp(std::string_view data, std::string& problem);
std::optional<std::vector<Piece>> clean_gif(std::string_view data, std::string& problem);

/// The bytes the pieces describe, in one string (tests, small files).
std::string assemble(std::string_view data, const std::vector<Piece>& pieces);
/// Total size of the pieces.
std::size_t assembled_size(const std::vector<Piece>& pieces);

namespace detail {
/// Appends a range of the original, merging it with the previous range when adjacent.
void keep(std::vector<Piece>& pieces, std::size_t offset, std::size_t length);
}  // namespace detail

/// The byte at `at` as a number (the cleaners read binary headers).
inline std::uint8_t byte_at(std::string_view data, std::size_t at) {
    return static_cast<std::uint8_t>(data[at]);
}

}  // namespace open311::media
