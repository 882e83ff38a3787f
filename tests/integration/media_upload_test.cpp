// Helsinki "Uploading media": photos as multipart parts named media or media[] (at most 3 files,
// 50 MB in total), media_url references, both in one request; metadata removed before storage.
#include "support/media_helpers.hpp"
#include "support/server_fixture.hpp"
#include "support/test_images.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <chrono>
#include <fstream>
#include <future>
#include <iterator>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace open311::test {
namespace {

std::string id_of(const Response& r) {
    auto j = r.json();
    EXPECT_TRUE(j.is_array() && !j.empty()) << r.body;
    return j.is_array() && !j.empty() ? j[0].value("service_request_id", "") : "";
}

/// The public view of a request (extensions on), after publishing it.
nlohmann::json published_view(TestServer& server, const std::string& id) {
    server.publish(id);
    auto r = server.client().get(server.base() + "/requests/" + id + ".json?extensions=true");
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    return j.is_array() && !j.empty() ? j[0] : nlohmann::json();
}

std::vector<std::string> media_urls(const nlohmann::json& request) {
    return request["extended_attributes"]["media_urls"].get<std::vector<std::string>>();
}

void expect_nothing_stored(TestServer& server) {
    EXPECT_EQ(server.store().search_requests({}).total, 0);
    EXPECT_TRUE(files_in(media_dir_of(server)).empty());
    EXPECT_TRUE(files_in(media_dir_of(server) / ".incoming").empty());
}

TEST(MediaUpload, OneFileComesBackAsMediaUrlWithoutGps) {
    TestServer server;
    const auto photo = jpeg_with_gps(60.168569, 24.950627);
    ASSERT_TRUE(jpeg_exif_gps(photo).has_value());
    auto r = post_upload(server, multipart_upload(request_fields(server), {{.data = photo}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto request = published_view(server, id_of(r));
    auto urls = media_urls(request);
    ASSERT_EQ(urls.size(), 1U);
    EXPECT_EQ(request["media_url"], urls[0]);
    EXPECT_EQ(urls[0].rfind("http://127.0.0.1:" + std::to_string(server.port()) + "/media/", 0), 0U)
        << urls[0];

    auto file = server.client().get(media_path(urls[0]));
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_EQ(file.header("Content-Type"), "image/jpeg");
    EXPECT_EQ(file.header("Content-Length"), std::to_string(file.body.size()));
    // The stored photo is a complete JPEG without any Exif, XMP, comment or trailer.
    EXPECT_FALSE(jpeg_exif_gps(file.body).has_value());
    EXPECT_EQ(jpeg_markers(file.body),
              (std::vector<int>{0xD8, 0xE0, 0xDB, 0xC9, 0xCC, 0xDA, 0xD9}));
    EXPECT_EQ(file.body.find("Exif"), std::string::npos);
    EXPECT_EQ(file.body.find("SN123"), std::string::npos);
    // The file on disk is the same cleaned copy: nothing with the position is kept anywhere.
    for (const auto& name : files_in(media_dir_of(server))) {
        std::ifstream in(media_dir_of(server) / name, std::ios::binary);
        std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(stored, file.body);
    }
    // The position of the request is its lat/long, nothing else.
    EXPECT_DOUBLE_EQ(request["lat"].get<double>(), 60.168569);
}

TEST(MediaUpload, ThreeFilesWithArrayFieldNamesInOrder) {
    TestServer server;
    auto r = post_upload(server,
                         multipart_upload(request_fields(server),
                                          {{"media[]", "a.png", "image/png", png_with_metadata()},
                                           {"media[]", "b.webp", "", webp_with_metadata()},
                                           {"media[]", "c.gif", "image/gif", gif_with_comment()}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto urls = media_urls(published_view(server, id_of(r)));
    ASSERT_EQ(urls.size(), 3U);
    const std::vector<std::string> types = {"image/png", "image/webp", "image/gif"};
    for (std::size_t i = 0; i < 3; ++i) {
        auto file = server.client().get(media_path(urls[i]));
        ASSERT_EQ(file.status, 200) << urls[i];
        EXPECT_EQ(file.header("Content-Type"), types[i]);
    }
    auto png = server.client().get(media_path(urls[0])).body;
    for (const auto& chunk : png_chunk_types(png)) {
        EXPECT_TRUE(chunk != "eXIf" && chunk != "tEXt" && chunk != "iTXt" && chunk != "tIME")
            << chunk;
    }
    auto webp = server.client().get(media_path(urls[1])).body;
    EXPECT_EQ(webp_chunk_types(webp), (std::vector<std::string>{"VP8X", "VP8L"}));
}

TEST(MediaUpload, BothFieldNamesInOneRequest) {
    TestServer server;
    auto r = post_upload(server,
                         multipart_upload(request_fields(server),
                                          {{"media", "a.jpg", "image/jpeg", plain_jpeg()},
                                           {"media[]", "b.jpg", "image/jpeg", plain_jpeg()}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(media_urls(published_view(server, id_of(r))).size(), 2U);
}

TEST(MediaUpload, MediaUrlOnlyAndMixed) {
    TestServer server;
    const std::string reference = "https://pbs.twimg.com/media/Ay9wUStCEAEtoPC.jpg";
    auto only = post_upload(
        server, multipart_upload(request_fields(server, {{"media_url", reference}}), {}));
    ASSERT_EQ(only.status, 200) << only.body;
    auto view = published_view(server, id_of(only));
    EXPECT_EQ(media_urls(view), std::vector<std::string>{reference});
    EXPECT_EQ(view["media_url"], reference);

    // Uploaded files come first, then the references.
    auto mixed = post_upload(server,
                             multipart_upload(request_fields(server, {{"media_url", reference}}),
                                              {{.data = plain_jpeg()}}));
    ASSERT_EQ(mixed.status, 200) << mixed.body;
    auto urls = media_urls(published_view(server, id_of(mixed)));
    ASSERT_EQ(urls.size(), 2U);
    EXPECT_NE(urls[0].find("/media/"), std::string::npos);
    EXPECT_EQ(urls[1], reference);
}

TEST(MediaUpload, XmlAnswersListTheUploadedFiles) {
    TestServer server;
    auto r = post_upload(
        server, multipart_upload(request_fields(server), {{.data = plain_jpeg()}}), "xml");
    ASSERT_EQ(r.status, 200) << r.body;
    auto id = std::string(
        r.xml()->child("service_requests").child("request").child_value("service_request_id"));
    server.publish(id);
    auto x = server.client().get(server.base() + "/requests/" + id + ".xml?extensions=true").xml();
    auto request = x->child("service_requests").child("request");
    auto url = std::string(
        request.child("extended_attributes").child("media_urls").child("media_url").child_value());
    EXPECT_EQ(std::string(request.child_value("media_url")), url);
    EXPECT_EQ(server.client().get(media_path(url)).status, 200);
}

TEST(MediaUpload, FourthFileIsRefusedAndNothingStored) {
    TestServer server;
    std::vector<FileField> files(4, FileField{.data = plain_jpeg()});
    auto r = post_upload(server, multipart_upload(request_fields(server), files));
    EXPECT_EQ(r.status, 400) << r.body;
    auto j = r.json();
    EXPECT_NE(j[0]["description"].get<std::string>().find("media: at most 3 files"),
              std::string::npos)
        << r.body;
    expect_nothing_stored(server);
}

TEST(MediaUpload, MoreThan50MegabytesIs413AndNothingStored) {
    TestServer server;
    auto big = large_jpeg(51'000'000);
    auto r = post_upload(server, multipart_upload(request_fields(server), {{.data = big}}), "xml");
    EXPECT_EQ(r.status, 413) << r.body.substr(0, 300);
    auto doc = r.xml();  // the nodes below point into it
    auto error = doc->child("errors").child("error");
    EXPECT_EQ(std::string(error.child_value("code")), "413");
    EXPECT_NE(std::string(error.child_value("description")).find("50000000 bytes"),
              std::string::npos);
    expect_nothing_stored(server);
    // The connection was drained, not broken: the server answers the next request.
    EXPECT_EQ(server.client().get(server.base() + "/services.json").status, 200);
}

TEST(MediaUpload, BodyOverTheTransportLimitIs413) {
    TestServer server([](Config& c) { c.max_multipart_bytes = 64 * 1024; });
    auto r = post_upload(server,
                         multipart_upload(request_fields(server), {{.data = large_jpeg(100000)}}));
    EXPECT_EQ(r.status, 413) << r.body;
    expect_nothing_stored(server);
}

TEST(MediaUpload, TextFileNamedJpgIsRefusedNamingThePart) {
    TestServer server;
    auto r = post_upload(
        server,
        multipart_upload(request_fields(server),
                         {{.data = plain_jpeg()},
                          {"media", "notes.jpg", "image/jpeg", "Just some text, not a photo.\n"}}));
    EXPECT_EQ(r.status, 400) << r.body;
    auto description = r.json()[0]["description"].get<std::string>();
    EXPECT_NE(description.find("media: file 2 (\"notes.jpg\")"), std::string::npos) << description;
    EXPECT_NE(description.find("not a JPEG, PNG, GIF or WebP image"), std::string::npos);
    expect_nothing_stored(server);  // the first, valid file is not kept either
}

TEST(MediaUpload, TruncatedJpegIsRefused) {
    TestServer server;
    auto photo = jpeg_with_gps();
    photo.resize(photo.size() / 2);
    auto r = post_upload(server, multipart_upload(request_fields(server), {{.data = photo}}));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("truncated"), std::string::npos) << r.body;
    expect_nothing_stored(server);
}

TEST(MediaUpload, HeicIsRefusedWithAClearMessage) {
    TestServer server;
    const auto heic = bytes({0, 0, 0, 0x18}) + "ftypheic" + bytes({0, 0, 0, 0}) + "mif1heic";
    auto r = post_upload(
        server,
        multipart_upload(request_fields(server), {{"media", "IMG_0001.HEIC", "image/heic", heic}}));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("HEIC"), std::string::npos) << r.body;
}

TEST(MediaUpload, FilesUnderOtherFieldNamesAreRefused) {
    TestServer server;
    auto r = post_upload(
        server,
        multipart_upload(request_fields(server), {{"photo", "a.jpg", "image/jpeg", plain_jpeg()}}));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("photo: file 1"), std::string::npos) << r.body;
}

TEST(MediaUpload, EmptyFileInputIsIgnored) {
    // What a browser sends for a file input left empty.
    TestServer server;
    auto r = post_upload(
        server,
        multipart_upload(request_fields(server), {{"media", "", "application/octet-stream", ""}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(media_urls(published_view(server, id_of(r))).empty());
}

TEST(MediaUpload, ConcurrentUploadsEachKeepTheirOwnFiles) {
    TestServer server;
    constexpr int kClients = 6;
    std::vector<std::future<Response>> posts;
    std::vector<std::string> photos;
    std::vector<std::string> expected;
    for (int i = 0; i < kClients; ++i) {
        // Each photo has its own JFIF segment (kept by cleaning), so that every stored file
        // can be told apart; the comment filler makes it large (and is dropped).
        const auto app0 =
            jpeg_segment(0xE0, std::string("JFIF\0", 5) + "client-" + std::to_string(i));
        photos.push_back(plain_jpeg().substr(0, 2) + app0 + large_jpeg(1'000'000).substr(2));
        expected.push_back(plain_jpeg().substr(0, 2) + app0 + jpeg_picture());
    }
    for (int i = 0; i < kClients; ++i) {
        posts.push_back(std::async(std::launch::async, [&server, &photos, i] {
            return post_upload(server,
                               multipart_upload(request_fields(server), {{.data = photos[i]}}));
        }));
    }
    std::set<std::string> names;
    for (int i = 0; i < kClients; ++i) {
        auto r = posts[i].get();
        ASSERT_EQ(r.status, 200) << r.body;
        auto urls = media_urls(published_view(server, id_of(r)));
        ASSERT_EQ(urls.size(), 1U);
        names.insert(urls[0]);
        auto file = server.client().get(media_path(urls[0]));
        ASSERT_EQ(file.status, 200);
        EXPECT_EQ(file.body, expected[static_cast<std::size_t>(i)]);
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(kClients));
    EXPECT_TRUE(files_in(media_dir_of(server) / ".incoming").empty());
}

/// A raw connection that sends part of an upload and then stalls.
class StalledUpload {
public:
    StalledUpload(std::uint16_t port, const std::string& head) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::send(fd_, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
    }
    ~StalledUpload() { ::close(fd_); }
    StalledUpload(const StalledUpload&) = delete;
    StalledUpload& operator=(const StalledUpload&) = delete;

    /// Blocks until the server closes the connection; returns what it sent.
    std::string wait_for_close() {
        std::string out;
        char buf[4096];
        while (true) {
            auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                return out;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_ = -1;
};

TEST(MediaUpload, StalledUploadIsCutOffWithoutHoldingAWorker) {
    // One worker only: if a stalled upload held it, the GET below could not be answered.
    TestServer server([](Config& c) {
        c.worker_threads = 1;
        c.request_timeout_seconds = 1;
    });
    auto body = multipart_upload(request_fields(server), {{.data = large_jpeg(300000)}});
    std::string head = "POST " + server.base() +
                       "/requests.json HTTP/1.1\r\nHost: test\r\nContent-Type: "
                       "multipart/form-data; boundary=" +
                       kMediaBoundary + "\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\n\r\n" + body.substr(0, body.size() / 2);
    StalledUpload stalled(server.port(), head);
    auto r = server.client().get(server.base() + "/services.json");
    EXPECT_EQ(r.status, 200);
    // The server gives up on the silent client and removes what it had spooled (checked once
    // the server has stopped, so that the closing session has finished for sure).
    stalled.wait_for_close();
    server.stop();
    EXPECT_TRUE(files_in(media_dir_of(server) / ".incoming").empty());
    EXPECT_EQ(server.store().search_requests({}).total, 0);
}

TEST(MediaUpload, UploadTakingTooLongInAllIsCutOff) {
    TestServer server([](Config& c) {
        c.request_timeout_seconds = 30;
        c.upload_timeout_seconds = 1;
    });
    auto body = multipart_upload(request_fields(server), {{.data = large_jpeg(300000)}});
    std::string head = "POST " + server.base() +
                       "/requests.json HTTP/1.1\r\nHost: test\r\nContent-Type: "
                       "multipart/form-data; boundary=" +
                       kMediaBoundary + "\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\n\r\n" + body.substr(0, 1000);
    StalledUpload stalled(server.port(), head);
    const auto started = std::chrono::steady_clock::now();
    stalled.wait_for_close();
    // Closed by the upload deadline, long before the 30 s read timeout.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
    server.stop();
    EXPECT_TRUE(files_in(media_dir_of(server) / ".incoming").empty());
}

}  // namespace
}  // namespace open311::test
