// Bindings per address of record, refreshed, removed and expired on the clock passed in.
#include "pbx/location_service.hpp"

#include <algorithm>

namespace orbit::pbx {

void LocationService::bind(const Aor& aor, Binding b) {
  auto& list = bindings_[aor];
  for (auto& existing : list) {
    if (existing.uri == b.uri) {
      existing = std::move(b);
      return;
    }
  }
  list.push_back(std::move(b));
}

void LocationService::unbind(const Aor& aor, std::string_view uri) {
  auto it = bindings_.find(aor);
  if (it == bindings_.end()) return;
  std::erase_if(it->second, [&](const Binding& b) { return b.uri == uri; });
  if (it->second.empty()) bindings_.erase(it);
}

void LocationService::unbind_all(const Aor& aor) { bindings_.erase(aor); }

std::vector<Binding> LocationService::lookup(const Aor& aor, sip::TimePoint now) {
  auto it = bindings_.find(aor);
  if (it == bindings_.end()) return {};
  std::erase_if(it->second, [&](const Binding& b) { return b.expires_at <= now; });
  if (it->second.empty()) {
    bindings_.erase(it);
    return {};
  }
  return it->second;
}

const Binding* LocationService::find(const Aor& aor, std::string_view uri) const {
  auto it = bindings_.find(aor);
  if (it == bindings_.end()) return nullptr;
  for (const auto& b : it->second) {
    if (b.uri == uri) return &b;
  }
  return nullptr;
}

std::size_t LocationService::expire(sip::TimePoint now) {
  std::size_t removed = 0;
  for (auto it = bindings_.begin(); it != bindings_.end();) {
    removed += std::erase_if(it->second, [&](const Binding& b) { return b.expires_at <= now; });
    it = it->second.empty() ? bindings_.erase(it) : std::next(it);
  }
  return removed;
}

std::vector<std::pair<LocationService::Aor, Binding>> LocationService::of_tenant(
    std::string_view domain, sip::TimePoint now) const {
  std::vector<std::pair<Aor, Binding>> out;
  for (const auto& [aor, list] : bindings_) {
    if (aor.domain != domain) continue;
    for (const auto& b : list) {
      if (b.expires_at > now) out.emplace_back(aor, b);
    }
  }
  return out;
}

std::size_t LocationService::size() const {
  std::size_t n = 0;
  for (const auto& [aor, list] : bindings_) n += list.size();
  return n;
}

}  // namespace orbit::pbx
