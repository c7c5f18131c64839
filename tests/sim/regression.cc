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
    std::string seed_text, profile_text;
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
    if (fields >> profile_text) {
      r.profile = ParseProfile(profile_text);
      if (!r.profile) {
        *error += "unknown profile in line: " + line + "\n";
        continue;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace shipledger::sim
