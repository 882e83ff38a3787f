#include "telemetry/process_metrics.hpp"

#include <chrono>

namespace open311::telemetry {
namespace {

// Taken during static initialisation: the process's start within a millisecond or so.
const double kStartTime =
    std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();

}  // namespace

ProcessMetrics& process_metrics() {
    static ProcessMetrics metrics;
    return metrics;
}

double process_start_time() {
    return kStartTime;
}

}  // namespace open311::telemetry
