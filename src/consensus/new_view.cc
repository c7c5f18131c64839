#include "consensus/new_view.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "crypto/merkle.h"
#include "model/block.h"

namespace shipledger::consensus {

namespace {

int64_t TimeOf(const v1::PreparedCertificate* cert) { return cert->proposal().timestamp_ms(); }

// See PlanNewView. Quadratic in the re-proposals per drop; they are at most the log bound.
void DropCertificatesThatGoBackInTime(NewViewPlan* plan) {
  auto& rp = plan->reproposals;
  if (plan->stable_proof != nullptr) {
    const int64_t floor_ms = plan->stable_proof->stable_proposal().timestamp_ms();
    std::erase_if(rp, [&](const auto& entry) { return TimeOf(entry.second) < floor_ms; });
  }
  bool dropped = true;
  while (dropped) {
    dropped = false;
    for (auto g = rp.begin(); g != rp.end() && !dropped; ++g) {
      for (auto h = std::next(g); h != rp.end(); ++h) {
        if (TimeOf(g->second) <= TimeOf(h->second)) continue;
        rp.erase(g->second->view() < h->second->view() ? g : h);
        dropped = true;
        break;
      }
    }
  }
  plan->max_height = rp.empty() ? plan->stable.height() : rp.rbegin()->first;
}

}  // namespace

int64_t FillerTimeMs(const NewViewPlan& plan, uint64_t height) {
  auto next = plan.reproposals.upper_bound(height);
  if (next != plan.reproposals.begin()) return TimeOf(std::prev(next)->second);
  return TimeOf(next->second);
}

Result<NewViewPlan> PlanNewView(const std::vector<const v1::ViewChange*>& view_changes) {
  NewViewPlan plan;
  if (view_changes.empty()) return Status::InvalidArgument("no view changes");
  plan.stable = view_changes.front()->stable();
  for (const auto* vc : view_changes) {
    if (vc->stable().height() > plan.stable.height()) plan.stable = vc->stable();
  }
  plan.max_height = plan.stable.height();
  for (const auto* vc : view_changes) {
    for (const auto& cert : vc->prepared()) {
      const uint64_t h = cert.proposal().height();
      if (h <= plan.stable.height()) continue;
      auto [it, inserted] = plan.reproposals.emplace(h, &cert);
      if (!inserted) {
        const v1::PreparedCertificate* have = it->second;
        if (cert.view() == have->view() &&
            model::ProposalDigest(cert.proposal()) != model::ProposalDigest(have->proposal())) {
          return Status::InvalidArgument("two prepared certificates of view " +
                                         std::to_string(cert.view()) + " at height " +
                                         std::to_string(h) + " name different proposals");
        }
        if (cert.view() > have->view() ||
            (cert.view() == have->view() && have->events_size() == 0 && cert.events_size() > 0)) {
          it->second = &cert;
        }
      }
    }
  }
  if (!plan.reproposals.empty() && plan.stable.height() > 0) {
    for (const auto* vc : view_changes) {
      if (vc->has_stable_proposal() && vc->stable().height() == plan.stable.height() &&
          vc->stable().block_hash() == plan.stable.block_hash()) {
        plan.stable_proof = vc;
        break;
      }
    }
    if (plan.stable_proof == nullptr) {
      return Status::FailedPrecondition("no view change carries the proposal of the stable block " +
                                        std::to_string(plan.stable.height()) +
                                        ", whose time the re-proposals must not go below");
    }
  }
  DropCertificatesThatGoBackInTime(&plan);
  return plan;
}

Status CheckNewViewAgainstPlan(const v1::NewView& nv, const NewViewPlan& plan) {
  const uint64_t first = plan.stable.height() + 1;
  const uint64_t count = plan.max_height - plan.stable.height();
  if (static_cast<uint64_t>(nv.pre_prepares_size()) != count) {
    return Status::InvalidArgument("new-view for view " + std::to_string(nv.view()) + " has " +
                                   std::to_string(nv.pre_prepares_size()) +
                                   " pre-prepares; its view changes call for " +
                                   std::to_string(count));
  }
  for (uint64_t i = 0; i < count; ++i) {
    const auto& pp = nv.pre_prepares(static_cast<int>(i));
    const uint64_t h = first + i;
    if (pp.proposal().height() != h || pp.view() != nv.view()) {
      return Status::InvalidArgument("new-view pre-prepare " + std::to_string(i) +
                                     " is not for height " + std::to_string(h) + " of view " +
                                     std::to_string(nv.view()));
    }
    auto it = plan.reproposals.find(h);
    if (it != plan.reproposals.end()) {
      if (model::ProposalDigest(pp.proposal()) != model::ProposalDigest(it->second->proposal())) {
        return Status::InvalidArgument(
            "new-view does not re-propose the prepared proposal at "
            "height " +
            std::to_string(h));
      }
    } else {
      // An empty proposal, built exactly as the new primary must: no events, proposed by it,
      // at FillerTimeMs (so block time does not go backwards).
      const v1::Proposal& p = pp.proposal();
      if (p.event_count() != 0 || pp.events_size() != 0 ||
          p.events_root() != crypto::MerkleRoot({})) {
        return Status::InvalidArgument("new-view proposes events at height " + std::to_string(h) +
                                       ", where no proposal was prepared");
      }
      if (p.proposer() != nv.replica() || p.timestamp_ms() != FillerTimeMs(plan, h)) {
        return Status::InvalidArgument("new-view's empty proposal at height " + std::to_string(h) +
                                       " is not by the new primary at its neighbour's time");
      }
    }
  }
  return Status::Ok();
}

}  // namespace shipledger::consensus
