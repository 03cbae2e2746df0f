// Parse and parse+serialize throughput of Orbit's SIP parser and of GNU oSIP2, same messages,
// same run, one thread: items/s is messages per second per core.
#include <benchmark/benchmark.h>
#include <osipparser2/osip_parser.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bench/sample_messages.hpp"
#include "sip/message.hpp"
#include "sip/message_builder.hpp"

namespace orbit::bench {
namespace {

struct Sample {
  std::string name;
  std::string bytes;
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> all{
      {"invite_sdp", invite_with_sdp()},
      {"ok_register", ok_to_register()},
      {"register_auth", register_with_authorization()},
  };
  return all;
}

void count(benchmark::State& state, std::string_view bytes) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

// Message::parse: copies the bytes, splits the header section, checks the start line, Via,
// Call-ID, CSeq, From, To, Max-Forwards, Expires and Contact; the Message is destroyed each time.
void orbit_parse(benchmark::State& state, std::string_view bytes) {
  for (auto _ : state) {
    auto m = sip::Message::parse(bytes);
    benchmark::DoNotOptimize(m);
  }
  count(state, bytes);
}

void orbit_parse_serialize(benchmark::State& state, std::string_view bytes) {
  for (auto _ : state) {
    auto m = sip::Message::parse(bytes);
    auto text = sip::serialize(*m);
    benchmark::DoNotOptimize(text);
  }
  count(state, bytes);
}

// osip_message_parse builds a structure of every known header (Via, From, To, Contact,
// Authorization, Content-Type, ...) and keeps the body as text (no SDP parse).
void osip_parse(benchmark::State& state, std::string_view bytes) {
  for (auto _ : state) {
    osip_message_t* m = nullptr;
    osip_message_init(&m);
    int rc = osip_message_parse(m, bytes.data(), bytes.size());
    benchmark::DoNotOptimize(rc);
    osip_message_free(m);
  }
  count(state, bytes);
}

// osip_message_to_str would return the copy of the received text that it keeps after a parse;
// osip_message_force_update makes it render the structure, as Orbit's serialize does.
void osip_parse_serialize(benchmark::State& state, std::string_view bytes) {
  for (auto _ : state) {
    osip_message_t* m = nullptr;
    osip_message_init(&m);
    osip_message_parse(m, bytes.data(), bytes.size());
    osip_message_force_update(m);
    char* text = nullptr;
    size_t length = 0;
    osip_message_to_str(m, &text, &length);
    benchmark::DoNotOptimize(text);
    osip_free(text);
    osip_message_free(m);
  }
  count(state, bytes);
}

// Both parsers must accept every sample and render it back, or the figures compare nothing.
bool samples_accepted() {
  bool ok = true;
  for (const auto& s : samples()) {
    auto m = sip::Message::parse(s.bytes);
    if (!m) {
      std::fprintf(stderr, "orbit rejects %s: %s\n", s.name.c_str(), m.error().reason.c_str());
      ok = false;
    } else if (!sip::Message::parse(sip::serialize(*m))) {
      std::fprintf(stderr, "orbit cannot parse its serialisation of %s\n", s.name.c_str());
      ok = false;
    }
    osip_message_t* om = nullptr;
    osip_message_init(&om);
    int rc = osip_message_parse(om, s.bytes.data(), s.bytes.size());
    char* text = nullptr;
    size_t length = 0;
    if (rc == 0) {
      osip_message_force_update(om);
      rc = osip_message_to_str(om, &text, &length);
    }
    if (rc != 0) {
      std::fprintf(stderr, "osip2 rejects %s: error %d\n", s.name.c_str(), rc);
      ok = false;
    }
    osip_free(text);
    osip_message_free(om);
    std::printf("sample %-14s %4zu bytes\n", s.name.c_str(), s.bytes.size());
  }
  return ok;
}

void register_benchmarks() {
  for (const auto& s : samples()) {
    std::string_view bytes = s.bytes;
    benchmark::RegisterBenchmark(("orbit_parse/" + s.name).c_str(), orbit_parse, bytes);
    benchmark::RegisterBenchmark(("osip2_parse/" + s.name).c_str(), osip_parse, bytes);
    benchmark::RegisterBenchmark(("orbit_parse_serialize/" + s.name).c_str(), orbit_parse_serialize,
                                 bytes);
    benchmark::RegisterBenchmark(("osip2_parse_serialize/" + s.name).c_str(), osip_parse_serialize,
                                 bytes);
  }
}

}  // namespace
}  // namespace orbit::bench

int main(int argc, char** argv) {
  parser_init();
  if (!orbit::bench::samples_accepted()) return EXIT_FAILURE;
  std::fflush(stdout);
  orbit::bench::register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return EXIT_FAILURE;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return EXIT_SUCCESS;
}
