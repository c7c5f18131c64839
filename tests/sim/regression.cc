#include "sim/regression.h"

#include <sstream>

namespace shipledger::sim {

std::vector<RegressionSeed> ParseRegressionSeeds(const std::string& text, std::string* error) {
  std::vector<RegressionSeed> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::string body = line.substr(0, line.find('#'));
    std::istringstream fields(body);
    std::string seed_text;
    if (!(fields >> seed_text)) continue;
    RegressionSeed r;
    r.line = line;
    try {
      size_t used = 0;
      r.seed = std::stoull(seed_text, &used);
      if (used != seed_text.size()) throw std::invalid_argument(seed_text);
    } catch (const std::exception&) {
      *error += "bad seed in line: " + line + "\n";
      continue;
    }
    bool bad = false;
    std::string token;
    while (!bad && fields >> token) {
      if (token.starts_with("n=")) {
        const std::string size = token.substr(2);
        if (size == "4" || size == "7") {
          r.n = static_cast<uint32_t>(std::stoul(size));
        } else {
          *error += "bad cluster size (n=4 or n=7) in line: " + line + "\n";
          bad = true;
        }
      } else {
        if (!r.profile) r.profile = ParseProfile(token);
        if (!r.profile || ProfileName(*r.profile) != token) {
          *error += "unknown profile in line: " + line + "\n";
          bad = true;
        }
      }
    }
    if (!bad) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace shipledger::sim
