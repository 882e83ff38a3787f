#include "media/filesystem_storage.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace open311::media {
namespace {

TEST(MediaName, OnlyNamesTheServerMakes) {
    const auto name = new_media_name(ImageType::webp);
    EXPECT_TRUE(is_valid_media_name(name)) << name;
    EXPECT_EQ(media_name_type(name), ImageType::webp);
    EXPECT_NE(new_media_name(ImageType::jpeg), new_media_name(ImageType::jpeg));
    for (const char* bad : {"",
                            "..",
                            "../x.jpg",
                            "abcdefghijklmnopqrstuvwxyz.jpeg",
                            "abcdefghijklmnopqrstuvwxy.jpg",
                            "abcdefghijklmnopqrstuvwxyz.jpg/..",
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ.jpg",
                            "abcdefghijklmnopqrstuvwx1z.jpg",
                            "abcdefghijklmnopqrstuvwxyz.jpg.png",
                            ".incoming"}) {
        EXPECT_FALSE(is_valid_media_name(bad)) << bad;
    }
}

class FilesystemStorageTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "open311d-media-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(FilesystemStorageTest, PutLocateRemove) {
    FilesystemStorage storage((dir_ / "media").string());
    const std::string source = "0123456789";
    const auto name = new_media_name(ImageType::png);
    storage.put(name, source, {Piece{0, 3, {}}, Piece{0, 0, "--"}, Piece{7, 3, {}}});
    auto object = storage.locate(name);
    ASSERT_TRUE(object.has_value());
    EXPECT_EQ(object->size, 8U);
    std::ifstream in(object->path, std::ios::binary);
    std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(stored, "012--789");
    EXPECT_TRUE(storage.remove(name));
    EXPECT_FALSE(storage.locate(name).has_value());
    EXPECT_FALSE(storage.remove(name));
    EXPECT_THROW(storage.put("../escape.png", source, {}), std::invalid_argument);
}

TEST_F(FilesystemStorageTest, ClearsInterruptedUploadsAtStart) {
    std::filesystem::create_directories(dir_ / "media" / ".incoming");
    std::ofstream(dir_ / "media" / ".incoming" / "leftover") << "x";
    std::ofstream(dir_ / "media" / ".tmp-abcdefghijklmnopqrstuvwxyz.jpg") << "x";
    FilesystemStorage storage((dir_ / "media").string());
    EXPECT_TRUE(std::filesystem::is_empty(dir_ / "media" / ".incoming"));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "media" / ".tmp-abcdefghijklmnopqrstuvwxyz.jpg"));
}

}  // namespace
}  // namespace open311::media
