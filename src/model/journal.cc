#include "model/journal.h"

#include <algorithm>

namespace shipledger::model {

std::vector<bool> PrunableHeightZeroEntries(const std::vector<const v1::JournalEntry*>& entries,
                                            uint64_t through_height) {
  std::vector<bool> prune(entries.size(), false);
  size_t latest_view = entries.size();
  uint64_t entered = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i]->entry_case() != v1::JournalEntry::kView) continue;
    if (latest_view < entries.size()) prune[latest_view] = true;
    latest_view = i;
    entered = std::max(entered, entries[i]->view());
  }
  if (latest_view == entries.size()) return prune;  // no view entered: keep every VIEW-CHANGE
  for (size_t i = 0; i < entries.size(); ++i) {
    const v1::JournalEntry& e = *entries[i];
    if (e.entry_case() != v1::JournalEntry::kSent || !e.sent().has_view_change()) continue;
    const v1::ViewChange& vc = e.sent().view_change();
    if (vc.new_view() > entered) continue;
    const bool above = std::any_of(vc.prepared().begin(), vc.prepared().end(), [&](const auto& c) {
      return c.proposal().height() > through_height;
    });
    prune[i] = !above;
  }
  return prune;
}

}  // namespace shipledger::model
