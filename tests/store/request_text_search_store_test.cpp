// RequestFilter's staff search conditions: words over title, description and address, and
// "has a photo" (uploaded or linked).
#include "store/store_contract.hpp"

#include "open311/store/request_store.hpp"

#include <algorithm>

namespace open311::store_test {
namespace {

template <typename Backend>
class RequestSearchContract : public StoreContract<Backend> {
protected:
    std::vector<std::string> ids(RequestFilter f) {
        std::vector<std::string> out;
        for (const auto& r : this->store().search_requests(f).items) {
            out.push_back(r.id);
        }
        std::sort(out.begin(), out.end());
        return out;
    }
};
TYPED_TEST_SUITE(RequestSearchContract, StoreBackends, BackendNames);

TYPED_TEST(RequestSearchContract, WordsAndPhotos) {
    auto& store = this->store();
    auto a = this->request("a");
    a.description = "Broken BENCH in the park";
    a.address = "Mannerheimintie 1";
    auto b = this->request("b", 1);
    b.title = "Bench";
    b.description = "paint peeling";
    b.media.push_back(MediaFile{"m1.jpg", "image/jpeg", 10});
    auto c = this->request("c", 2);
    c.description = "Pothole";
    c.media_urls = {"https://example.org/x.jpg"};
    store.insert_requests({a, b, c});

    RequestFilter f;
    f.text = "bench";
    EXPECT_EQ(this->ids(f), (std::vector<std::string>{"a", "b"}));
    f.text = "bench  mannerheimintie";  // every word, anywhere in the three fields
    EXPECT_EQ(this->ids(f), (std::vector<std::string>{"a"}));
    f.text = "swing";
    EXPECT_TRUE(this->ids(f).empty());
    f.text = "100%_";  // LIKE wildcards are plain text here
    EXPECT_TRUE(this->ids(f).empty());

    RequestFilter photos;
    photos.has_media = true;
    EXPECT_EQ(this->ids(photos), (std::vector<std::string>{"b", "c"}));
    photos.has_media = false;
    EXPECT_EQ(this->ids(photos), (std::vector<std::string>{"a"}));
    photos.text = "pothole";
    photos.has_media = true;
    EXPECT_EQ(this->ids(photos), (std::vector<std::string>{"c"}));
    EXPECT_EQ(store.search_requests(photos).total, 1);
}

}  // namespace
}  // namespace open311::store_test
