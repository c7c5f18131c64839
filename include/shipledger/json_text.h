// JSON string text: escaping for every JSON this project writes by hand (log lines, HTTP
// answers, CLI output). Quotes, backslashes and control characters are escaped, and bytes that
// are not UTF-8 (a peer's or client's text can be anything) become U+FFFD, so the result is
// always valid JSON.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <string_view>

namespace shipledger {

// Appends `text` to `out` as the contents of a JSON string (without the quotes).
void AppendJsonString(std::string_view text, std::string* out);
// `text` as a JSON string, quotes included.
std::string JsonQuoted(std::string_view text);

}  // namespace shipledger
