#pragma once

#include "format/document.hpp"

#include "open311/domain/workflow.hpp"

#include <vector>

namespace open311::format {

/// How the updates feed writes `status`: FMS extended states, or only open/closed.
enum class UpdateStatusStyle { extended, basic };

/// GET servicerequestupdates: the public feed (no personal data, no key names).
Document updates_tree(const std::vector<RequestUpdate>& updates, UpdateStatusStyle style);
/// POST servicerequestupdates: update_id, or the token while the update awaits moderation.
Document update_post_response_tree(const RequestUpdate& update);
/// GET update_tokens/{token}.
Document update_token_tree(const std::string& token, const std::string& update_id);

/// Staff API views (JSON only), personal fields included.
nlohmann::ordered_json staff_update(const RequestUpdate& update);
nlohmann::ordered_json staff_audit_entry(const AuditEntry& entry);
nlohmann::ordered_json staff_notification(const Notification& notification);

}  // namespace open311::format
