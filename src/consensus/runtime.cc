#include "consensus/runtime.h"

#include <string>
#include <utility>
#include <variant>

#include "shipledger/check.h"

namespace shipledger::consensus {

namespace {
template <typename... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
// Clang 14 does not deduce an aggregate's template arguments without a guide (P1816).
template <typename... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;
}  // namespace

void CarryOut(Actions actions, Runtime& runtime) {
  for (Action& action : actions) {
    std::visit(Overloaded{
                   [&](CommitBlock& a) { runtime.Execute(std::move(a)); },
                   [&](SetTimer& a) { runtime.ArmTimer(a.at_ms); },
                   [&](Send& a) {
                     if (a.message) runtime.SendTo(a.to, std::move(a.message));
                   },
                   [&](Broadcast& a) {
                     if (a.message) runtime.SendToAll(std::move(a.message));
                   },
                   [&](Persist& a) {
                     // Durable before the next action: a vote or PRE-PREPARE that follows it in
                     // the list may be sent. Unable to journal, a replica must not vote (a
                     // restart could make it vote twice differently), so it stops.
                     const Status s = runtime.AppendJournal(a.height, a.entry);
                     SHIPLEDGER_CHECK_MSG(
                         s.ok(), ("consensus journal write failed: " + s.ToString()).c_str());
                   },
                   [&](StoreCheckpoint& a) { runtime.StoreStable(a.certificate); },
               },
               action);
  }
}

}  // namespace shipledger::consensus
