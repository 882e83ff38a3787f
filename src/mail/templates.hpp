#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace open311::mail {

/// A message ready for the outbox.
struct RenderedMessage {
    std::string subject;
    std::string body;
};

/// Notification texts per kind and locale. A template is a file `<kind>.<locale>.txt` whose
/// first line is `Subject: …`, then a blank line, then the body; `{{name}}` is replaced by the
/// value of `name`. The templates in config/mail are compiled in; a directory given in the
/// configuration overrides them file by file.
class Templates final {
public:
    /// The compiled-in templates, overridden by the files found in `dir` (when not empty).
    static Templates load(const std::string& dir);

    /// `kind` in `locale`, else in `fallback_locale`, else in any locale; nullopt when no
    /// template of that kind exists.
    std::optional<RenderedMessage> render(std::string_view kind,
                                          std::string_view locale,
                                          std::string_view fallback_locale,
                                          const std::map<std::string, std::string>& values) const;

    /// Parses one template file's text; nullopt when it has no Subject line.
    static std::optional<RenderedMessage> parse(std::string_view text);

private:
    std::map<std::string, RenderedMessage, std::less<>> by_name_;  ///< "<kind>.<locale>"
};

}  // namespace open311::mail
