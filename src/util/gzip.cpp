#include "util/gzip.hpp"

#include <stdexcept>
#include <zlib.h>

namespace open311 {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // zlib's way to ask for the gzip wrapper

}  // namespace

std::string gzip_compress(std::string_view data) {
    z_stream z{};
    if (deflateInit2(&z, 1, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    // zlib's API is not const-correct; it does not write to the input.
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        throw std::runtime_error("deflate failed");
    }
    out.resize(z.total_out);
    return out;
}

std::string gzip_decompress(std::string_view data) {
    z_stream z{};
    if (inflateInit2(&z, kGzipWindowBits) != Z_OK) {
        throw std::runtime_error("inflateInit2 failed");
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buffer);
        z.avail_out = sizeof buffer;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - z.avail_out);
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        throw std::runtime_error("malformed gzip data");
    }
    return out;
}

}  // namespace open311
