// rtp_load — the media side of the call benchmarks (bench/media_load.sh, bench/park_load.sh):
// many RTP endpoints in one single-threaded process, each a UDP socket, that count what they
// receive, may echo it, and may send a G.711 stream to Orbit.
//
//   rtp_load --ip 127.0.0.2 --ports 40000-44999 [--send-pps 50] [--control SIPP_LOG]
//            [--echo] [--stats FILE] [--rcvbuf BYTES]
//
// Every port of the range is bound on --ip at start (before SIPp announces it in SDP).
// --control: a SIPp log file (-trace_logs) read as it grows; a line holding
//   "RTP-START <local port> <dest ip> <dest port>" makes that socket send to the destination
//   --send-pps packets per second (12-byte header + 160 bytes of PCMA, payload type 8, its own
//   SSRC, sequence and timestamp), spread over the period by port so that sockets do not send
//   in one burst; "RTP-STOP <local port>" stops it. The payload carries the send time and the
//   port: a packet that comes back to its sender (relayed by Orbit both ways through an echo)
//   gives a round-trip time.
// --echo: every packet received is sent back to its source (a callee answering with its own
//   stream: Orbit relays as much each way).
// Every second a line on stdout: packets received and sent in that second, sockets that
// received, senders. SIGUSR1 appends a snapshot to --stats: per socket that ever received,
// its counters (see write_snapshot); rtp_summary.py turns two snapshots into per-socket rates.
// SIGTERM/SIGINT: a last snapshot, then exit.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

std::int64_t wall_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "rtp_load: %s%s%s\n", what.c_str(), errno ? ": " : "",
               errno ? std::strerror(errno) : "");
  std::exit(2);
}

constexpr std::size_t kHeader = 12;
constexpr std::size_t kPayload = 160;
constexpr std::uint32_t kMagic = 0x4F524254;  // "ORBT": a packet of ours, with a send time

struct Endpoint {
  int fd = -1;
  std::uint16_t port = 0;
  // receiving
  std::uint64_t rx = 0;
  std::uint64_t rx_bytes = 0;
  std::uint64_t lost = 0;           // sequence gaps, per SSRC (RFC 3550 style, small gaps only)
  std::uint64_t ssrc_changes = 0;   // a new SSRC seen (Orbit keeps one per leg: should stay 0)
  std::uint64_t reordered = 0;
  std::uint32_t ssrc = 0;
  std::uint16_t last_seq = 0;
  bool have_seq = false;
  std::int64_t last_rx_ns = 0;
  std::int64_t max_gap_ns = 0;      // longest silence between two packets since the snapshot
  std::uint32_t last_src_ip = 0;
  std::uint16_t last_src_port = 0;
  // sending
  bool sending = false;
  sockaddr_in dest{};
  std::uint32_t tx_ssrc = 0;
  std::uint16_t tx_seq = 0;
  std::uint32_t tx_ts = 0;
  std::uint64_t tx = 0;
  std::uint64_t tx_errors = 0;
  std::uint64_t echoed = 0;
};

struct Options {
  std::string ip = "127.0.0.2";
  std::uint16_t first = 0, last = 0;
  int send_pps = 50;
  std::string control;
  std::string stats;
  bool echo = false;
  int rcvbuf = 0;
};

volatile sig_atomic_t g_snapshot = 0;
volatile sig_atomic_t g_stop = 0;

// Round-trip times (ns) of our own packets that came back, log2 buckets of 1 µs .. 1 s, plus
// exact values for the percentiles of a window.
struct RttStats {
  std::vector<std::int64_t> samples;
  void add(std::int64_t ns) {
    if (samples.size() < 4'000'000) samples.push_back(ns);
  }
};

class Load {
 public:
  explicit Load(Options o) : o_(std::move(o)), rng_(std::random_device{}()) {}

  void run();

 private:
  void bind_all();
  void on_readable(Endpoint& e);
  void tick(std::int64_t now);
  void read_control();
  void control_line(const std::string& line);
  void send_one(Endpoint& e, std::int64_t now);
  void write_snapshot(const char* why);
  Endpoint* by_port(std::uint16_t port) {
    if (port < o_.first || port > o_.last) return nullptr;
    return &eps_[port - o_.first];
  }

  Options o_;
  std::mt19937 rng_;
  std::vector<Endpoint> eps_;
  int epfd_ = -1;
  int period_ms_ = 20;
  std::vector<std::vector<std::uint16_t>> buckets_;  // ports sending at each ms of the period
  std::int64_t start_ns_ = 0;
  std::int64_t next_ms_ = 0;
  // control file
  int control_fd_ = -1;
  std::string control_partial_;
  // per-second report
  std::uint64_t sec_rx_ = 0, sec_tx_ = 0, sec_echo_ = 0;
  std::int64_t next_report_ns_ = 0;
  std::uint64_t senders_ = 0;
  RttStats rtt_;
  std::uint64_t snapshots_ = 0;
  std::uint64_t total_rx_ = 0, total_tx_ = 0, total_echo_ = 0;
};

void Load::bind_all() {
  std::size_t n = std::size_t{o_.last} - o_.first + 1;
  eps_.resize(n);
  in_addr addr{};
  if (inet_pton(AF_INET, o_.ip.c_str(), &addr) != 1) die("bad --ip " + o_.ip);
  for (std::size_t i = 0; i < n; ++i) {
    auto& e = eps_[i];
    e.port = static_cast<std::uint16_t>(o_.first + i);
    e.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (e.fd < 0) die("socket #" + std::to_string(i));
    if (o_.rcvbuf > 0) {
      // Root in the bench namespace: past net.core.rmem_max.
      if (setsockopt(e.fd, SOL_SOCKET, SO_RCVBUFFORCE, &o_.rcvbuf, sizeof o_.rcvbuf) != 0) {
        setsockopt(e.fd, SOL_SOCKET, SO_RCVBUF, &o_.rcvbuf, sizeof o_.rcvbuf);
      }
      setsockopt(e.fd, SOL_SOCKET, SO_SNDBUFFORCE, &o_.rcvbuf, sizeof o_.rcvbuf);
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr = addr;
    sa.sin_port = htons(e.port);
    if (bind(e.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      die("bind " + o_.ip + ":" + std::to_string(e.port));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, e.fd, &ev) != 0) die("epoll_ctl");
    e.tx_ssrc = static_cast<std::uint32_t>(rng_());
    e.tx_seq = static_cast<std::uint16_t>(rng_());
    e.tx_ts = static_cast<std::uint32_t>(rng_());
  }
}

void Load::send_one(Endpoint& e, std::int64_t now) {
  std::array<std::uint8_t, kHeader + kPayload> p{};
  p[0] = 0x80;
  p[1] = 8;  // PCMA
  p[2] = static_cast<std::uint8_t>(e.tx_seq >> 8);
  p[3] = static_cast<std::uint8_t>(e.tx_seq);
  for (int i = 0; i < 4; ++i) p[4 + i] = static_cast<std::uint8_t>(e.tx_ts >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) p[8 + i] = static_cast<std::uint8_t>(e.tx_ssrc >> (24 - 8 * i));
  std::memset(p.data() + kHeader, 0xD5, kPayload);  // A-law silence, then our stamp
  std::memcpy(p.data() + kHeader, &kMagic, 4);
  std::memcpy(p.data() + kHeader + 4, &e.port, 2);
  std::memcpy(p.data() + kHeader + 8, &now, 8);
  ++e.tx_seq;
  e.tx_ts += kPayload;
  if (sendto(e.fd, p.data(), p.size(), 0, reinterpret_cast<sockaddr*>(&e.dest), sizeof e.dest) < 0) {
    ++e.tx_errors;
  } else {
    ++e.tx;
    ++sec_tx_;
    ++total_tx_;
  }
}

void Load::on_readable(Endpoint& e) {
  constexpr int kBatch = 32;
  std::array<std::array<std::uint8_t, 2048>, kBatch> bufs;
  std::array<iovec, kBatch> iov{};
  std::array<sockaddr_in, kBatch> from{};
  std::array<mmsghdr, kBatch> msgs{};
  for (;;) {
    for (int i = 0; i < kBatch; ++i) {
      iov[i] = {bufs[i].data(), bufs[i].size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    int n = recvmmsg(e.fd, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    const auto now = now_ns();
    for (int i = 0; i < n; ++i) {
      const auto len = msgs[i].msg_len;
      const auto* b = bufs[i].data();
      ++e.rx;
      e.rx_bytes += len;
      ++sec_rx_;
      ++total_rx_;
      if (e.last_rx_ns) e.max_gap_ns = std::max(e.max_gap_ns, now - e.last_rx_ns);
      e.last_rx_ns = now;
      e.last_src_ip = from[i].sin_addr.s_addr;
      e.last_src_port = ntohs(from[i].sin_port);
      if (len >= kHeader && (b[0] >> 6) == 2) {
        const std::uint16_t seq = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
        const std::uint32_t ssrc = (std::uint32_t{b[8]} << 24) | (std::uint32_t{b[9]} << 16) |
                                   (std::uint32_t{b[10]} << 8) | b[11];
        if (!e.have_seq || ssrc != e.ssrc) {
          if (e.have_seq) ++e.ssrc_changes;
          e.have_seq = true;
          e.ssrc = ssrc;
          e.last_seq = seq;
        } else {
          const std::uint16_t delta = static_cast<std::uint16_t>(seq - e.last_seq);
          if (delta == 0 || delta >= 0x8000) {
            ++e.reordered;  // a late or duplicate packet: last_seq stays
          } else if (delta < 3000) {
            e.lost += delta - 1u;
          }
          if (delta != 0 && delta < 0x8000) e.last_seq = seq;
        }
        std::uint32_t magic = 0;
        if (len >= kHeader + 16) std::memcpy(&magic, b + kHeader, 4);
        if (magic == kMagic && !o_.echo) {
          std::uint16_t port = 0;
          std::int64_t sent = 0;
          std::memcpy(&port, b + kHeader + 4, 2);
          std::memcpy(&sent, b + kHeader + 8, 8);
          if (port == e.port && sent > 0 && sent <= now) rtt_.add(now - sent);
        }
      }
      if (o_.echo) {
        if (sendto(e.fd, b, len, 0, reinterpret_cast<sockaddr*>(&from[i]), sizeof from[i]) >= 0) {
          ++e.echoed;
          ++sec_echo_;
          ++total_echo_;
        } else {
          ++e.tx_errors;
        }
      }
    }
    if (n < kBatch) return;
  }
}

void Load::control_line(const std::string& line) {
  auto at = line.find("RTP-START ");
  if (at != std::string::npos) {
    std::istringstream in(line.substr(at + 10));
    unsigned port = 0, dport = 0;
    std::string dip;
    if (!(in >> port >> dip >> dport)) return;
    auto* e = by_port(static_cast<std::uint16_t>(port));
    if (!e) return;
    e->dest = {};
    e->dest.sin_family = AF_INET;
    e->dest.sin_port = htons(static_cast<std::uint16_t>(dport));
    if (inet_pton(AF_INET, dip.c_str(), &e->dest.sin_addr) != 1) return;
    if (!e->sending) {
      e->sending = true;
      ++senders_;
      buckets_[e->port % period_ms_].push_back(e->port);
    }
    return;
  }
  at = line.find("RTP-STOP ");
  if (at != std::string::npos) {
    unsigned port = 0;
    std::istringstream in(line.substr(at + 9));
    if (!(in >> port)) return;
    auto* e = by_port(static_cast<std::uint16_t>(port));
    if (!e || !e->sending) return;
    e->sending = false;
    --senders_;
    auto& b = buckets_[e->port % period_ms_];
    b.erase(std::remove(b.begin(), b.end(), e->port), b.end());
  }
}

void Load::read_control() {
  if (o_.control.empty()) return;
  if (control_fd_ < 0) {
    control_fd_ = open(o_.control.c_str(), O_RDONLY | O_CLOEXEC);
    if (control_fd_ < 0) return;  // SIPp has not created it yet
  }
  char buf[65536];
  for (;;) {
    auto n = read(control_fd_, buf, sizeof buf);
    if (n <= 0) return;
    control_partial_.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (;;) {
      auto nl = control_partial_.find('\n', start);
      if (nl == std::string::npos) break;
      control_line(control_partial_.substr(start, nl - start));
      start = nl + 1;
    }
    control_partial_.erase(0, start);
  }
}

void Load::tick(std::int64_t now) {
  // Every ms of the period due since the last tick (a late wake-up catches up, at most 1 s).
  const std::int64_t ms_now = (now - start_ns_) / 1'000'000;
  if (ms_now - next_ms_ > 1000) next_ms_ = ms_now - 1000;
  for (; next_ms_ <= ms_now; ++next_ms_) {
    for (auto port : buckets_[static_cast<std::size_t>(next_ms_ % period_ms_)]) {
      send_one(*by_port(port), now);
    }
  }
  if (now >= next_report_ns_) {
    std::size_t active = 0;
    for (const auto& e : eps_) {
      if (e.last_rx_ns && now - e.last_rx_ns < 1'000'000'000) ++active;
    }
    std::printf("%.3f rx %" PRIu64 " tx %" PRIu64 " echo %" PRIu64 " receiving %zu senders %" PRIu64
                "\n",
                static_cast<double>(wall_ns()) / 1e9, sec_rx_, sec_tx_, sec_echo_, active,
                senders_);
    std::fflush(stdout);
    sec_rx_ = sec_tx_ = sec_echo_ = 0;
    next_report_ns_ += 1'000'000'000;
    if (next_report_ns_ < now) next_report_ns_ = now + 1'000'000'000;
  }
}

// One snapshot: "# snapshot WALL_NS MONO_NS WHY rtt_n p50 p90 p99 p999 max (µs, since the last
// snapshot)", then per socket that ever received or sent: "port rx rx_bytes lost ssrc_changes
// reordered max_gap_us tx tx_errors echoed last_src_port" (max_gap since the last snapshot).
void Load::write_snapshot(const char* why) {
  if (o_.stats.empty()) return;
  FILE* f = std::fopen(o_.stats.c_str(), "a");
  if (!f) return;
  auto& s = rtt_.samples;
  std::sort(s.begin(), s.end());
  auto pct = [&](double q) -> double {
    if (s.empty()) return 0;
    auto i = static_cast<std::size_t>(q * static_cast<double>(s.size() - 1));
    return static_cast<double>(s[i]) / 1e3;
  };
  std::fprintf(f, "# snapshot %" PRId64 " %" PRId64 " %s rtt %zu %.0f %.0f %.0f %.0f %.0f\n",
               wall_ns(), now_ns(), why, s.size(), pct(0.5), pct(0.9), pct(0.99), pct(0.999),
               s.empty() ? 0.0 : static_cast<double>(s.back()) / 1e3);
  s.clear();
  for (auto& e : eps_) {
    if (!e.rx && !e.tx && !e.tx_errors) continue;
    std::fprintf(f,
                 "%u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64
                 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %u\n",
                 e.port, e.rx, e.rx_bytes, e.lost, e.ssrc_changes, e.reordered,
                 e.max_gap_ns / 1000, e.tx, e.tx_errors, e.echoed, e.last_src_port);
    e.max_gap_ns = 0;
  }
  std::fclose(f);
  ++snapshots_;
}

void Load::run() {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) die("epoll_create1");
  period_ms_ = std::max(1, 1000 / std::max(1, o_.send_pps));
  buckets_.assign(static_cast<std::size_t>(period_ms_), {});
  bind_all();
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  itimerspec its{};
  its.it_interval.tv_nsec = 1'000'000;
  its.it_value.tv_nsec = 1'000'000;
  timerfd_settime(tfd, 0, &its, nullptr);
  epoll_event tev{};
  tev.events = EPOLLIN;
  tev.data.u64 = UINT64_MAX;
  epoll_ctl(epfd_, EPOLL_CTL_ADD, tfd, &tev);
  start_ns_ = now_ns();
  next_report_ns_ = start_ns_ + 1'000'000'000;
  std::printf("# rtp_load: %zu sockets on %s:%u-%u, %d pps per sender, echo %s\n", eps_.size(),
              o_.ip.c_str(), o_.first, o_.last, o_.send_pps, o_.echo ? "on" : "off");
  std::printf("ready\n");
  std::fflush(stdout);
  std::vector<epoll_event> events(1024);
  std::int64_t next_control = 0;
  while (!g_stop) {
    int n = epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == UINT64_MAX) {
        std::uint64_t expirations = 0;
        (void)!read(tfd, &expirations, sizeof expirations);
        continue;
      }
      on_readable(eps_[events[i].data.u64]);
    }
    const auto now = now_ns();
    if (now >= next_control) {
      read_control();
      next_control = now + 10'000'000;
    }
    tick(now);
    if (g_snapshot) {
      g_snapshot = 0;
      write_snapshot("usr1");
    }
  }
  write_snapshot("exit");
  std::printf("# total rx %" PRIu64 " tx %" PRIu64 " echo %" PRIu64 "\n", total_rx_, total_tx_,
              total_echo_);
}

bool parse_range(const std::string& s, std::uint16_t& a, std::uint16_t& b) {
  unsigned x = 0, y = 0;
  if (std::sscanf(s.c_str(), "%u-%u", &x, &y) != 2 || x == 0 || y < x || y > 65535) return false;
  a = static_cast<std::uint16_t>(x);
  b = static_cast<std::uint16_t>(y);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--ip") o.ip = value();
    else if (a == "--ports") {
      if (!parse_range(value(), o.first, o.last)) die("bad --ports (FIRST-LAST)");
    } else if (a == "--send-pps") o.send_pps = std::atoi(value().c_str());
    else if (a == "--control") o.control = value();
    else if (a == "--stats") o.stats = value();
    else if (a == "--echo") o.echo = true;
    else if (a == "--rcvbuf") o.rcvbuf = std::atoi(value().c_str());
    else die("unknown option " + a);
  }
  if (!o.first) die("--ports FIRST-LAST is required");
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  struct sigaction sa{};
  sa.sa_handler = [](int) { g_snapshot = 1; };
  sigaction(SIGUSR1, &sa, nullptr);
  sa.sa_handler = [](int) { g_stop = 1; };
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  Load(std::move(o)).run();
  return 0;
}
