#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311 {

/// The Helsinki detailed status of a request is a list: at most one *main* value (RECEIVED,
/// IN_PROCESS, PROCESSED, ARCHIVED, REJECTED), which decides open/closed, plus any of the
/// PUBLIC_WORKS_* values of the Public Works Department's system, which decide nothing.
bool is_main_detailed_status(std::string_view value);

/// "open" or "closed" as a main detailed value implies.
const char* status_implied_by(std::string_view main_value);

/// Splits a stored comma list ("IN_PROCESS,PUBLIC_WORKS_NEW") into its values.
std::vector<std::string> split_detailed_status(const std::string& list);
std::string join_detailed_status(const std::vector<std::string>& values);

/// One FixMyStreet extended state and what it means here.
struct ExternalStatus {
    const char* name;      ///< as FMS writes it, lower case with underscores
    const char* status;    ///< open | closed
    const char* detailed;  ///< the Helsinki main detailed value it maps to
};

/// The FMS extended states (docs/case-handling.md has the table).
const std::vector<ExternalStatus>& external_statuses();

/// Looks up an FMS state case-insensitively, with spaces or underscores ("In progress",
/// "IN_PROGRESS"); "open" and "closed" are included.
const ExternalStatus* find_external_status(std::string_view name);

/// The FMS state that best describes a request with this status and detailed status, for the
/// updates feed.
std::string external_status_for(std::string_view status, const std::string& detailed_list);

/// Brings a detailed list in line with a new status: when the main value contradicts the
/// status it is replaced (closed → PROCESSED, open → IN_PROCESS); PUBLIC_WORKS_* values stay.
std::string align_detailed_status(const std::string& detailed_list, std::string_view status);

}  // namespace open311
