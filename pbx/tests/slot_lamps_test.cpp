// Slot lamps on simulated time: phones subscribe to park slots over a real transaction layer and
// read the NOTIFYs Orbit sends them as a call is parked and retrieved.
#include "pbx/slot_lamps.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "pbx/dialog_info.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

using namespace std::chrono_literals;

Directory two_tenants() {
  Tenant demo;
  demo.domain = "demo.orbit";
  demo.aliases = {"127.0.0.1"};
  demo.realm = "demo.orbit";
  Tenant acme;
  acme.domain = "acme.orbit";
  acme.realm = "acme.orbit";
  return Directory({demo, acme});
}

// A phone behind NAT: it writes its private address in Contact, Orbit sees its public one.
struct Phone {
  sip::Endpoint at;     // where its packets come from
  std::string contact;  // what it writes in Contact
  std::string target;   // what it subscribes to, "sip:701@demo.orbit"
  std::string call_id;
  std::string tag;
  std::string orbit_tag;     // To tag of the subscription dialog, from the 200
  std::string orbit_target;  // Contact of the 200: Request-URI of refreshes
  std::uint32_t cseq = 0;
};

class SlotLampsTest : public ::testing::Test {
 protected:
  SlotLampsTest() {
    for (const auto* domain : {"demo.orbit", "acme.orbit"}) {
      for (int slot = 701; slot <= 720; ++slot) known_.insert({domain, std::to_string(slot)});
      known_.insert({domain, "*13"});
      known_.insert({domain, "*88101"});
    }
  }

  // The park logic as the lamps see it: which names exist, what is parked where.
  std::optional<LampState> resolve(const Tenant& tenant, std::string_view resource) {
    std::pair<std::string, std::string> key{tenant.domain, std::string(resource)};
    if (!known_.contains(key)) return std::nullopt;
    auto it = parked_.find(key);
    if (it == parked_.end()) return LampState{};
    return LampState{true, it->second};
  }

  const Tenant& tenant(std::string_view domain) { return *directory_.tenant_for_host(domain); }

  void park(std::string_view resource, std::string caller, std::string_view domain = "demo.orbit") {
    parked_[{std::string(domain), std::string(resource)}] = std::move(caller);
    lamps_.changed(tenant(domain), resource, now_);
    pump();
  }

  void retrieve(std::string_view resource, std::string_view domain = "demo.orbit") {
    parked_.erase({std::string(domain), std::string(resource)});
    lamps_.changed(tenant(domain), resource, now_);
    pump();
  }

  Phone phone(std::string_view name, std::uint16_t public_port, std::string_view target) {
    ++calls_;
    return Phone{{sip::Transport::Udp, "203.0.113.7", public_port, 0},
                 fmt::format("sip:{}@192.168.1.20:5060", name),
                 std::string(target),
                 fmt::format("{}-{}@192.168.1.20", name, calls_),
                 fmt::format("{}-{}", name, calls_),
                 {},
                 {},
                 0};
  }

  // A SUBSCRIBE from the phone: a new one, or a refresh within its dialog once it has one.
  std::string subscribe_text(Phone& p, std::optional<std::uint32_t> expires,
                             std::string_view event = "dialog", std::string_view extra = {}) {
    bool refresh = !p.orbit_tag.empty();
    auto b = sip::MessageBuilder::request("SUBSCRIBE", refresh ? p.orbit_target : p.target);
    b.header("Via", fmt::format("SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK{}-{};rport", p.tag,
                                p.cseq + 1));
    b.header("Max-Forwards", "70");
    b.header("From", fmt::format("\"Reception\" <sip:100@demo.orbit>;tag={}", p.tag));
    b.header("To", refresh ? fmt::format("<{}>;tag={}", p.target, p.orbit_tag)
                           : fmt::format("<{}>", p.target));
    b.header("Call-ID", p.call_id);
    b.header("CSeq", fmt::format("{} SUBSCRIBE", ++p.cseq));
    b.header("Contact", fmt::format("<{}>", p.contact));
    if (!event.empty()) b.header("Event", event);
    b.header("Accept", "application/dialog-info+xml");
    if (expires) b.header("Expires", std::to_string(*expires));
    auto text = b.build();
    if (!extra.empty()) text.insert(text.find("Content-Length:"), extra);
    return text;
  }

  // Sends a SUBSCRIBE and returns Orbit's answer; a 2xx gives the phone its dialog.
  sip::Message subscribe(Phone& p, std::optional<std::uint32_t> expires,
                         std::string_view event = "dialog") {
    feed(subscribe_text(p, expires, event), p.at);
    auto response = take(p.at, "SIP/2.0 ");
    EXPECT_TRUE(response.has_value()) << "no answer to the SUBSCRIBE";
    if (!response)
      return *sip::Message::parse("SIP/2.0 500 No answer\r\nContent-Length: 0\r\n\r\n");
    if (response->status() / 100 == 2 && p.orbit_tag.empty()) {
      p.orbit_tag = std::string(response->to().tag());
      auto contact = sip::parse_name_addr(*response->header(sip::HeaderId::Contact));
      p.orbit_target = std::string(contact->uri.raw);
    }
    return std::move(*response);
  }

  // The next NOTIFY Orbit sent the phone, which the phone answers with `status`.
  std::optional<sip::Message> notified(const Phone& p, int status = 200) {
    auto notify = take(p.at, "NOTIFY ");
    if (!notify) return std::nullopt;
    auto answer = sip::make_response(*notify, status, sip::reason_phrase(status)).build();
    feed(answer, p.at);
    return notify;
  }

  void feed(const std::string& text, const sip::Endpoint& from) {
    auto m = sip::Message::parse(text);
    ASSERT_TRUE(m.has_value()) << m.error().reason << "\n" << text;
    transactions_.on_message(std::move(*m), from, now_);
    pump();
  }

  // Runs what the transaction layer hands up, as SipService would for the lamps.
  void pump() {
    for (auto actions = transactions_.take_actions(); !actions.empty();
         actions = transactions_.take_actions()) {
      for (auto& action : actions) {
        if (auto* send = std::get_if<sip::Send>(&action)) {
          sent_.push_back(std::move(*send));
        } else if (auto* req = std::get_if<sip::RequestReceived>(&action)) {
          auto stamped = sip::stamp_via(req->request.top_via(), req->from.address, req->from.port);
          RequestContext ctx{req->request, req->from, stamped, now_, wall_};
          lamps_.on_subscribe(*req, ctx);
        } else if (auto* resp = std::get_if<sip::ResponseReceived>(&action)) {
          ASSERT_TRUE(lamps_.owns_transaction(resp->id));
          lamps_.on_notify_response(resp->id, resp->response.status());
        } else if (auto* timeout = std::get_if<sip::TransactionTimeout>(&action)) {
          ASSERT_TRUE(lamps_.owns_transaction(timeout->id));
          lamps_.on_notify_failed(timeout->id);
        }
      }
    }
  }

  void advance(std::chrono::milliseconds d) {
    auto end = now_ + d;
    while (true) {
      auto next = transactions_.next_deadline();
      if (auto l = lamps_.next_deadline(); l && (!next || *l < *next)) next = l;
      if (!next || *next > end) break;
      now_ = std::max(now_, *next);
      transactions_.on_timer(now_);
      lamps_.on_timer(now_);
      pump();
    }
    now_ = end;
  }

  // Takes the first message sent to `to` whose start line begins with `start`.
  std::optional<sip::Message> take(const sip::Endpoint& to, std::string_view start) {
    for (auto it = sent_.begin(); it != sent_.end(); ++it) {
      if (it->to != to || !it->bytes.starts_with(start)) continue;
      auto m = sip::Message::parse(it->bytes);
      sent_.erase(it);
      if (!m) ADD_FAILURE() << "Orbit sent an unparsable message: " << m.error().reason;
      return m ? std::optional<sip::Message>(std::move(*m)) : std::nullopt;
    }
    return std::nullopt;
  }

  [[nodiscard]] std::size_t sent_to(const sip::Endpoint& to) const {
    return static_cast<std::size_t>(
        std::count_if(sent_.begin(), sent_.end(), [&](const auto& s) { return s.to == to; }));
  }

  static std::string header(const sip::Message& m, std::string_view name) {
    return std::string(m.header(name).value_or("(absent)"));
  }
  static std::string body(const sip::Message& m) { return std::string(m.body()); }

  // A subscribed phone whose first NOTIFY has been read.
  Phone subscribed(std::string_view name, std::uint16_t port, std::string_view target,
                   std::uint32_t expires = 600) {
    auto p = phone(name, port, target);
    EXPECT_EQ(subscribe(p, expires).status(), 200);
    EXPECT_TRUE(notified(p).has_value());
    return p;
  }

  Directory directory_ = two_tenants();
  sip::TransactionLayer transactions_;
  sip::TagGenerator tags_{7};
  sip::TimePoint now_{std::chrono::seconds(1000)};
  std::chrono::sys_seconds wall_{std::chrono::sys_seconds(1'800'000'000s)};
  std::set<std::pair<std::string, std::string>> known_;
  std::map<std::pair<std::string, std::string>, std::string> parked_;
  SlotLamps lamps_{directory_,
                   transactions_,
                   tags_,
                   [this](const Tenant& t, std::string_view r) { return resolve(t, r); },
                   {sip::Transport::Udp, "198.51.100.1", 5060},
                   {sip::Transport::Tcp, "198.51.100.1", 5060},
                   SlotLampsConfig{60, 3600, 1800}};
  std::vector<sip::Send> sent_;
  int calls_ = 0;
};

TEST_F(SlotLampsTest, APhoneSubscribingTo701WhileItIsFreeGetsATerminatedNotifyAtOnce) {
  auto yealink = phone("yealink", 40000, "sip:701@demo.orbit");
  auto ok = subscribe(yealink, 600);

  EXPECT_EQ(ok.status(), 200);
  EXPECT_FALSE(ok.to().tag().empty());
  EXPECT_EQ(ok.expires(), 600u);
  EXPECT_EQ(header(ok, "Contact"), "<sip:orbit@198.51.100.1:5060>");

  auto notify = notified(yealink);
  ASSERT_TRUE(notify.has_value());
  // To the phone's Contact, sent where its SUBSCRIBE came from (its NAT binding).
  EXPECT_EQ(notify->request_uri().raw, "sip:yealink@192.168.1.20:5060");
  EXPECT_EQ(notify->call_id(), yealink.call_id);
  EXPECT_EQ(notify->from().tag(), yealink.orbit_tag);
  EXPECT_EQ(notify->to().tag(), yealink.tag);
  EXPECT_EQ(header(*notify, "Event"), "dialog");
  EXPECT_EQ(header(*notify, "Subscription-State"), "active;expires=600");
  EXPECT_EQ(header(*notify, "Content-Type"), "application/dialog-info+xml");
  EXPECT_NE(body(*notify).find("<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" "
                               "version=\"0\" state=\"full\" entity=\"sip:701@demo.orbit\">"),
            std::string::npos)
      << body(*notify);
  EXPECT_NE(body(*notify).find("<dialog id=\"701\"><state>terminated</state></dialog>"),
            std::string::npos)
      << body(*notify);
  EXPECT_EQ(lamps_.subscriptions(), 1u);
  EXPECT_EQ(sent_to(yealink.at), 0u);
}

TEST_F(SlotLampsTest, WhenACallIsParkedOn701EverySubscriberGetsConfirmed) {
  auto reception = subscribed("reception", 40000, "sip:701@demo.orbit");
  auto desk = subscribed("desk", 40002, "sip:701@demo.orbit");
  auto other_slot = subscribed("other", 40004, "sip:702@demo.orbit");
  advance(100s);

  park("701", "Dupont <+33123456789>");

  for (const auto* p : {&reception, &desk}) {
    auto notify = notified(*p);
    ASSERT_TRUE(notify.has_value()) << p->call_id;
    EXPECT_EQ(header(*notify, "Subscription-State"), "active;expires=500");
    auto xml = body(*notify);
    EXPECT_NE(xml.find("version=\"1\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("<dialog id=\"701\" direction=\"recipient\">"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<state>confirmed</state>"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<remote><identity display=\"Dupont\">sip:+33123456789@demo.orbit"
                       "</identity>"),
              std::string::npos)
        << xml;
  }
  EXPECT_FALSE(notified(other_slot).has_value());
}

TEST_F(SlotLampsTest, RetrievedTurnsTheLampOffAgain) {
  auto reception = subscribed("reception", 40000, "sip:701@demo.orbit");
  park("701", "Dupont <+33123456789>");
  ASSERT_TRUE(notified(reception).has_value());

  retrieve("701");

  auto notify = notified(reception);
  ASSERT_TRUE(notify.has_value());
  EXPECT_NE(body(*notify).find("version=\"2\""), std::string::npos);
  EXPECT_NE(body(*notify).find("<dialog id=\"701\"><state>terminated</state></dialog>"),
            std::string::npos);
  EXPECT_EQ(body(*notify).find("Dupont"), std::string::npos);
}

TEST_F(SlotLampsTest, ARebootedPhoneSeesTheParkedCallAtOnceAndItsOldSubscriptionGoes) {
  auto before = subscribed("yealink", 40000, "sip:701@demo.orbit");
  park("701", "Dupont <+33123456789>");
  ASSERT_TRUE(notified(before).has_value());

  // The phone reboots (a new NAT binding too): a new SUBSCRIBE, a new dialog, the full state
  // at once.
  auto after = phone("yealink", 40010, "sip:701@demo.orbit");
  ASSERT_EQ(subscribe(after, 600).status(), 200);
  auto notify = notified(after);
  ASSERT_TRUE(notify.has_value());
  EXPECT_EQ(notify->call_id(), after.call_id);
  EXPECT_NE(body(*notify).find("version=\"0\""), std::string::npos);
  EXPECT_NE(body(*notify).find("<state>confirmed</state>"), std::string::npos);
  EXPECT_EQ(lamps_.subscriptions(), 2u);

  // At the next change the phone no longer knows the old dialog.
  retrieve("701");
  auto stale = take(before.at, "NOTIFY ");
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(stale->call_id(), before.call_id);
  feed(sip::make_response(*stale, 481, "Subscription does not exist").build(), before.at);
  EXPECT_EQ(lamps_.subscriptions(), 1u);
}

TEST_F(SlotLampsTest, ARefreshGivesTheFullStateAgainAndPostponesExpiry) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit");
  park("701", "Dupont <+33123456789>");
  ASSERT_TRUE(notified(yealink).has_value());
  advance(500s);

  auto ok = subscribe(yealink, 600);
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.expires(), 600u);
  auto notify = notified(yealink);
  ASSERT_TRUE(notify.has_value());
  EXPECT_EQ(header(*notify, "Subscription-State"), "active;expires=600");
  EXPECT_NE(body(*notify).find("version=\"2\""), std::string::npos);
  EXPECT_NE(body(*notify).find("<state>confirmed</state>"), std::string::npos);

  advance(500s);  // past the first expiry
  EXPECT_EQ(sent_to(yealink.at), 0u);
  EXPECT_EQ(lamps_.subscriptions(), 1u);
  EXPECT_EQ(lamps_.next_deadline(), now_ + 100s);
}

TEST_F(SlotLampsTest, ARefreshFromANewNatBindingMovesTheNotifies) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit");
  yealink.at.port = 41234;
  ASSERT_EQ(subscribe(yealink, 600).status(), 200);
  ASSERT_TRUE(notified(yealink).has_value());

  park("701", "Dupont <+33123456789>");
  EXPECT_TRUE(notified(yealink).has_value());
}

TEST_F(SlotLampsTest, UnsubscribingGetsAFinalNotifyAndEndsTheSubscription) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit");
  park("701", "Dupont <+33123456789>");
  ASSERT_TRUE(notified(yealink).has_value());

  auto ok = subscribe(yealink, 0);
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.expires(), 0u);
  auto last = notified(yealink);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(header(*last, "Subscription-State"), "terminated;reason=timeout");
  EXPECT_NE(body(*last).find("<state>confirmed</state>"), std::string::npos);
  EXPECT_EQ(lamps_.subscriptions(), 0u);
  EXPECT_EQ(lamps_.next_deadline(), std::nullopt);

  retrieve("701");
  EXPECT_EQ(sent_to(yealink.at), 0u);
  // A late refresh belongs to no subscription any more.
  EXPECT_EQ(subscribe(yealink, 600).status(), 481);
}

TEST_F(SlotLampsTest, ASubscriptionNotRefreshedExpiresWithAFinalNotify) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit", 120);
  EXPECT_EQ(lamps_.next_deadline(), now_ + 120s);

  advance(119s);
  EXPECT_EQ(sent_to(yealink.at), 0u);
  advance(1s);

  auto last = notified(yealink);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(header(*last, "Subscription-State"), "terminated;reason=timeout");
  EXPECT_NE(body(*last).find("version=\"1\""), std::string::npos);
  EXPECT_EQ(lamps_.subscriptions(), 0u);
  EXPECT_EQ(lamps_.next_deadline(), std::nullopt);
}

TEST_F(SlotLampsTest, AFetchGetsTheStateOnceAndKeepsNoSubscription) {
  park("701", "Dupont <+33123456789>");
  auto polycom = phone("polycom", 40000, "sip:701@demo.orbit");

  EXPECT_EQ(subscribe(polycom, 0).status(), 200);
  auto notify = notified(polycom);
  ASSERT_TRUE(notify.has_value());
  EXPECT_EQ(header(*notify, "Subscription-State"), "terminated;reason=timeout");
  EXPECT_NE(body(*notify).find("<state>confirmed</state>"), std::string::npos);
  EXPECT_EQ(lamps_.subscriptions(), 0u);
}

TEST_F(SlotLampsTest, AnUnknownResourceIs404) {
  auto wrong_slot = phone("yealink", 40000, "sip:799@demo.orbit");
  EXPECT_EQ(subscribe(wrong_slot, 600).status(), 404);
  auto wrong_domain = phone("yealink", 40000, "sip:701@elsewhere.example");
  EXPECT_EQ(subscribe(wrong_domain, 600).status(), 404);
  EXPECT_EQ(sent_to(wrong_slot.at), 0u);
  EXPECT_EQ(lamps_.subscriptions(), 0u);
}

TEST_F(SlotLampsTest, AnotherEventPackageIs489WithAllowEvents) {
  auto presence = phone("yealink", 40000, "sip:701@demo.orbit");
  auto refused = subscribe(presence, 600, "presence");
  EXPECT_EQ(refused.status(), 489);
  EXPECT_EQ(header(refused, "Allow-Events"), "dialog");

  auto no_event = phone("yealink", 40000, "sip:701@demo.orbit");
  EXPECT_EQ(subscribe(no_event, 600, "").status(), 489);
  EXPECT_EQ(sent_to(presence.at), 0u);
  EXPECT_EQ(lamps_.subscriptions(), 0u);
}

TEST_F(SlotLampsTest, EventParametersStillMeanTheDialogPackage) {
  auto grandstream = phone("grandstream", 40000, "sip:701@demo.orbit");
  EXPECT_EQ(subscribe(grandstream, 600, "dialog;call-id=abc").status(), 200);
}

TEST_F(SlotLampsTest, TooShortAnIntervalIs423WithMinExpires) {
  auto hasty = phone("yealink", 40000, "sip:701@demo.orbit");
  auto refused = subscribe(hasty, 30);
  EXPECT_EQ(refused.status(), 423);
  EXPECT_EQ(header(refused, "Min-Expires"), "60");
  EXPECT_EQ(lamps_.subscriptions(), 0u);

  // A refresh too short is refused too, and the subscription keeps its time.
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit", 600);
  auto expiry = lamps_.next_deadline();
  EXPECT_EQ(subscribe(yealink, 30).status(), 423);
  EXPECT_EQ(lamps_.next_deadline(), expiry);
  EXPECT_EQ(lamps_.subscriptions(), 1u);
}

TEST_F(SlotLampsTest, TooLongAnIntervalIsCappedAndNoneGetsTheDefault) {
  auto greedy = phone("greedy", 40000, "sip:701@demo.orbit");
  EXPECT_EQ(subscribe(greedy, 86400).expires(), 3600u);
  EXPECT_EQ(header(*notified(greedy), "Subscription-State"), "active;expires=3600");

  auto silent = phone("silent", 40002, "sip:701@demo.orbit");
  EXPECT_EQ(subscribe(silent, std::nullopt).expires(), 1800u);
  EXPECT_EQ(header(*notified(silent), "Subscription-State"), "active;expires=1800");
}

TEST_F(SlotLampsTest, TheCallerNameIsEscapedInTheXml) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit");

  park("701", "O'Brien & \"Sons\" <R&D> <+33 1 23 45 67 89>");

  auto notify = notified(yealink);
  ASSERT_TRUE(notify.has_value());
  auto xml = body(*notify);
  EXPECT_NE(xml.find("<identity display=\"O&apos;Brien &amp; &quot;Sons&quot; &lt;R&amp;D&gt;\">"
                     "sip:+33123456789@demo.orbit</identity>"),
            std::string::npos)
      << xml;
  // Every & starts an entity: nothing of the name leaks as markup.
  for (auto at = xml.find('&'); at != std::string::npos; at = xml.find('&', at + 1)) {
    auto rest = std::string_view(xml).substr(at);
    EXPECT_TRUE(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
                rest.starts_with("&quot;") || rest.starts_with("&apos;"))
        << rest;
  }
}

TEST_F(SlotLampsTest, TenantsAreIsolated) {
  auto demo_phone = subscribed("demo", 40000, "sip:701@demo.orbit");
  auto acme_phone = subscribed("acme", 40002, "sip:701@acme.orbit");

  park("701", "Acme caller <+33999>", "acme.orbit");

  EXPECT_FALSE(notified(demo_phone).has_value());
  auto notify = notified(acme_phone);
  ASSERT_TRUE(notify.has_value());
  EXPECT_NE(body(*notify).find("entity=\"sip:701@acme.orbit\""), std::string::npos);
  EXPECT_NE(body(*notify).find("<state>confirmed</state>"), std::string::npos);

  lamps_.changed_all(tenant("acme.orbit"), now_);  // nothing new to show
  EXPECT_EQ(sent_to(demo_phone.at) + sent_to(acme_phone.at), 0u);
}

TEST_F(SlotLampsTest, AFailedNotifyDropsTheSubscription) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit");

  park("701", "Dupont <+33123456789>");
  ASSERT_TRUE(notified(yealink, 481).has_value());

  EXPECT_EQ(lamps_.subscriptions(), 0u);
  EXPECT_FALSE(lamps_.owns_dialog(*sip::Message::parse(subscribe_text(yealink, 600))));
  retrieve("701");
  EXPECT_EQ(sent_to(yealink.at), 0u);
}

TEST_F(SlotLampsTest, ANotifyNobodyAnswersDropsTheSubscription) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit");
  park("701", "Dupont <+33123456789>");  // the phone is unplugged: no answer

  advance(31s);
  EXPECT_EQ(lamps_.subscriptions(), 1u);
  advance(1s);  // Timer F
  EXPECT_EQ(lamps_.subscriptions(), 0u);
}

TEST_F(SlotLampsTest, ARequestOfAnUnknownSubscriptionDialogIs481) {
  auto yealink = subscribed("yealink", 40000, "sip:701@demo.orbit");
  EXPECT_TRUE(lamps_.owns_dialog(*sip::Message::parse(subscribe_text(yealink, 600))));

  auto stranger = phone("stranger", 40002, "sip:701@demo.orbit");
  stranger.orbit_tag = "never-given";
  stranger.orbit_target = "sip:orbit@198.51.100.1:5060";
  EXPECT_FALSE(lamps_.owns_dialog(*sip::Message::parse(subscribe_text(stranger, 600))));
  EXPECT_EQ(subscribe(stranger, 600).status(), 481);
}

TEST_F(SlotLampsTest, ASlotKnownUnderSeveralNamesLightsEveryLamp) {
  // The 3CX retrieve code *13 and the slot 703 show the same parked call.
  known_.insert({"demo.orbit", "703"});
  auto by_code = subscribed("code", 40000, "sip:%2A13@demo.orbit");
  auto by_slot = subscribed("slot", 40002, "sip:703@demo.orbit");
  parked_[{"demo.orbit", "*13"}] = "Dupont <+33123456789>";
  parked_[{"demo.orbit", "703"}] = "Dupont <+33123456789>";

  lamps_.changed_all(tenant("demo.orbit"), now_);
  pump();

  auto code_notify = notified(by_code);
  ASSERT_TRUE(code_notify.has_value());
  EXPECT_NE(body(*code_notify).find("entity=\"sip:%2A13@demo.orbit\""), std::string::npos);
  EXPECT_NE(body(*code_notify).find("<dialog id=\"*13\""), std::string::npos);
  EXPECT_NE(body(*code_notify).find("<state>confirmed</state>"), std::string::npos);
  EXPECT_TRUE(notified(by_slot).has_value());
}

TEST_F(SlotLampsTest, AResourceThatDisappearsEndsItsSubscriptions) {
  auto yealink = subscribed("yealink", 40000, "sip:720@demo.orbit");
  known_.erase({"demo.orbit", "720"});  // the lot shrank on reload

  lamps_.changed(tenant("demo.orbit"), "720", now_);
  pump();

  auto last = notified(yealink);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(header(*last, "Subscription-State"), "terminated;reason=noresource");
  EXPECT_EQ(lamps_.subscriptions(), 0u);
}

TEST(DialogInfo, CallerTextBecomesAnIdentity) {
  struct Case {
    std::string_view caller;
    std::string_view display;
    std::string_view uri;
  };
  for (const auto& c : {
           Case{"Dupont <+33123456789>", "Dupont", "sip:+33123456789@demo.orbit"},
           Case{"\"Dupont, RH\" <sip:+33123456789@trunk.example>", "Dupont, RH",
                "sip:+33123456789@trunk.example"},
           Case{"+33 1 23 45 67 89", "", "sip:+33123456789@demo.orbit"},
           Case{"101", "", "sip:101@demo.orbit"},
           Case{"Jean Dupont", "Jean Dupont", "sip:anonymous@anonymous.invalid"},
           Case{"<>", "", "sip:anonymous@anonymous.invalid"},
       }) {
    auto party = caller_party(c.caller, "demo.orbit");
    EXPECT_EQ(party.display, c.display) << c.caller;
    EXPECT_EQ(party.uri, c.uri) << c.caller;
  }
}

TEST(DialogInfo, EscapingDropsWhatXmlCannotCarry) {
  EXPECT_EQ(xml_escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
  EXPECT_EQ(xml_escape("bell\a line\r\nbreak\ttab"), "bell linebreak\ttab");
  EXPECT_EQ(xml_escape("Müller"), "Müller");
}

TEST(DialogInfo, AFreeSlotIsOneTerminatedDialog) {
  DialogInfo info{"sip:701@demo.orbit", 3, "701", false, std::nullopt, std::nullopt};
  EXPECT_EQ(render_dialog_info(info),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"3\" "
            "state=\"full\" entity=\"sip:701@demo.orbit\">\n"
            "<dialog id=\"701\"><state>terminated</state></dialog>\n"
            "</dialog-info>\n");
}

TEST(DialogInfo, AnOccupiedSlotNamesItsCaller) {
  DialogInfo info{"sip:701@demo.orbit",
                  1,
                  "701",
                  true,
                  DialogParty{{}, "sip:701@demo.orbit"},
                  DialogParty{"Dupont", "sip:+33123456789@demo.orbit"}};
  EXPECT_EQ(render_dialog_info(info),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"1\" "
            "state=\"full\" entity=\"sip:701@demo.orbit\">\n"
            "<dialog id=\"701\" direction=\"recipient\">\n"
            "<state>confirmed</state>\n"
            "<local><identity>sip:701@demo.orbit</identity>"
            "<target uri=\"sip:701@demo.orbit\"/></local>\n"
            "<remote><identity display=\"Dupont\">sip:+33123456789@demo.orbit</identity>"
            "<target uri=\"sip:+33123456789@demo.orbit\"/></remote>\n"
            "</dialog>\n"
            "</dialog-info>\n");
}

}  // namespace
}  // namespace orbit::pbx
