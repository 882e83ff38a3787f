#include "media/image.hpp"
#include "support/test_images.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace open311::media {
namespace {

using open311::test::bytes;

std::string cleaned(ImageType type, const std::string& data) {
    std::string problem;
    auto pieces = clean_image(type, data, problem);
    EXPECT_TRUE(pieces.has_value()) << problem;
    return pieces ? assemble(data, *pieces) : std::string();
}

bool contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(SniffImage, JudgesByContent) {
    EXPECT_EQ(sniff_image(test::plain_jpeg()), ImageType::jpeg);
    EXPECT_EQ(sniff_image(test::png_with_metadata()), ImageType::png);
    EXPECT_EQ(sniff_image(test::gif_with_comment()), ImageType::gif);
    EXPECT_EQ(sniff_image(test::webp_with_metadata()), ImageType::webp);
    EXPECT_FALSE(sniff_image("just some text, named photo.jpg").has_value());
    EXPECT_FALSE(sniff_image("").has_value());
    EXPECT_FALSE(sniff_image("\xFF\xD8").has_value());
}

TEST(SniffImage, RecognisesHeif) {
    const std::string heic = bytes({0, 0, 0, 0x18}) + "ftypheic" + bytes({0, 0, 0, 0}) + "mif1heic";
    EXPECT_TRUE(looks_like_heif(heic));
    EXPECT_FALSE(sniff_image(heic).has_value());
    EXPECT_FALSE(looks_like_heif(test::plain_jpeg()));
}

TEST(CleanJpeg, TestImageReallyCarriesGps) {
    // The fixture itself: a viewer would find the position.
    auto gps = test::jpeg_exif_gps(test::jpeg_with_gps(60.168569, 24.950627));
    ASSERT_TRUE(gps.has_value());
    EXPECT_NEAR(gps->first, 60.168569, 1e-3);
    EXPECT_NEAR(gps->second, 24.950627, 1e-3);
}

TEST(CleanJpeg, RemovesExifXmpCommentsIptcAndTrailer) {
    const auto original = test::jpeg_with_gps();
    const auto out = cleaned(ImageType::jpeg, original);
    EXPECT_FALSE(test::jpeg_exif_gps(out).has_value());
    const auto markers = test::jpeg_markers(out);
    EXPECT_FALSE(contains(markers, 0xE1));  // Exif, XMP
    EXPECT_FALSE(contains(markers, 0xFE));  // comment
    EXPECT_FALSE(contains(markers, 0xED));  // IPTC
    // What a decoder needs stays, in order, and nothing follows the end of the image.
    EXPECT_EQ(markers, (std::vector<int>{0xD8, 0xE0, 0xDB, 0xC9, 0xCC, 0xDA, 0xD9}));
    EXPECT_EQ(out.substr(out.size() - 2), bytes({0xFF, 0xD9}));
    EXPECT_EQ(out.find("SN123"), std::string::npos);
    EXPECT_EQ(out.find("Unioninkatu"), std::string::npos);
}

TEST(CleanJpeg, PlainImageIsUnchanged) {
    const auto original = test::plain_jpeg();
    EXPECT_EQ(cleaned(ImageType::jpeg, original), original);
}

TEST(CleanJpeg, KeepsIccProfile) {
    const auto icc = test::jpeg_segment(0xE2, std::string("ICC_PROFILE\0", 12) + "profile");
    const auto original = bytes({0xFF, 0xD8}) + icc + test::jpeg_picture();
    EXPECT_EQ(cleaned(ImageType::jpeg, original), original);
}

TEST(CleanJpeg, RefusesTruncatedAndDamagedFiles) {
    const auto good = test::jpeg_with_gps();
    std::string problem;
    for (std::size_t cut : {3UL, 10UL, 40UL, good.size() / 2}) {
        EXPECT_FALSE(clean_jpeg(good.substr(0, cut), problem).has_value()) << cut;
    }
    // Without its end marker.
    const auto picture = test::plain_jpeg();
    EXPECT_FALSE(clean_jpeg(picture.substr(0, picture.size() - 2), problem).has_value());
    EXPECT_NE(problem.find("truncated"), std::string::npos);
    // Markers only, no frame or scan.
    EXPECT_FALSE(clean_jpeg(bytes({0xFF, 0xD8, 0xFF, 0xD9}), problem).has_value());
}

TEST(CleanPng, RemovesExifTextAndTime) {
    const auto out = cleaned(ImageType::png, test::png_with_metadata());
    EXPECT_EQ(test::png_chunk_types(out),
              (std::vector<std::string>{"IHDR", "gAMA", "IDAT", "IEND"}));
    EXPECT_EQ(out.find("Maija"), std::string::npos);
}

TEST(CleanPng, RefusesBadChecksumsAndTruncation) {
    auto png = test::png_with_metadata();
    std::string problem;
    auto damaged = png;
    damaged[20] = static_cast<char>(damaged[20] ^ 0x01);  // inside IHDR
    EXPECT_FALSE(clean_png(damaged, problem).has_value());
    EXPECT_NE(problem.find("checksum"), std::string::npos);
    const auto iend = png.find("IEND");
    EXPECT_FALSE(clean_png(png.substr(0, iend), problem).has_value());
}

TEST(CleanWebp, RemovesExifAndXmpAndClearsTheirFlags) {
    const auto out = cleaned(ImageType::webp, test::webp_with_metadata());
    EXPECT_EQ(test::webp_chunk_types(out), (std::vector<std::string>{"VP8X", "VP8L"}));
    EXPECT_EQ(static_cast<unsigned char>(out[20]) & 0x0CU, 0U);  // VP8X flags: no EXIF, XMP
    // The RIFF size matches what is left.
    const auto riff = static_cast<std::size_t>(static_cast<unsigned char>(out[4])) |
                      (static_cast<std::size_t>(static_cast<unsigned char>(out[5])) << 8U);
    EXPECT_EQ(riff + 8, out.size());
}

TEST(CleanWebp, RefusesTruncation) {
    const auto webp = test::webp_with_metadata();
    std::string problem;
    EXPECT_FALSE(clean_webp(webp.substr(0, webp.size() - 5), problem).has_value());
    EXPECT_FALSE(clean_webp(webp.substr(0, 12), problem).has_value());
}

TEST(CleanGif, RemovesCommentAndXmpKeepsImage) {
    const auto original = test::gif_with_comment();
    const auto out = cleaned(ImageType::gif, original);
    EXPECT_EQ(out.find("hello"), std::string::npos);
    EXPECT_EQ(out.find("XMP"), std::string::npos);
    EXPECT_EQ(out.back(), '\x3B');
    EXPECT_LT(out.size(), original.size());
    std::string problem;
    EXPECT_FALSE(clean_gif(original.substr(0, original.size() - 4), problem).has_value());
}

TEST(CleanImage, SurvivesEveryPrefixOfEveryFormat) {
    // Truncation at any byte is refused or accepted, never a crash or an out-of-range read.
    for (const auto& [type, data] : std::vector<std::pair<ImageType, std::string>>{
             {ImageType::jpeg, test::jpeg_with_gps()},
             {ImageType::png, test::png_with_metadata()},
             {ImageType::webp, test::webp_with_metadata()},
             {ImageType::gif, test::gif_with_comment()}}) {
        for (std::size_t n = 0; n < data.size(); ++n) {
            std::string problem;
            auto pieces = clean_image(type, std::string_view(data).substr(0, n), problem);
            if (pieces) {
                EXPECT_LE(assembled_size(*pieces), n + 64);
            }
        }
    }
}

}  // namespace
}  // namespace open311::media
