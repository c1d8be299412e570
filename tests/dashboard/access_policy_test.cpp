// The dashboard's access rules, from hand-built headers: who may act, and why not.
#include "dashboard/access_policy.hpp"

#include <gtest/gtest.h>

namespace fanfold::dashboard {
namespace {

AccessSettings Loopback(bool actions = true) {
  AccessSettings settings;
  settings.listen_host = "127.0.0.1";
  settings.allow_actions = actions;
  settings.csrf_token = "c5rf-token-of-this-process";
  return settings;
}

RequestHeaders SameOrigin() {
  RequestHeaders headers;
  headers.host = "127.0.0.1:8080";
  headers.origin = "http://127.0.0.1:8080";
  headers.sec_fetch_site = "same-origin";
  headers.csrf = "c5rf-token-of-this-process";
  headers.content_type = "application/json";
  return headers;
}

TEST(AccessPolicyTest, LoopbackHosts) {
  for (const char* host : {"127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST"})
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  for (const char* host : {"0.0.0.0", "10.0.0.1", "127.0.0.1.evil.example", "", "::", "example"})
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
}

TEST(AccessPolicyTest, NonLoopbackActionsNeedALongEnoughToken) {
  AccessSettings settings;
  settings.listen_host = "0.0.0.0";
  EXPECT_TRUE(CheckStartup(settings).ok()) << "read-only off loopback is allowed";
  settings.allow_actions = true;
  EXPECT_TRUE(CheckStartup(settings).IsInvalidArgument());
  settings.token = "short";
  EXPECT_TRUE(CheckStartup(settings).IsInvalidArgument());
  settings.token = "0123456789abcdef";
  EXPECT_TRUE(CheckStartup(settings).ok());
  EXPECT_TRUE(CheckStartup(Loopback()).ok()) << "loopback needs no token";
  // The refusal never repeats the token.
  settings.token = "weak-secret";
  EXPECT_EQ(CheckStartup(settings).message().find("weak-secret"), std::string::npos);
}

TEST(AccessPolicyTest, SameOriginActionWithCsrfIsAllowed) {
  EXPECT_TRUE(CheckAction(Loopback(), SameOrigin()).allowed());
  RequestHeaders no_fetch_metadata = SameOrigin();  // an older browser or a script
  no_fetch_metadata.origin.clear();
  no_fetch_metadata.sec_fetch_site.clear();
  EXPECT_TRUE(CheckAction(Loopback(), no_fetch_metadata).allowed());
}

TEST(AccessPolicyTest, ActionsOffRefuseEverything) {
  EXPECT_EQ(CheckAction(Loopback(false), SameOrigin()).http_status, 403);
}

TEST(AccessPolicyTest, CrossSiteRequestsAreRefused) {
  RequestHeaders cross_site = SameOrigin();
  cross_site.sec_fetch_site = "cross-site";
  EXPECT_EQ(CheckAction(Loopback(), cross_site).http_status, 403);
  RequestHeaders other_origin = SameOrigin();
  other_origin.origin = "http://evil.example";
  EXPECT_EQ(CheckAction(Loopback(), other_origin).http_status, 403);
  RequestHeaders no_csrf = SameOrigin();
  no_csrf.csrf.clear();
  EXPECT_EQ(CheckAction(Loopback(), no_csrf).http_status, 403);
  RequestHeaders wrong_csrf = SameOrigin();
  wrong_csrf.csrf = "c5rf-token-of-this-procesS";
  EXPECT_EQ(CheckAction(Loopback(), wrong_csrf).http_status, 403);
  RequestHeaders form_post = SameOrigin();  // what an HTML form can send cross-site
  form_post.content_type = "application/x-www-form-urlencoded";
  EXPECT_EQ(CheckAction(Loopback(), form_post).http_status, 415);
}

TEST(AccessPolicyTest, DnsRebindingHostIsRefusedOnLoopback) {
  RequestHeaders rebound = SameOrigin();
  rebound.host = "evil.example:8080";
  rebound.origin = "http://evil.example:8080";
  EXPECT_EQ(CheckHost(Loopback(), rebound).http_status, 421);
  EXPECT_EQ(CheckAction(Loopback(), rebound).http_status, 421);
  RequestHeaders localhost = SameOrigin();
  localhost.host = "localhost:8080";
  localhost.origin = "http://localhost:8080";
  EXPECT_TRUE(CheckAction(Loopback(), localhost).allowed());
}

TEST(AccessPolicyTest, TokenIsRequiredWhenSet) {
  AccessSettings settings = Loopback();
  settings.listen_host = "0.0.0.0";
  settings.token = "0123456789abcdef0123";
  RequestHeaders headers = SameOrigin();
  headers.host = "dash.internal:8080";
  headers.origin = "http://dash.internal:8080";
  EXPECT_EQ(CheckAction(settings, headers).http_status, 401);
  headers.authorization = "Bearer 0123456789abcdef012";
  EXPECT_EQ(CheckAction(settings, headers).http_status, 401);
  headers.authorization = "Bearer 0123456789abcdef0123";
  EXPECT_TRUE(CheckAction(settings, headers).allowed());
}

TEST(AccessPolicyTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

}  // namespace
}  // namespace fanfold::dashboard
