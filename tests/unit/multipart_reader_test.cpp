#include "form/multipart_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311::form {
namespace {

struct Part {
    PartHeaders headers;
    std::string data;
};

class CollectingSink final : public MultipartSink {
public:
    bool begin_part(const PartHeaders& headers) override {
        parts.push_back({headers, {}});
        return parts.size() <= stop_after;
    }
    bool part_data(std::string_view data) override {
        largest_piece = std::max(largest_piece, data.size());
        parts.back().data.append(data);
        return true;
    }
    bool end_part() override { return true; }

    std::vector<Part> parts;
    std::size_t largest_piece = 0;
    std::size_t stop_after = 1000;
};

const std::string kType = "multipart/form-data; boundary=AaB03x";

std::string sample_body(const std::string& file) {
    // The shape of the Helsinki "Uploading media" example, including its empty line between a
    // delimiter and the part headers.
    return "--AaB03x\r\nContent-Disposition: form-data; name=\"service_code \"\r\n\r\n001\r\n"
           "--AaB03x\r\n\r\nContent-Disposition: form-data; name=\"last_name \"\r\n\r\nSmith\r\n"
           "--AaB03x\r\nContent-Disposition: form-data; name=\"media[]\"; "
           "filename=\"image.gif\"\r\n"
           "Content-Type: image/gif\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
           file + "\r\n--AaB03x--\r\n";
}

std::string binary_file(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        // Line breaks and dashes, so that delimiter prefixes occur inside the data.
        static constexpr char kAlphabet[] = "\r\n-AaB03x\0\xff";
        out[i] = kAlphabet[(i * 7 + i / 13) % (sizeof(kAlphabet) - 1)];
    }
    return out;
}

std::vector<Part> read_in_chunks(const std::string& body, std::size_t chunk) {
    CollectingSink sink;
    auto reader = MultipartReader::for_content_type(kType, sink);
    EXPECT_TRUE(reader.has_value());
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        reader->feed(std::string_view(body).substr(at, chunk));
    }
    EXPECT_EQ(reader->finish(), MultipartReader::State::done) << "chunk " << chunk;
    return sink.parts;
}

TEST(MultipartReader, SameResultForEveryChunkSize) {
    const auto file = binary_file(3000);
    const auto body = sample_body(file);
    for (std::size_t chunk : {1U, 2U, 3U, 7U, 13U, 64U, 1000U, 100000U}) {
        auto parts = read_in_chunks(body, chunk);
        ASSERT_EQ(parts.size(), 3U) << "chunk " << chunk;
        EXPECT_EQ(parts[0].headers.name, "service_code");
        EXPECT_EQ(parts[0].data, "001");
        EXPECT_EQ(parts[1].headers.name, "last_name");
        EXPECT_EQ(parts[1].data, "Smith");
        EXPECT_EQ(parts[2].headers.name, "media[]");
        EXPECT_EQ(parts[2].headers.filename, std::optional<std::string>("image.gif"));
        EXPECT_EQ(parts[2].headers.content_type, "image/gif");
        EXPECT_EQ(parts[2].data, file) << "chunk " << chunk;
    }
}

TEST(MultipartReader, BodyEndingWithoutClosingDashesIsComplete) {
    // The Helsinki example ends with "--AaB03x" and no closing "--".
    const std::string body =
        "--AaB03x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--AaB03x";
    auto parts = read_in_chunks(body, 5);
    ASSERT_EQ(parts.size(), 1U);
    EXPECT_EQ(parts[0].data, "1");
}

TEST(MultipartReader, MemoryStaysBoundedForLargeParts) {
    // Data is handed on as it arrives: no piece is larger than the chunk fed in.
    const auto body = sample_body(binary_file(1 << 20));
    CollectingSink sink;
    auto reader = MultipartReader::for_content_type(kType, sink);
    ASSERT_TRUE(reader.has_value());
    for (std::size_t at = 0; at < body.size(); at += 4096) {
        reader->feed(std::string_view(body).substr(at, 4096));
    }
    EXPECT_EQ(reader->finish(), MultipartReader::State::done);
    EXPECT_LE(sink.largest_piece, 4096U + 64U);
    EXPECT_EQ(sink.parts.back().data.size(), 1U << 20);
}

TEST(MultipartReader, TruncatedDataIsMalformed) {
    const auto body = sample_body(binary_file(500));
    CollectingSink sink;
    auto reader = MultipartReader::for_content_type(kType, sink);
    reader->feed(std::string_view(body).substr(0, body.size() - 40));
    EXPECT_EQ(reader->finish(), MultipartReader::State::malformed);
}

TEST(MultipartReader, OversizedPartHeadersAreMalformed) {
    const std::string body = "--AaB03x\r\nContent-Disposition: form-data; name=\"" +
                             std::string(MultipartReader::kMaxPartHeaderBytes + 10, 'a');
    CollectingSink sink;
    auto reader = MultipartReader::for_content_type(kType, sink);
    EXPECT_EQ(reader->feed(body), MultipartReader::State::malformed);
    EXPECT_TRUE(sink.parts.empty());
}

TEST(MultipartReader, SinkCanStopReading) {
    CollectingSink sink;
    sink.stop_after = 1;
    auto reader = MultipartReader::for_content_type(kType, sink);
    EXPECT_EQ(reader->feed(sample_body("x")), MultipartReader::State::stopped);
    EXPECT_EQ(sink.parts.size(), 2U);
    // Nothing more is read once stopped.
    EXPECT_EQ(reader->feed(sample_body("y")), MultipartReader::State::stopped);
    EXPECT_EQ(sink.parts.size(), 2U);
}

TEST(MultipartReader, NeedsABoundary) {
    CollectingSink sink;
    EXPECT_FALSE(MultipartReader::for_content_type("multipart/form-data", sink).has_value());
    EXPECT_FALSE(MultipartReader::for_content_type(
                     "multipart/form-data; boundary=" + std::string(201, 'b'), sink)
                     .has_value());
}

}  // namespace
}  // namespace open311::form
