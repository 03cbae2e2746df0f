// A HistoryReader for tests: rows and figures given by hand, and what the API asked for.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/history_reader.hpp"

namespace orbit::api::test {

class FakeHistory : public store::HistoryReader {
 public:
  struct PageAsk {
    std::string tenant;
    std::size_t limit;
    std::optional<std::int64_t> before;
  };
  struct FiguresAsk {
    std::string tenant;
    store::WallTime from;
    store::WallTime to;
  };

  store::HistoryPage next_page;
  store::Figures next_figures;
  std::optional<store::StoreError> failure;
  mutable std::vector<PageAsk> pages_asked;
  mutable std::vector<FiguresAsk> figures_asked;

  [[nodiscard]] std::expected<store::HistoryPage, store::StoreError> page(
      const std::string& tenant, std::size_t limit,
      std::optional<std::int64_t> before) const override {
    pages_asked.push_back({tenant, limit, before});
    if (failure) return std::unexpected(*failure);
    return next_page;
  }
  [[nodiscard]] std::expected<store::Figures, store::StoreError> figures(
      const std::string& tenant, store::WallTime from, store::WallTime to) const override {
    figures_asked.push_back({tenant, from, to});
    if (failure) return std::unexpected(*failure);
    store::Figures out = next_figures;
    out.from = from;
    out.to = to;
    return out;
  }
};

}  // namespace orbit::api::test
