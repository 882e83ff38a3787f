// Path routing and everything behind it: the whole API (base path, percent-decoding, format
// suffix, route table, handlers, validators, the store, both writers) on a real SQLite file.
// Input: first byte the method, then "TARGET\nACCEPT\nCONTENT-TYPE\nBODY".
#include "api/api.hpp"
#include "catalogue/catalogue_file.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "util/embedded.hpp"
#include "workflow/keys.hpp"

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <unistd.h>

namespace {

struct World {
    World() {
        spdlog::set_level(spdlog::level::off);
        char dir[] = "/tmp/open311-fuzz-XXXXXX";
        if (mkdtemp(dir) == nullptr) {
            std::abort();
        }
        config.db_path = std::string(dir) + "/fuzz.db";
        config.db_synchronous = "normal";  // speed; durability is not what is fuzzed here
        config.key_posts_per_minute = 0;
        config.ip_posts_per_minute = 0;
        store = std::make_unique<open311::store::SqliteStore>(config.db_path, "normal");
        store->upsert_services(open311::catalogue::parse_catalogue(
            std::string(open311::embedded_demo_catalogue().front().content)));
        open311::ApiKey key;
        key.name = "fuzz";
        key.role = open311::Role::admin;
        secret = open311::workflow::issue_key(*store, key).value_or("");
        api = std::make_unique<open311::api::Api>(config, *store);
    }
    open311::Config config;
    std::unique_ptr<open311::store::SqliteStore> store;
    std::unique_ptr<open311::api::Api> api;
    std::string secret;
};

std::string_view next_line(std::string_view& input) {
    const auto end = input.find('\n');
    const auto line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    if (size == 0) {
        return 0;
    }
    static constexpr open311::api::Method kMethods[] = {open311::api::Method::get,
                                                        open311::api::Method::head,
                                                        open311::api::Method::post,
                                                        open311::api::Method::put,
                                                        open311::api::Method::delete_,
                                                        open311::api::Method::options,
                                                        open311::api::Method::other};
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    open311::api::HttpRequest request;
    request.method = kMethods[(data[0] & 0x7f) % std::size(kMethods)];
    request.target = std::string(next_line(input));
    request.accept = std::string(next_line(input));
    request.content_type = std::string(next_line(input));
    request.body = std::string(input);
    request.client_address = "127.0.0.1";
    request.request_id = "fuzz";
    if (data[0] & 0x80) {
        request.authorization = "Bearer " + world.secret;  // reach the staff routes too
    }
    auto response = world.api->handle(request);
    if (response.status < 100 || response.status > 599 || response.status == 500) {
        __builtin_trap();  // a 500 is a bug the fuzzer found
    }
    return 0;
}
