// One-line descriptions of peer messages and actions for the simulator's --verbose trace and
// failure reports, e.g. "prepare v2 h7 d=1a2b3c4d r1".
#pragma once

#include <string>

#include "shipledger/v1/peer.pb.h"

namespace shipledger::sim {

std::string Describe(const v1::PeerMessage& message);

}  // namespace shipledger::sim
