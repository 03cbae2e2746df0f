// sdp_test.cpp — SDP offers as phones send them: codecs, IPv6, hold, several streams, faults.
#include "sip/sdp.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace orbit::sip {
namespace {

// Lines joined with CRLF, as they travel in a SIP body.
std::string crlf(std::initializer_list<std::string_view> lines) {
  std::string text;
  for (const std::string_view line : lines) {
    text += line;
    text += "\r\n";
  }
  return text;
}

SessionDescription parse_ok(std::string_view text) {
  auto sdp = parse_sdp(text);
  EXPECT_TRUE(sdp.has_value()) << (sdp ? "" : sdp.error().reason);
  return sdp.value_or(SessionDescription{});
}

const std::string kTypicalOffer = crlf({
    "v=0",
    "o=alice 2890844526 2890844527 IN IP4 192.0.2.10",
    "s=-",
    "c=IN IP4 192.0.2.10",
    "t=0 0",
    "m=audio 49170 RTP/AVP 0 8 101",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:101 telephone-event/8000",
    "a=fmtp:101 0-16",
    "a=ptime:20",
    "a=sendrecv",
});

TEST(Sdp, TypicalOfferListsItsCodecsAndWhereToSendAudio) {
  const SessionDescription sdp = parse_ok(kTypicalOffer);

  EXPECT_EQ(sdp.version, 0u);
  EXPECT_EQ(sdp.origin.username, "alice");
  EXPECT_EQ(sdp.origin.session_id, "2890844526");
  EXPECT_EQ(sdp.origin.session_version, 2890844527u);
  EXPECT_EQ(sdp.origin.address, "192.0.2.10");
  EXPECT_EQ(sdp.session_name, "-");
  ASSERT_TRUE(sdp.connection);
  EXPECT_EQ(sdp.connection->address_type, "IP4");
  EXPECT_EQ(sdp.connection->address, "192.0.2.10");
  ASSERT_EQ(sdp.timings.size(), 1u);
  EXPECT_EQ(sdp.timings[0].start, 0u);

  ASSERT_EQ(sdp.media.size(), 1u);
  const MediaDescription& audio = sdp.media[0];
  EXPECT_EQ(audio.type, "audio");
  EXPECT_EQ(audio.port, 49170);
  EXPECT_FALSE(audio.port_count);
  EXPECT_EQ(audio.proto, "RTP/AVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string>{"0", "8", "101"}));
  EXPECT_EQ(audio.rtpmap("0"), (RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_EQ(audio.rtpmap("8"), (RtpMap{8, "PCMA", 8000, 1}));
  EXPECT_EQ(audio.rtpmap("101"), (RtpMap{101, "telephone-event", 8000, 1}));
  EXPECT_FALSE(audio.rtpmap("96"));
  EXPECT_EQ(audio.fmtp("101"), "0-16");
  EXPECT_FALSE(audio.fmtp("0"));
  EXPECT_EQ(audio.attribute("ptime"), "20");
  EXPECT_EQ(audio.attribute("sendrecv"), "");
  EXPECT_FALSE(audio.attribute("maxptime"));
  ASSERT_EQ(audio.attributes.size(), 6u);
  EXPECT_EQ(audio.attributes[5], (SdpAttribute{"sendrecv", std::nullopt}));
  EXPECT_EQ(sdp.direction(audio), MediaDirection::sendrecv);
  EXPECT_FALSE(sdp.is_hold(audio));
}

TEST(Sdp, StaticPayloadTypesNeedNoRtpmapAndStereoOpusKeepsItsChannels) {
  const SessionDescription sdp = parse_ok(crlf({
      "v=0",
      "o=- 1 1 IN IP4 192.0.2.1",
      "s= ",
      "c=IN IP4 192.0.2.1",
      "t=0 0",
      "m=audio 4000 RTP/AVP 111 0 18",
      "a=rtpmap:111 opus/48000/2",
  }));
  const MediaDescription& audio = sdp.media.at(0);
  EXPECT_EQ(sdp.session_name, " ");
  EXPECT_EQ(audio.rtpmap("111"), (RtpMap{111, "opus", 48000, 2}));
  EXPECT_EQ(audio.rtpmap("0"), (RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_EQ(audio.rtpmap("18"), (RtpMap{18, "G729", 8000, 1}));
  EXPECT_FALSE(audio.rtpmap("opus"));
}

TEST(Sdp, Ipv6OfferWithBareLineFeedsKeepsAddressesAsText) {
  const SessionDescription sdp = parse_ok(
      "v=0\no=bob 7 7 IN IP6 2001:db8::7\ns=call\nc=IN IP6 2001:db8::7\nt=0 0\n"
      "m=audio 5004 RTP/AVP 9\na=rtpmap:9 G722/8000\n");
  EXPECT_EQ(sdp.origin.address_type, "IP6");
  EXPECT_EQ(sdp.origin.address, "2001:db8::7");
  ASSERT_TRUE(sdp.connection);
  EXPECT_EQ(sdp.connection->address_type, "IP6");
  EXPECT_EQ(sdp.connection->address, "2001:db8::7");
  EXPECT_EQ(sdp.media.at(0).rtpmap("9"), (RtpMap{9, "G722", 8000, 1}));
  EXPECT_EQ(serialize_sdp(sdp),
            crlf({"v=0", "o=bob 7 7 IN IP6 2001:db8::7", "s=call", "c=IN IP6 2001:db8::7", "t=0 0",
                  "m=audio 5004 RTP/AVP 9", "a=rtpmap:9 G722/8000"}));
}

std::string hold_offer(std::string_view address, std::string_view direction) {
  std::string text = crlf({"v=0", "o=- 1 2 IN IP4 192.0.2.10", "s=-"});
  text += "c=IN IP4 " + std::string(address) + "\r\n";
  text += crlf({"t=0 0", "m=audio 49170 RTP/AVP 0"});
  if (!direction.empty()) text += "a=" + std::string(direction) + "\r\n";
  return text;
}

TEST(Sdp, PhonePutsUsOnHoldWithSendonlyInactiveOrTheOldZeroAddress) {
  const SessionDescription sendonly = parse_ok(hold_offer("192.0.2.10", "sendonly"));
  EXPECT_EQ(sendonly.direction(sendonly.media.at(0)), MediaDirection::sendonly);
  EXPECT_TRUE(sendonly.is_hold(sendonly.media.at(0)));

  const SessionDescription inactive = parse_ok(hold_offer("192.0.2.10", "inactive"));
  EXPECT_EQ(inactive.direction(inactive.media.at(0)), MediaDirection::inactive);
  EXPECT_TRUE(inactive.is_hold(inactive.media.at(0)));

  const SessionDescription old_style = parse_ok(hold_offer("0.0.0.0", ""));
  EXPECT_EQ(old_style.direction(old_style.media.at(0)), MediaDirection::sendrecv);
  EXPECT_TRUE(old_style.is_hold(old_style.media.at(0)));

  const SessionDescription resumed = parse_ok(hold_offer("192.0.2.10", "recvonly"));
  EXPECT_FALSE(resumed.is_hold(resumed.media.at(0)));
}

TEST(Sdp, AudioAndVideoStreamsEachKeepTheirOwnLines) {
  const SessionDescription sdp = parse_ok(crlf({
      "v=0",
      "o=carol 1 1 IN IP4 198.51.100.1",
      "s=video call",
      "i=a description",
      "e=carol@example.com",
      "b=AS:2000",
      "t=3034423619 3042462419",
      "r=7d 1h 0 25h",
      "a=tool:orbit",
      "m=audio 49170 RTP/AVP 0",
      "c=IN IP4 198.51.100.1",
      "a=rtpmap:0 PCMU/8000",
      "m=video 51372/2 RTP/AVP 96 97",
      "i=camera",
      "c=IN IP4 198.51.100.2",
      "b=TIAS:1500000",
      "a=rtpmap:96 H264/90000",
      "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1",
      "a=rtpmap:97 VP8/90000",
      "a=recvonly",
      "m=application 0 UDP/BFCP *",
      "c=IN IP4 198.51.100.1",
  }));
  EXPECT_EQ(sdp.information, "a description");
  EXPECT_EQ(sdp.emails, (std::vector<std::string>{"carol@example.com"}));
  EXPECT_EQ(sdp.bandwidths, (std::vector<SdpBandwidth>{{"AS", 2000}}));
  ASSERT_EQ(sdp.timings.size(), 1u);
  EXPECT_EQ(sdp.timings[0].stop, 3042462419u);
  EXPECT_EQ(sdp.timings[0].repeats, (std::vector<std::string>{"7d 1h 0 25h"}));
  EXPECT_FALSE(sdp.connection);

  ASSERT_EQ(sdp.media.size(), 3u);
  const MediaDescription& video = sdp.media[1];
  EXPECT_EQ(video.type, "video");
  EXPECT_EQ(video.port, 51372);
  EXPECT_EQ(video.port_count, 2);
  EXPECT_EQ(video.title, "camera");
  EXPECT_EQ(sdp.connection_for(video)->address, "198.51.100.2");
  EXPECT_EQ(video.bandwidths, (std::vector<SdpBandwidth>{{"TIAS", 1500000}}));
  EXPECT_EQ(video.rtpmap("97"), (RtpMap{97, "VP8", 90000, 1}));
  EXPECT_EQ(video.fmtp("96"), "profile-level-id=42e01f;packetization-mode=1");
  EXPECT_EQ(sdp.direction(video), MediaDirection::recvonly);
  EXPECT_EQ(sdp.direction(sdp.media[0]), MediaDirection::sendrecv);

  const MediaDescription& rejected = sdp.media[2];
  EXPECT_EQ(rejected.port, 0);
  EXPECT_EQ(rejected.formats, (std::vector<std::string>{"*"}));
}

TEST(Sdp, MediaInheritsTheSessionDirectionUnlessItSaysOtherwise) {
  SessionDescription sdp = parse_ok(crlf({
      "v=0",
      "o=- 1 1 IN IP4 192.0.2.1",
      "s=-",
      "c=IN IP4 192.0.2.1",
      "t=0 0",
      "a=sendonly",
      "m=audio 4000 RTP/AVP 0",
      "m=audio 4002 RTP/AVP 0",
      "a=inactive",
  }));
  EXPECT_EQ(sdp.declared_direction(), MediaDirection::sendonly);
  EXPECT_FALSE(sdp.media[0].declared_direction());
  EXPECT_EQ(sdp.direction(sdp.media[0]), MediaDirection::sendonly);
  EXPECT_EQ(sdp.direction(sdp.media[1]), MediaDirection::inactive);

  sdp.set_direction(MediaDirection::sendrecv);
  sdp.media[1].set_direction(MediaDirection::recvonly);
  EXPECT_EQ(sdp.direction(sdp.media[0]), MediaDirection::sendrecv);
  EXPECT_EQ(sdp.direction(sdp.media[1]), MediaDirection::recvonly);
  EXPECT_EQ(sdp.attributes, (std::vector<SdpAttribute>{{"sendrecv", std::nullopt}}));
}

TEST(Sdp, SetDirectionReplacesInPlaceOrAppends) {
  SessionDescription sdp = parse_ok(kTypicalOffer);
  MediaDescription& audio = sdp.media.at(0);
  audio.attributes.push_back({"maxptime", "40"});
  audio.set_direction(MediaDirection::sendonly);
  EXPECT_EQ(audio.attributes.at(5), (SdpAttribute{"sendonly", std::nullopt}));
  EXPECT_EQ(audio.attributes.back(), (SdpAttribute{"maxptime", "40"}));
  EXPECT_TRUE(sdp.is_hold(audio));

  MediaDescription bare;
  bare.set_direction(MediaDirection::inactive);
  EXPECT_EQ(bare.attributes, (std::vector<SdpAttribute>{{"inactive", std::nullopt}}));
  EXPECT_EQ(to_string(MediaDirection::recvonly), "recvonly");
}

TEST(Sdp, SerialisesInRfcOrderWithCrlfAndParsesBackToTheSameModel) {
  // Out of order on input (a= before t=, k= after a=), with LF only and a trailing blank line.
  const std::string input =
      "v=0\no=- 42 1 IN IP4 192.0.2.1\ns=-\na=group:BUNDLE 0\nt=0 0\nk=prompt\n"
      "u=http://example.com/\np=+1 555 0100\nz=2882844526 -1h\nc=IN IP4 192.0.2.1\n"
      "m=audio 4000 RTP/SAVP 0\nk=clear:abc\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\n"
      "a=empty:\nb=AS:64\n\n";
  const SessionDescription sdp = parse_ok(input);
  const std::string text = serialize_sdp(sdp);
  EXPECT_EQ(text, crlf({"v=0", "o=- 42 1 IN IP4 192.0.2.1", "s=-", "u=http://example.com/",
                        "p=+1 555 0100", "c=IN IP4 192.0.2.1", "t=0 0", "z=2882844526 -1h",
                        "k=prompt", "a=group:BUNDLE 0", "m=audio 4000 RTP/SAVP 0", "b=AS:64",
                        "k=clear:abc", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x", "a=empty:"}));
  EXPECT_EQ(parse_sdp(text), sdp);
  EXPECT_EQ(serialize_sdp(parse_ok(kTypicalOffer)), kTypicalOffer);
  EXPECT_EQ(sdp.media.at(0).attributes.back(), (SdpAttribute{"empty", ""}));
}

TEST(Sdp, ABuiltDescriptionSerialisesToValidSdp) {
  SessionDescription sdp;
  sdp.origin.address = "192.0.2.5";
  sdp.connection = SdpConnection{.address = "192.0.2.5"};
  MediaDescription audio;
  audio.type = "audio";
  audio.port = 30000;
  audio.formats = {"0"};
  audio.set_direction(MediaDirection::sendonly);
  sdp.media.push_back(audio);
  EXPECT_EQ(serialize_sdp(sdp),
            crlf({"v=0", "o=- 0 0 IN IP4 192.0.2.5", "s=-", "c=IN IP4 192.0.2.5", "t=0 0",
                  "m=audio 30000 RTP/AVP 0", "a=sendonly"}));
  ASSERT_TRUE(parse_sdp(serialize_sdp(sdp)));
}

struct Fault {
  std::string_view what;
  std::string text;
  std::string_view reason;
};

void PrintTo(const Fault& fault, std::ostream* out) {
  *out << fault.what;
}

class SdpFault : public testing::TestWithParam<Fault> {};

std::string fault_name(const testing::TestParamInfo<Fault>& info) {
  std::string name(info.param.what);
  std::ranges::replace_if(
      name, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

TEST_P(SdpFault, IsRejectedWithTheLineAndTheReason) {
  const auto sdp = parse_sdp(GetParam().text);
  ASSERT_FALSE(sdp) << GetParam().what;
  EXPECT_EQ(sdp.error().reason, GetParam().reason) << GetParam().what;
}

const std::string kHead = crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1"});

INSTANTIATE_TEST_SUITE_P(
    Sdp, SdpFault,
    testing::Values(
        Fault{"empty body", "", "empty SDP: expected v=0"},
        Fault{"missing v=", crlf({"o=- 1 1 IN IP4 192.0.2.1", "s=-", "t=0 0"}),
              "line 1: expected v= first"},
        Fault{"version 1", crlf({"v=1"}), "line 1: v= must be 0"},
        Fault{"missing o=", crlf({"v=0", "s=-", "t=0 0"}), "missing o= line"},
        Fault{"missing s=", crlf({"v=0", "o=- 1 1 IN IP4 192.0.2.1", "t=0 0"}), "missing s= line"},
        Fault{"missing t=", kHead, "missing t= line"},
        Fault{"garbage line", kHead + "hello world\r\n", "line 5: expected <type>=<value>"},
        Fault{"space before =", kHead + "t =0 0\r\n", "line 5: expected <type>=<value>"},
        Fault{"unknown type", kHead + "x=1\r\n", "line 5: unknown type 'x='"},
        Fault{"upper case type", kHead + "T=0 0\r\n", "line 5: unknown type 'T='"},
        Fault{"blank line inside", kHead + "\r\nt=0 0\r\n", "line 5: empty line"},
        Fault{"stray CR", kHead + "t=0 0\rm=audio\r\n", "line 5: control character in value"},
        Fault{"port too big", kHead + "t=0 0\r\nm=audio 70000 RTP/AVP 0\r\n",
              "line 6: m= port 70000 is out of range 0..65535"},
        Fault{"port not a number", kHead + "t=0 0\r\nm=audio -1 RTP/AVP 0\r\n",
              "line 6: m= port must be a number"},
        Fault{"port count zero", kHead + "t=0 0\r\nm=audio 4000/0 RTP/AVP 0\r\n",
              "line 6: m= port count must be 1..65535"},
        Fault{"m= without formats", kHead + "t=0 0\r\nm=audio 4000 RTP/AVP\r\n",
              "line 6: m= needs media, port, proto and formats"},
        Fault{"short o=", crlf({"v=0", "o=- 1 1 IN IP4", "s=-", "t=0 0"}),
              "line 2: o= needs username, session id, version, nettype, addrtype, address"},
        Fault{"o= version", crlf({"v=0", "o=- 1 x IN IP4 h", "s=-", "t=0 0"}),
              "line 2: o= session version must be a number"},
        Fault{"short c=", crlf({"v=0", "c=IN IP4"}),
              "line 2: c= needs nettype, addrtype and address"},
        Fault{"duplicate c=", kHead + "c=IN IP4 192.0.2.2\r\n", "line 5: duplicate c="},
        Fault{"duplicate s=", kHead + "s=again\r\n", "line 5: duplicate s="},
        Fault{"second v=", kHead + "v=0\r\n", "line 5: duplicate v="},
        Fault{"t= words", kHead + "t=now later\r\n", "line 5: t= times must be numbers"},
        Fault{"t= one time", kHead + "t=0\r\n", "line 5: t= needs start and stop times"},
        Fault{"r= first", kHead + "r=1d 1h 0\r\n", "line 5: r= before any t="},
        Fault{"bandwidth", kHead + "b=AS\r\n", "line 5: b= needs <type>:<bandwidth>"},
        Fault{"attribute name", kHead + "a=:x\r\n", "line 5: a= name must be a token"},
        Fault{"attribute name with space", kHead + "a=foo bar\r\n",
              "line 5: a= name must be a token"},
        Fault{"rtpmap", kHead + "t=0 0\r\nm=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n",
              "line 7: a=rtpmap needs <payload type> <encoding>/<clock rate>[/<channels>]"},
        Fault{"two directions", kHead + "t=0 0\r\na=sendonly\r\na=inactive\r\n",
              "line 7: a second direction attribute"},
        Fault{"s= after m=", kHead + "t=0 0\r\nm=audio 1 RTP/AVP 0\r\ns=x\r\n",
              "line 7: s= is not allowed after m="},
        Fault{"media without c=",
              crlf({"v=0", "o=- 1 1 IN IP4 h", "s=-", "t=0 0", "m=audio 1 RTP/AVP 0"}),
              "line 5: m= has no c= and there is no session-level c="}),
    fault_name);

}  // namespace
}  // namespace orbit::sip
