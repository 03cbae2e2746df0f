// udp_ceiling: how many small UDP datagrams a second this machine's loopback carries from one
// sender to N listening sockets, with the cheapest sender and receiver we can write: the upper
// bound of any music-on-hold server measured here with its listeners on the same machine.
//
//   udp_ceiling LISTENERS RATE SECONDS [sender threads=1] [batch=64]
//
// LISTENERS sockets on 127.0.0.3 (ports from 40000), read by one thread through epoll with
// recvmmsg; the sender threads send 172-byte datagrams (an RTP packet of 20 ms of G.711) to
// every listener RATE times a second, paced per 20 ms tick, with sendmmsg in batches of `batch`
// from one unconnected socket each (no per-listener system call on the sending side: better
// than any server with a socket per leg can do). Prints datagrams sent, received, lost, and the
// CPU time of each thread (CLOCK_THREAD_CPUTIME_ID) over the run.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

sockaddr_in address(const char* ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: udp_ceiling LISTENERS RATE SECONDS [threads] [batch]\n");
    return 2;
  }
  const int listeners = std::atoi(argv[1]);
  const int rate = std::atoi(argv[2]);
  const int seconds = std::atoi(argv[3]);
  const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
  const int batch = argc > 5 ? std::atoi(argv[5]) : 64;
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);

  const int epoll = epoll_create1(0);
  std::vector<int> sockets;
  for (int i = 0; i < listeners; ++i) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    const auto a = address("127.0.0.3", 40000 + i);
    if (fd < 0 || bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      std::perror("listener");
      return 1;
    }
    epoll_event ev{.events = EPOLLIN, .data = {.fd = fd}};
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
    sockets.push_back(fd);
  }

  std::atomic<bool> running{true};
  std::atomic<std::uint64_t> received{0};
  double receiver_cpu = 0;
  std::thread receiver([&] {
    const double start = thread_cpu_seconds();
    std::vector<epoll_event> events(1024);
    constexpr int kVec = 32;
    char buffers[kVec][256];
    iovec iov[kVec];
    mmsghdr msgs[kVec]{};
    for (int i = 0; i < kVec; ++i) {
      iov[i] = {buffers[i], sizeof buffers[i]};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    std::uint64_t count = 0;
    while (running.load(std::memory_order_relaxed)) {
      const int n = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 100);
      for (int i = 0; i < n; ++i) {
        for (;;) {
          const int got = recvmmsg(events[i].data.fd, msgs, kVec, MSG_DONTWAIT, nullptr);
          if (got <= 0) break;
          count += static_cast<std::uint64_t>(got);
        }
      }
      received.store(count, std::memory_order_relaxed);
    }
    receiver_cpu = thread_cpu_seconds() - start;
  });

  std::atomic<std::uint64_t> sent{0};
  std::vector<double> sender_cpu(static_cast<std::size_t>(threads));
  std::vector<std::thread> senders;
  const auto begin = std::chrono::steady_clock::now();
  const auto end = begin + std::chrono::seconds(seconds);
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&, t] {
      const double start = thread_cpu_seconds();
      const int fd = socket(AF_INET, SOCK_DGRAM, 0);
      char payload[172] = {static_cast<char>(0x80), 8};
      std::vector<sockaddr_in> to;
      for (int i = t; i < listeners; i += threads) to.push_back(address("127.0.0.3", 40000 + i));
      std::vector<mmsghdr> msgs(static_cast<std::size_t>(batch));
      std::vector<iovec> iov(static_cast<std::size_t>(batch), iovec{payload, sizeof payload});
      const auto tick = std::chrono::microseconds(1'000'000 / (rate > 0 ? rate : 1));
      auto next = begin;
      std::uint64_t count = 0;
      while (next < end) {
        for (std::size_t i = 0; i < to.size();) {
          const std::size_t n = std::min(to.size() - i, static_cast<std::size_t>(batch));
          for (std::size_t k = 0; k < n; ++k) {
            msgs[k].msg_hdr = {};
            msgs[k].msg_hdr.msg_name = &to[i + k];
            msgs[k].msg_hdr.msg_namelen = sizeof(sockaddr_in);
            msgs[k].msg_hdr.msg_iov = &iov[k];
            msgs[k].msg_hdr.msg_iovlen = 1;
          }
          const int done = sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
          if (done <= 0) {
            if (errno == EAGAIN || errno == ENOBUFS) continue;
            std::perror("sendmmsg");
            return;
          }
          count += static_cast<std::uint64_t>(done);
          i += static_cast<std::size_t>(done);
        }
        next += tick;
        std::this_thread::sleep_until(next);  // late: the next tick starts at once
      }
      sent += count;
      sender_cpu[static_cast<std::size_t>(t)] = thread_cpu_seconds() - start;
    });
  }
  for (auto& s : senders) s.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  running = false;
  receiver.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count() - 0.3;
  const auto r = received.load();
  const auto s = sent.load();
  std::printf("listeners %d rate %d/s asked %.0f/s: sent %.0f/s received %.0f/s lost %.2f %%",
              listeners, rate, static_cast<double>(listeners) * rate,
              static_cast<double>(s) / elapsed, static_cast<double>(r) / elapsed,
              s ? 100.0 * static_cast<double>(s - r) / static_cast<double>(s) : 0.0);
  std::printf(" | cpu: receiver %.0f %%", 100 * receiver_cpu / elapsed);
  for (double c : sender_cpu) std::printf(", sender %.0f %%", 100 * c / elapsed);
  std::printf("\n");
  for (int fd : sockets) close(fd);
  return 0;
}
