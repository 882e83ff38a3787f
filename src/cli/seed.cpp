// `open311d seed`: fills the database with realistic published requests for benchmarks and
// demos, through the same store code as the API, in large transactions.
#include "cli/commands.hpp"
#include "seed/generator.hpp"

#include "open311/store/make_store.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>

namespace open311::cli {

int run_seed(const CommonOptions& options, std::int64_t count, std::uint64_t seed) {
    auto config = load(options);
    if (!config) {
        return 2;
    }
    try {
        auto opened = make_store(*config);
        Store& store = *opened;
        std::vector<std::string> codes;
        for (const auto& service : store.list_services(false)) {
            codes.push_back(service.code);
        }
        if (codes.empty()) {
            std::cerr << "open311d: the catalogue is empty; import services first "
                         "(open311d services import FILE)\n";
            return 1;
        }
        const auto started = std::chrono::steady_clock::now();
        seed::Generator generator(std::move(codes), now(), seed);
        constexpr std::int64_t kBatch = 20000;
        std::vector<ServiceRequest> batch;
        batch.reserve(kBatch);
        for (std::int64_t done = 0; done < count;) {
            batch.clear();
            for (; done < count && static_cast<std::int64_t>(batch.size()) < kBatch; ++done) {
                batch.push_back(generator.next());
            }
            store.insert_requests(batch);
        }
        const auto seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cout << "seeded " << count << " published requests in " << seconds << " s\n";
    } catch (const std::exception& e) {
        std::cerr << "open311d: seeding failed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace open311::cli
