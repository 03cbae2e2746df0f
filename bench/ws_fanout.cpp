// ws_fanout: N WebSocket subscribers to Orbit's /api/v1/events, for the event fan-out
// benchmark (bench/park_load.sh fanout). One thread, asynchronous reads for every connection.
// The WebSocket handshake and frames are handled here by hand (see Subscriber).
//
//   ws_fanout --port 8080 --token TOKEN --subscribers N --out DIR [--host 127.0.0.1]
//             [--parallel 8] [--header]
//
// Opens the N subscribers at most --parallel at a time (token in `?token=`, or in
// `Authorization: Bearer` with --header), reads each one's snapshot, prints "ready: N open,
// F failed" once every subscriber has its snapshot, then timestamps every event each subscriber
// receives with CLOCK_REALTIME (the clock of the kernel's SO_TIMESTAMPNS, which park_watch.py
// uses for the REFERs) taken when the read completes. One line a second on stdout. On SIGTERM
// or SIGINT, writes:
//   DIR/ws-events.txt       one line per distinct event (type, call, slot, at): "type call slot
//                           at base_ns n  off_us off_us ...": n receipts, each the receive time
//                           minus base_ns in µs, in the order of the subscribers' ids
//                           (missing ones are absent; which ones is in ws-receipts.txt)
//   DIR/ws-subscribers.txt  per subscriber: id, snapshot ms, snapshot bytes, events received,
//                           state at the end (open, or the error that closed it, with the time)
//   DIR/ws-summary.json     totals.
#include <sys/resource.h>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

std::int64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// The value after `"key":` in a compact JSON text (nlohmann's dump()): a string without its
// quotes, or a bare token (number, null). Empty when absent.
std::string_view field(std::string_view text, std::string_view key, std::size_t from = 0) {
  std::string pattern;
  pattern.reserve(key.size() + 3);
  pattern += '"';
  pattern += key;
  pattern += "\":";
  const auto at = text.find(pattern, from);
  if (at == std::string_view::npos) return {};
  auto v = text.substr(at + pattern.size());
  if (!v.empty() && v.front() == '"') {
    v.remove_prefix(1);
    return v.substr(0, v.find('"'));
  }
  return v.substr(0, v.find_first_of(",}"));
}

struct Receipt {
  std::uint32_t subscriber;
  std::int64_t ns;
};

struct Event {
  std::string type, call, slot, at;
  std::vector<Receipt> receipts;
};

struct Totals {
  std::size_t open = 0, failed = 0, started = 0, snapshots = 0, dropped = 0;
  std::uint64_t messages = 0, other = 0, second_messages = 0;
};

class Client;

// The handshake and the frames by hand: one read takes every frame the server sent together
// (Orbit batches them), where Beast's reader handled one message per operation and made this
// client, not Orbit, the limit of the benchmark. Pings are answered (masked pongs).
class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(Client& client, asio::io_context& io, std::uint32_t id)
      : id_(id), client_(client), socket_(io) {}
  void start(const tcp::endpoint& endpoint);

  std::uint32_t id_;
  std::int64_t connect_ns = 0, snapshot_ns = 0, closed_ns = 0;
  std::size_t snapshot_bytes = 0;
  std::uint64_t events = 0;
  std::string state = "connecting";

 private:
  void read_response();
  void read_frames();
  // Handles every whole frame in `in_`; false when the stream must end.
  bool parse(std::int64_t ns);
  void on_snapshot(std::string_view text);
  void pong(std::string_view payload);
  void fail(beast::error_code ec, const char* where);

  Client& client_;
  tcp::socket socket_;
  std::string request_;
  std::string in_;  // bytes read and not yet handled
  std::size_t used_ = 0;
  std::vector<char> chunk_ = std::vector<char>(256 * 1024);
  std::deque<std::string> pongs_;
};

class Client {
 public:
  Client(asio::io_context& io, std::string host, std::string target, std::string header,
         std::size_t n, std::size_t parallel)
      : host_(std::move(host)), target_(std::move(target)), header_(std::move(header)), io_(io),
        n_(n), parallel_(parallel), timer_(io) {}

  void run(const tcp::endpoint& endpoint) {
    endpoint_ = endpoint;
    start_ = realtime_ns();
    for (std::size_t i = 0; i < parallel_ && i < n_; ++i) next();
    if (n_ == 0) std::printf("ready: 0 open, 0 failed\n"), std::fflush(stdout);
    tick();
  }

  // A subscriber has its snapshot or failed: start the next one.
  void settled(bool ok) {
    if (ok) {
      ++totals.open;
      ++totals.snapshots;
    } else {
      ++totals.failed;
    }
    if (totals.started < n_) next();
    if (totals.open + totals.failed == n_ && !ready_printed_) {
      ready_printed_ = true;
      std::printf("ready: %zu open, %zu failed, in %.1f s\n", totals.open, totals.failed,
                  static_cast<double>(realtime_ns() - start_) / 1e9);
      std::fflush(stdout);
    }
  }

  void on_event(std::uint32_t subscriber, std::string_view text, std::int64_t ns) {
    ++totals.messages;
    ++totals.second_messages;
    // Orbit sends every subscriber the same bytes for an event: the text's hash finds the event
    // without parsing it again (parsing every receipt made this client the benchmark's limit).
    const std::size_t hash = std::hash<std::string_view>{}(text);
    if (const auto known = by_text_.find(hash); known != by_text_.end()) {
      events_[known->second].receipts.push_back({subscriber, ns});
      return;
    }
    // {"event":{"at":…,"call":…,"slot":…,"type":"parked",…},"type":"event"}: keys sorted.
    const auto inner = text.find("{\"event\":{");
    if (inner == std::string_view::npos) {
      ++totals.other;
      return;
    }
    const std::string_view type = field(text, "type", inner + 9);
    const std::string_view call = field(text, "call", inner + 9);
    const std::string_view slot = field(text, "slot", inner + 9);
    const std::string_view at = field(text, "at", inner + 9);
    key_.assign(type);
    key_ += '|';
    key_ += call;
    key_ += '|';
    key_ += slot;
    key_ += '|';
    key_ += at;
    auto it = index_.find(key_);
    if (it == index_.end()) {
      it = index_.emplace(key_, events_.size()).first;
      events_.push_back(Event{std::string(type), std::string(call), std::string(slot),
                              std::string(at), {}});
      events_.back().receipts.reserve(n_);
    }
    by_text_.emplace(hash, it->second);
    events_[it->second].receipts.push_back({subscriber, ns});
  }

  void write(const std::string& dir) {
    std::ofstream ev(dir + "/ws-events.txt");
    std::uint64_t receipts = 0;
    for (const auto& e : events_) {
      std::int64_t base = e.receipts.empty() ? 0 : e.receipts.front().ns;
      for (const auto& r : e.receipts) base = std::min(base, r.ns);
      ev << e.type << ' ' << (e.call.empty() ? "-" : e.call) << ' '
         << (e.slot.empty() ? "-" : e.slot) << ' ' << (e.at.empty() ? "-" : e.at) << ' ' << base
         << ' ' << e.receipts.size();
      for (const auto& r : e.receipts) ev << ' ' << (r.ns - base) / 1000;
      ev << '\n';
      receipts += e.receipts.size();
    }
    std::ofstream rc(dir + "/ws-receipts.txt");  // which subscriber got which event
    for (std::size_t i = 0; i < events_.size(); ++i) {
      if (events_[i].receipts.size() == totals.snapshots) continue;  // everyone: not listed
      rc << i;
      for (const auto& r : events_[i].receipts) rc << ' ' << r.subscriber;
      rc << '\n';
    }
    std::ofstream sf(dir + "/ws-subscribers.txt");
    std::size_t dropped = 0;
    for (const auto& s : subs) {
      if (s->state != "open" && s->snapshot_ns != 0) ++dropped;
      sf << s->id_ << ' '
         << (s->snapshot_ns ? static_cast<double>(s->snapshot_ns - s->connect_ns) / 1e6 : -1.0)
         << ' ' << s->snapshot_bytes << ' ' << s->events << ' ' << s->state;
      if (s->closed_ns) sf << " at " << s->closed_ns;
      sf << '\n';
    }
    std::ofstream js(dir + "/ws-summary.json");
    js << "{\"subscribers\": " << n_ << ", \"with_snapshot\": " << totals.snapshots
       << ", \"failed_before_snapshot\": " << totals.failed
       << ", \"closed_after_snapshot\": " << dropped << ", \"events_distinct\": " << events_.size()
       << ", \"receipts\": " << receipts << ", \"messages\": " << totals.messages
       << ", \"unparsed\": " << totals.other << "}\n";
  }

  std::string host_, target_, header_;
  Totals totals;

 private:
  void next();
  void tick() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](beast::error_code ec) {
      if (ec) return;
      std::printf("%.3f open %zu failed %zu messages/s %llu events %zu\n",
                  static_cast<double>(realtime_ns()) / 1e9, totals.open, totals.failed,
                  static_cast<unsigned long long>(totals.second_messages), events_.size());
      std::fflush(stdout);
      totals.second_messages = 0;
      tick();
    });
  }

  asio::io_context& io_;
  std::size_t n_, parallel_;
  tcp::endpoint endpoint_;
  asio::steady_timer timer_;
  std::int64_t start_ = 0;
  bool ready_printed_ = false;
  std::string key_;
  std::unordered_map<std::string, std::size_t> index_;
  std::unordered_map<std::size_t, std::size_t> by_text_;  // hash of the message → event
  std::vector<Event> events_;

 public:
  std::vector<std::shared_ptr<Subscriber>> subs;
};

void Client::next() {
  auto s = std::make_shared<Subscriber>(*this, io_, static_cast<std::uint32_t>(subs.size()));
  subs.push_back(s);
  ++totals.started;
  s->start(endpoint_);
}

void Subscriber::start(const tcp::endpoint& endpoint) {
  connect_ns = realtime_ns();
  socket_.async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
    if (ec) return self->fail(ec, "connect");
    self->request_ = "GET " + self->client_.target_ + " HTTP/1.1\r\nHost: " +
                     self->client_.host_ +
                     "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n";
    if (!self->client_.header_.empty()) {
      self->request_ += "Authorization: " + self->client_.header_ + "\r\n";
    }
    self->request_ += "\r\n";
    asio::async_write(self->socket_, asio::buffer(self->request_),
                      [self](beast::error_code ec2, std::size_t) {
                        if (ec2) return self->fail(ec2, "handshake");
                        self->read_response();
                      });
  });
}

void Subscriber::read_response() {
  socket_.async_read_some(
      asio::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        if (ec) return self->fail(ec, "handshake");
        self->in_.append(self->chunk_.data(), n);
        const auto end = self->in_.find("\r\n\r\n");
        if (end == std::string::npos) return self->read_response();
        if (self->in_.rfind("HTTP/1.1 101", 0) != 0) {
          return self->fail(beast::http::error::bad_status, "handshake");
        }
        self->in_.erase(0, end + 4);
        if (!self->parse(realtime_ns())) return;
        self->read_frames();
      });
}

void Subscriber::read_frames() {
  socket_.async_read_some(
      asio::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        const std::int64_t ns = realtime_ns();
        if (ec) return self->fail(ec, self->snapshot_ns ? "read" : "snapshot");
        self->in_.append(self->chunk_.data(), n);
        if (self->parse(ns)) self->read_frames();
      });
}

bool Subscriber::parse(std::int64_t ns) {
  std::size_t at = 0;
  while (in_.size() - at >= 2) {
    const auto b0 = static_cast<unsigned char>(in_[at]);
    const auto b1 = static_cast<unsigned char>(in_[at + 1]);
    std::size_t header = 2;
    std::uint64_t size = b1 & 0x7F;
    if (size == 126 || size == 127) {
      const std::size_t bytes = size == 126 ? 2 : 8;
      if (in_.size() - at < 2 + bytes) break;
      size = 0;
      for (std::size_t i = 0; i < bytes; ++i) {
        size = (size << 8) | static_cast<unsigned char>(in_[at + 2 + i]);
      }
      header += bytes;
    }
    if ((b1 & 0x80) != 0 || (b0 & 0x80) == 0) {  // servers never mask; Orbit never fragments
      fail(beast::websocket::error::bad_opcode, "read");
      return false;
    }
    if (in_.size() - at - header < size) break;
    const std::string_view payload(in_.data() + at + header, size);
    at += header + size;
    switch (b0 & 0x0F) {
      case 1:
        if (snapshot_ns == 0) {
          on_snapshot(payload);
          if (snapshot_ns == 0) return false;
        } else {
          ++events;
          client_.on_event(id_, payload, ns);
        }
        break;
      case 8:
        fail(beast::websocket::error::closed, "read");
        return false;
      case 9:
        pong(payload);
        break;
      default:
        break;
    }
  }
  in_.erase(0, at);
  if (in_.capacity() > 4 * chunk_.size() && in_.size() < chunk_.size()) in_.shrink_to_fit();
  return true;
}

void Subscriber::pong(std::string_view payload) {
  std::string frame;
  frame.push_back(static_cast<char>(0x8A));
  frame.push_back(static_cast<char>(0x80 | payload.size()));  // control frames: < 126 bytes
  frame.append(4, '\0');  // masking key 0: the payload is sent as it is
  frame.append(payload);
  pongs_.push_back(std::move(frame));
  asio::async_write(socket_, asio::buffer(pongs_.back()),
                    [self = shared_from_this()](beast::error_code, std::size_t) {
                      self->pongs_.pop_front();
                    });
}

void Subscriber::on_snapshot(std::string_view text) {
  snapshot_bytes = text.size();
  if (text.find("\"type\":\"snapshot\"") == std::string_view::npos) {
    state = "first message is not a snapshot";
    client_.settled(false);
    return;
  }
  snapshot_ns = realtime_ns();
  state = "open";
  client_.settled(true);
}

void Subscriber::fail(beast::error_code ec, const char* where) {
  const bool had_snapshot = snapshot_ns != 0;
  state = std::string(where) + ":" + ec.message();
  for (auto& c : state)
    if (c == ' ') c = '_';
  closed_ns = realtime_ns();
  if (had_snapshot) {
    --client_.totals.open;
    ++client_.totals.dropped;
  } else {
    client_.settled(false);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1", token, out = ".";
  unsigned short port = 8080;
  std::size_t n = 1, parallel = 8;
  bool in_header = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "ws_fanout: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--host") host = value();
    else if (a == "--port") port = static_cast<unsigned short>(std::stoi(value()));
    else if (a == "--token") token = value();
    else if (a == "--subscribers") n = std::stoul(value());
    else if (a == "--parallel") parallel = std::stoul(value());
    else if (a == "--out") out = value();
    else if (a == "--header") in_header = true;
    else {
      std::cerr << "usage: ws_fanout --port P --token T --subscribers N --out DIR [--host H]"
                   " [--parallel K] [--header]\n";
      return 2;
    }
  }
  // One socket per subscriber: raise the soft limit of open files to the hard one.
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < n + 16) {
    std::cerr << "ws_fanout: " << n << " subscribers need more than " << rl.rlim_cur
              << " open files\n";
    return 2;
  }
  asio::io_context io(1);
  const std::string target = in_header ? "/api/v1/events" : "/api/v1/events?token=" + token;
  const std::string header = in_header ? "Bearer " + token : "";
  Client client(io, host, target, header, n, parallel);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { io.stop(); });
  client.run(tcp::endpoint(asio::ip::make_address(host), port));
  io.run();
  client.write(out);
  std::printf("stopped: %zu open, %zu failed, %zu dropped, %llu messages\n", client.totals.open,
              client.totals.failed, client.totals.dropped,
              static_cast<unsigned long long>(client.totals.messages));
  return 0;
}
