// A leg moving from one media thread to another: the leg, and its socket's descriptor taken out
// of the old thread's io_context, closed if it never arrives.
#pragma once

#include <unistd.h>

#include <memory>
#include <utility>

#include "media/leg.hpp"
#include "media/media_control.hpp"

namespace orbit::media {

class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~OwnedFd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

 private:
  int fd_ = -1;
};

struct LegInTransit {
  LegId id = 0;
  std::unique_ptr<Leg> leg;  // null: the old thread did not have it (closed at shutdown)
  Udp protocol = Udp::v4();
  OwnedFd fd;
};

}  // namespace orbit::media
