// ws_fanout: N WebSocket subscribers to Orbit's /api/v1/events, for the event fan-out
// benchmark (bench/park_load.sh fanout). One thread, asynchronous reads for every connection.
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

class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(Client& client, asio::io_context& io, std::uint32_t id)
      : id_(id), client_(client), ws_(io) {}
  void start(const tcp::endpoint& endpoint);

  std::uint32_t id_;
  std::int64_t connect_ns = 0, snapshot_ns = 0, closed_ns = 0;
  std::size_t snapshot_bytes = 0;
  std::uint64_t events = 0;
  std::string state = "connecting";

 private:
  void on_snapshot(beast::error_code ec);
  void read_next();
  void fail(beast::error_code ec, const char* where);

  Client& client_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
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
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(ws_).async_connect(
      endpoint, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->fail(ec, "connect");
        beast::get_lowest_layer(self->ws_).expires_never();
        self->ws_.set_option(
            websocket::stream_base::timeout::suggested(beast::role_type::client));
        self->ws_.read_message_max(64 << 20);
        const std::string header = self->client_.header_;
        self->ws_.set_option(
            websocket::stream_base::decorator([header](websocket::request_type& request) {
              if (!header.empty()) request.set(beast::http::field::authorization, header);
            }));
        self->ws_.async_handshake(
            self->client_.host_, self->client_.target_,
            [self](beast::error_code ec2) {
              if (ec2) return self->fail(ec2, "handshake");
              self->ws_.async_read(self->buffer_, [self](beast::error_code ec3, std::size_t) {
                self->on_snapshot(ec3);
              });
            });
      });
}

void Subscriber::on_snapshot(beast::error_code ec) {
  if (ec) return fail(ec, "snapshot");
  snapshot_ns = realtime_ns();
  snapshot_bytes = buffer_.size();
  const std::string_view text(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  if (text.find("\"type\":\"snapshot\"") == std::string_view::npos) {
    state = "first message is not a snapshot";
    client_.settled(false);
    return;
  }
  buffer_.consume(buffer_.size());
  buffer_.shrink_to_fit();  // the snapshot may be a megabyte: not kept per subscriber
  state = "open";
  client_.settled(true);
  read_next();
}

void Subscriber::read_next() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    const std::int64_t ns = realtime_ns();
    if (ec) return self->fail(ec, "read");
    ++self->events;
    self->client_.on_event(
        self->id_,
        std::string_view(static_cast<const char*>(self->buffer_.data().data()),
                         self->buffer_.size()),
        ns);
    self->buffer_.consume(self->buffer_.size());
    self->read_next();
  });
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
