// URL helpers of PROTOCOL.md §1.1–§1.2 (simulator-client urls.rs, seed resolve_rpc_url).

#include "protocol/availableranges.h"
#include "protocol/urls.h"

#include <QTest>

using namespace SlotScope;
using namespace Qt::StringLiterals;

class tst_Urls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void availableRanges();
    void availableRangesErrors();
    void backtestWsUrl_data();
    void backtestWsUrl();
    void controlWsUrl_data();
    void controlWsUrl();
    void controlWsUrlErrors_data();
    void controlWsUrlErrors();
    void controlWsUrlInvalidPort_data();
    void controlWsUrlInvalidPort();
    void validateApiKey();
    void redactedUrl_data();
    void redactedUrl();
    void credentialsStayOutOfErrors();
    void httpBaseFromWsUrl_data();
    void httpBaseFromWsUrl();
    void resolveRpcUrl_data();
    void resolveRpcUrl();
    void httpToWsUrl_data();
    void httpToWsUrl();
    void subscriptionWsUrl_data();
    void subscriptionWsUrl();
};

void tst_Urls::backtestWsUrl_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::addRow("bare host") << u"sim.example.com"_s << u"wss://sim.example.com/backtest"_s;
    QTest::addRow("bare host with port") << u"localhost:8900"_s << u"wss://localhost:8900/backtest"_s;
    QTest::addRow("bare host, trailing slash") << u"sim.example.com/"_s << u"wss://sim.example.com/backtest"_s;
    QTest::addRow("bare host with /backtest") << u"sim.example.com/backtest"_s << u"wss://sim.example.com/backtest"_s;
    QTest::addRow("surrounding whitespace") << u"  sim.example.com \n"_s << u"wss://sim.example.com/backtest"_s;
    QTest::addRow("ws:// no path") << u"ws://localhost:8900"_s << u"ws://localhost:8900/backtest"_s;
    QTest::addRow("ws:// trailing slash") << u"ws://localhost:8900/"_s << u"ws://localhost:8900/backtest"_s;
    QTest::addRow("ws:// already /backtest (doc default)")
        << u"ws://localhost:8900/backtest"_s << u"ws://localhost:8900/backtest"_s;
    QTest::addRow("ws:// /backtest/ trailing slash trimmed")
        << u"ws://localhost:8900/backtest/"_s << u"ws://localhost:8900/backtest"_s;
    QTest::addRow("ws:// several trailing slashes") << u"ws://h//"_s << u"ws://h/backtest"_s;
    QTest::addRow("wss:// no path") << u"wss://sim.example.com"_s << u"wss://sim.example.com/backtest"_s;
    QTest::addRow("wss:// other path gets /backtest")
        << u"wss://sim.example.com/api"_s << u"wss://sim.example.com/api/backtest"_s;
    QTest::addRow("wss:// nested /backtest kept")
        << u"wss://sim.example.com/api/backtest"_s << u"wss://sim.example.com/api/backtest"_s;
    QTest::addRow("host named backtest is not a path")
        << u"wss://backtest"_s << u"wss://backtest/backtest"_s;
    QTest::addRow("path only ending in backtest is not /backtest")
        << u"ws://h/mybacktest"_s << u"ws://h/mybacktest/backtest"_s;
    QTest::addRow("upper-case scheme in lower case") << u"WSS://Sim.Example.com"_s
                                                     << u"wss://Sim.Example.com/backtest"_s;
    QTest::addRow("http passes through") << u"http://sim.example.com"_s << u"http://sim.example.com"_s;
    QTest::addRow("https with path passes through")
        << u"https://sim.example.com/x/"_s << u"https://sim.example.com/x/"_s;
    QTest::addRow("ftp passes through") << u"ftp://files.example.com"_s << u"ftp://files.example.com"_s;
    QTest::addRow("empty stays empty") << QString() << QString();
    // Issue 9 item 7: the query and a custom path are kept.
    QTest::addRow("query kept after the appended /backtest")
        << u"wss://host/prefix?x=1"_s << u"wss://host/prefix/backtest?x=1"_s;
    QTest::addRow("query without a path") << u"wss://host?x=1"_s << u"wss://host/backtest?x=1"_s;
    QTest::addRow("query with a slash in it") << u"ws://h:1?next=/a/b"_s << u"ws://h:1/backtest?next=/a/b"_s;
    QTest::addRow("/backtest present before a query") << u"wss://host/prefix/backtest?x=1"_s
                                                      << u"wss://host/prefix/backtest?x=1"_s;
    QTest::addRow("/backtest segment in the middle kept") << u"wss://host/backtest/v2"_s << u"wss://host/backtest/v2"_s;
    QTest::addRow("trailing slash before the query trimmed") << u"wss://host/prefix/?x=1"_s
                                                             << u"wss://host/prefix/backtest?x=1"_s;
    QTest::addRow("fragment kept") << u"wss://host/p#frag"_s << u"wss://host/p/backtest#frag"_s;
    QTest::addRow("bare IPv6 with port") << u"[::1]:8900"_s << u"wss://[::1]:8900/backtest"_s;
}

void tst_Urls::backtestWsUrl()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(SlotScope::backtestWsUrl(input), expected);
    // Idempotent (PROTOCOL.md §1.1).
    QCOMPARE(SlotScope::backtestWsUrl(expected), expected);
}

void tst_Urls::controlWsUrl_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::addRow("bare host") << u"sim.example.com"_s << u"wss://sim.example.com/backtest"_s;
    QTest::addRow("bare host with port and /backtest/") << u"localhost:8900/backtest/"_s
                                                         << u"wss://localhost:8900/backtest"_s;
    QTest::addRow("ipv4 with port") << u"127.0.0.1:40123"_s << u"wss://127.0.0.1:40123/backtest"_s;
    QTest::addRow("ws with port") << u"ws://127.0.0.1:40123"_s << u"ws://127.0.0.1:40123/backtest"_s;
    QTest::addRow("upper-case scheme") << u"WS://127.0.0.1:40123"_s << u"ws://127.0.0.1:40123/backtest"_s;
    QTest::addRow("mixed-case scheme") << u"Wss://h/backtest"_s << u"wss://h/backtest"_s;
    QTest::addRow("custom path and query") << u" wss://gw.example.com/team-a?region=eu "_s
                                           << u"wss://gw.example.com/team-a/backtest?region=eu"_s;
    QTest::addRow("already complete") << u"wss://gw.example.com/team-a/backtest?region=eu"_s
                                      << u"wss://gw.example.com/team-a/backtest?region=eu"_s;
}

void tst_Urls::controlWsUrl()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const Result<QString> url = SlotScope::controlWsUrl(input);
    QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
    QCOMPARE(*url, expected);
    QCOMPARE(*SlotScope::controlWsUrl(*url), expected); // idempotent
    QCOMPARE(SlotScope::backtestWsUrl(input), expected);
}

void tst_Urls::controlWsUrlInvalidPort_data()
{
    QTest::addColumn<QString>("input");
    QTest::addRow("ws://, port past 65535") << u"ws://127.0.0.1:99999"_s;
    QTest::addRow("ws://, port with letters") << u"ws://127.0.0.1:abc"_s;
    QTest::addRow("bare host, port past 65535") << u"localhost:99999"_s;
}

void tst_Urls::controlWsUrlInvalidPort()
{
    // Refused where it was typed, naming it (not "cannot connect to :" later).
    QFETCH(QString, input);
    const Result<QString> url = SlotScope::controlWsUrl(input);
    QVERIFY(!url.ok());
    QVERIFY2(url.error().message.startsWith(u"\""_s + input + u"\" is not a valid URL"_s),
             qPrintable(url.error().message));
    QVERIFY2(!url.error().message.contains(u"source was"_s), qPrintable(url.error().message)); // one clause
}

void tst_Urls::redactedUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    QTest::addRow("nothing to hide") << u"wss://sim.example.com/backtest?region=eu"_s
                                     << u"wss://sim.example.com/backtest?region=eu"_s;
    QTest::addRow("token among others") << u"ws://h:1/backtest?region=eu&token=SECRET&x=1"_s
                                        << u"ws://h:1/backtest?region=eu&token=…&x=1"_s;
    QTest::addRow("any case, several keys") << u"https://h/b?Token=A&API_KEY=B&apikey=C&key=D&access_token=E#frag"_s
                                            << u"https://h/b?Token=…&API_KEY=…&apikey=…&key=…&access_token=…#frag"_s;
    QTest::addRow("a key that only ends in token") << u"wss://h/b?next_token_hint=1"_s
                                                   << u"wss://h/b?next_token_hint=1"_s;
    QTest::addRow("password in the user info") << u"wss://me:SECRET@h:8900/backtest"_s
                                               << u"wss://me:…@h:8900/backtest"_s;
    QTest::addRow("a relative endpoint") << u"/backtest/abc?token=SECRET"_s << u"/backtest/abc?token=…"_s;
    QTest::addRow("an @ and a colon in the query only") << u"/b?at=12:00&mail=a@b"_s << u"/b?at=12:00&mail=a@b"_s;
    QTest::addRow("no scheme, @ in the query") << u"h:1/b?mail=a@b&token=T"_s << u"h:1/b?mail=a@b&token=…"_s;
    QTest::addRow("a token as the whole user info") << u"wss://TOKEN123@h/backtest"_s << u"wss://…@h/backtest"_s;
    QTest::addRow("names other services use") << u"wss://h/b?x-api-key=A&secret=B&password=C&auth=D&jwt=E&sig=F"_s
                                              << u"wss://h/b?x-api-key=…&secret=…&password=…&auth=…&jwt=…&sig=…"_s;
    QTest::addRow("a percent-encoded name") << u"wss://h/b?api%5Fkey=A&%74oken=B&region=eu"_s
                                            << u"wss://h/b?api%5Fkey=…&%74oken=…&region=eu"_s;
    QTest::addRow("empty") << QString() << QString();
}

void tst_Urls::credentialsStayOutOfErrors()
{
    // What the user typed is quoted back when it is no server address, but
    // never with its credentials (the message reaches a terminal, a CI log).
    for (const QString &input : {u"ws://me:PwSecret99@127.0.0.1:99999/backtest?token=TokSecret42"_s,
                                 u"http://h/backtest?token=TokSecret42"_s, u"wss://PwSecret99@/x?token=TokSecret42"_s,
                                 u"h/path?token=TokSecret42"_s}) {
        const Result<QString> url = SlotScope::controlWsUrl(input);
        QVERIFY2(!url, qPrintable(input));
        QVERIFY2(!url.error().message.contains(u"Secret"_s), qPrintable(url.error().message));
        QVERIFY2(url.error().message.contains(u"…"_s), qPrintable(url.error().message));
    }
    // A library's message quoting the URL (Qt's "Error transferring …").
    QCOMPARE(SlotScope::redactedUrlsIn(u"Error transferring http://me:PwSecret99@h:1/available-ranges?token=T - server "
                                        "replied: Not Found; see \"wss://TOKEN@h/x\""_s),
             u"Error transferring http://me:…@h:1/available-ranges?token=… - server replied: Not Found; see "
             "\"wss://…@h/x\""_s);
    QCOMPARE(SlotScope::redactedUrlsIn(u"no URL here"_s), u"no URL here"_s);
    const Result<QString> ws = SlotScope::httpToWsUrl(u"ftp://h/x?token=TokSecret42"_s);
    QVERIFY(!ws);
    QVERIFY2(!ws.error().message.contains(u"Secret"_s), qPrintable(ws.error().message));
}

void tst_Urls::redactedUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    QCOMPARE(SlotScope::redactedUrl(url), shown);
}

void tst_Urls::validateApiKey()
{
    QVERIFY(SlotScope::validateApiKey(u"SECRETKEY123"_s).ok());
    QVERIFY(SlotScope::validateApiKey(u"a-b_c.d~e+f/g=h key"_s).ok());
    for (const QString &bad : {u"SECRETKEY123\n"_s, u"SECRETKEY123\r\nX-Evil: 1"_s, u"SECRET\tKEY"_s,
                               u"KEY\u007f"_s}) {
        const Result<void> checked = SlotScope::validateApiKey(bad);
        QVERIFY(!checked.ok());
        QVERIFY2(checked.error().message.contains(u"control character"_s), qPrintable(checked.error().message));
        QVERIFY(!checked.error().message.contains(u"SECRET"_s)); // never the key itself
    }
    const Result<void> accented = SlotScope::validateApiKey(u"SECRETKÉY"_s);
    QVERIFY(!accented.ok());
    QVERIFY(accented.error().message.contains(u"not ASCII"_s));
}

void tst_Urls::controlWsUrlErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("error");

    const QString hint = u"is not a server address: give a host name (\"sim.example.com\", \"localhost:8900\") "
                         "or a ws:// or wss:// URL"_s;
    QTest::addRow("empty") << u"  "_s << u"no server address given"_s;
    QTest::addRow("no scheme, with a path") << u"sim.example.com/api"_s << u"\"sim.example.com/api\" "_s + hint;
    QTest::addRow("no scheme, with a query") << u"sim.example.com?x=1"_s << u"\"sim.example.com?x=1\" "_s + hint;
    // (User info without a password may be a token: it is not quoted back.)
    QTest::addRow("no scheme, user info") << u"me@sim.example.com"_s << u"\"…@sim.example.com\" "_s + hint;
    QTest::addRow("no scheme, inner space") << u"sim example.com"_s << u"\"sim example.com\" "_s + hint;
    QTest::addRow("port not a number") << u"localhost:http"_s << u"\"localhost:http\" "_s + hint;
    QTest::addRow("empty port") << u"localhost:"_s << u"\"localhost:\" "_s + hint;
    QTest::addRow("http scheme") << u"http://sim.example.com"_s
                                 << u"\"http://sim.example.com\": unsupported scheme \"http\"; use ws:// or wss:// "
                                    "(or just the host name)"_s;
    QTest::addRow("https scheme") << u"https://sim.example.com/backtest"_s
                                  << u"\"https://sim.example.com/backtest\": unsupported scheme \"https\"; use ws:// or "
                                     "wss:// (or just the host name)"_s;
    QTest::addRow("no host") << u"wss:///backtest"_s << u"\"wss:///backtest\" has no host"_s;
    QTest::addRow("only a query") << u"ws://?x=1"_s << u"\"ws://?x=1\" has no host"_s;
}

void tst_Urls::controlWsUrlErrors()
{
    QFETCH(QString, input);
    QFETCH(QString, error);
    const Result<QString> url = SlotScope::controlWsUrl(input);
    QVERIFY(!url.ok());
    QCOMPARE(url.error().message, error);
}

void tst_Urls::httpBaseFromWsUrl_data()
{
    QTest::addColumn<QString>("wsUrl");
    QTest::addColumn<QString>("expected");

    QTest::addRow("wss drops path") << u"wss://sim.example.com/backtest"_s << u"https://sim.example.com"_s;
    QTest::addRow("ws keeps port") << u"ws://localhost:8900/backtest"_s << u"http://localhost:8900"_s;
    QTest::addRow("no path") << u"ws://h:1"_s << u"http://h:1"_s;
    QTest::addRow("deep path") << u"wss://h/a/b/c?x=1"_s << u"https://h"_s;
    QTest::addRow("ipv4 with port") << u"ws://127.0.0.1:40123/backtest"_s << u"http://127.0.0.1:40123"_s;
    QTest::addRow("already http") << u"http://h:2/backtest"_s << u"http://h:2"_s;
    QTest::addRow("query without a path") << u"wss://h:3?x=1"_s << u"https://h:3"_s;
    QTest::addRow("custom path and query") << u"wss://h/prefix/backtest?x=1"_s << u"https://h"_s;
}

void tst_Urls::httpBaseFromWsUrl()
{
    QFETCH(QString, wsUrl);
    QFETCH(QString, expected);
    QCOMPARE(SlotScope::httpBaseFromWsUrl(wsUrl), expected);
}

void tst_Urls::resolveRpcUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("expected");

    const QString base = u"https://sim.example.com"_s;
    QTest::addRow("relative path (PROTOCOL.md §1.2 example)")
        << base << u"/backtest/backtest_0199d2c4"_s << u"https://sim.example.com/backtest/backtest_0199d2c4"_s;
    QTest::addRow("no leading slash") << base << u"backtest/x"_s << u"https://sim.example.com/backtest/x"_s;
    QTest::addRow("several leading slashes trimmed")
        << base << u"///backtest/x"_s << u"https://sim.example.com/backtest/x"_s;
    QTest::addRow("absolute http verbatim")
        << base << u"http://other:1/backtest/x"_s << u"http://other:1/backtest/x"_s;
    QTest::addRow("absolute https verbatim")
        << base << u"https://rpc.example.com/backtest/x"_s << u"https://rpc.example.com/backtest/x"_s;
    QTest::addRow("local base with port")
        << u"http://127.0.0.1:8900"_s << u"/backtest/b"_s << u"http://127.0.0.1:8900/backtest/b"_s;
}

void tst_Urls::resolveRpcUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, endpoint);
    QFETCH(QString, expected);
    QCOMPARE(SlotScope::resolveRpcUrl(base, endpoint), expected);
}

void tst_Urls::httpToWsUrl_data()
{
    QTest::addColumn<QString>("httpUrl");
    QTest::addColumn<QString>("expected"); // empty = error

    QTest::addRow("https to wss, path kept")
        << u"https://sim.example.com/backtest/b"_s << u"wss://sim.example.com/backtest/b"_s;
    QTest::addRow("http to ws, port kept") << u"http://localhost:8900/backtest/b"_s << u"ws://localhost:8900/backtest/b"_s;
    QTest::addRow("ftp is an error") << u"ftp://x/backtest"_s << QString();
    QTest::addRow("ws is an error") << u"ws://x/backtest"_s << QString();
    QTest::addRow("no scheme is an error") << u"sim.example.com/backtest"_s << QString();
    QTest::addRow("empty is an error") << QString() << QString();
}

void tst_Urls::httpToWsUrl()
{
    QFETCH(QString, httpUrl);
    QFETCH(QString, expected);
    const Result<QString> result = SlotScope::httpToWsUrl(httpUrl);
    if (expected.isEmpty()) {
        QVERIFY(!result.ok());
        QVERIFY(!result.error().message.isEmpty());
    } else {
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QCOMPARE(result.value(), expected);
    }
}

void tst_Urls::subscriptionWsUrl_data()
{
    QTest::addColumn<QString>("controlUrl");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("expected"); // empty = error

    QTest::addRow("PROTOCOL.md §1.2 example")
        << u"wss://sim.example.com/backtest"_s << u"/backtest/backtest_0199"_s
        << u"wss://sim.example.com/backtest/backtest_0199"_s;
    QTest::addRow("local ws with port")
        << u"ws://localhost:8900/backtest"_s << u"/backtest/backtest_a"_s << u"ws://localhost:8900/backtest/backtest_a"_s;
    QTest::addRow("absolute https endpoint")
        << u"ws://localhost:8900/backtest"_s << u"https://rpc.example.com/backtest/b"_s
        << u"wss://rpc.example.com/backtest/b"_s;
    QTest::addRow("absolute ws endpoint taken as is")
        << u"wss://sim.example.com/backtest"_s << u"ws://other:9/backtest/b"_s << u"ws://other:9/backtest/b"_s;
    QTest::addRow("unsupported control scheme")
        << u"ftp://sim.example.com/backtest"_s << u"/backtest/b"_s << QString();
}

void tst_Urls::subscriptionWsUrl()
{
    QFETCH(QString, controlUrl);
    QFETCH(QString, endpoint);
    QFETCH(QString, expected);
    const Result<QString> result = SlotScope::subscriptionWsUrl(controlUrl, endpoint);
    if (expected.isEmpty()) {
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(u"ftp://"_s));
    } else {
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QCOMPARE(result.value(), expected);
    }
}

QTEST_GUILESS_MAIN(tst_Urls)
void tst_Urls::availableRanges()
{
    // PROTOCOL.md §1's example, a snake_case server, string slots, an
    // account-state range, unknown fields and an element without a start.
    const QByteArray body = R"([
        {"bundleStartSlot": 399800000, "bundleStartSlotUtc": "2026-02-10T12:00:00Z",
         "maxBundleEndSlot": 399849999, "maxBundleEndSlotUtc": "2026-02-10T17:33:20Z", "maxBundleSize": 50000},
        {"bundle_start_slot": "1000", "max_bundle_end_slot": "1199", "kind": "blocks", "scope": "x"},
        {"bundleStartSlot": 5, "bundleStartSlotUtc": null, "kind": "account_state"},
        {"maxBundleEndSlot": 7},
        {"bundleStartSlot": -3}
    ])";
    const Result<QList<AvailableRange>> ranges = parseAvailableRanges(body);
    QVERIFY(ranges.ok());
    QCOMPARE(ranges->size(), 3);
    QCOMPARE(ranges->at(0), (AvailableRange{399800000, 399849999, u"2026-02-10T12:00:00Z"_s, u"blocks"_s}));
    QCOMPARE(ranges->at(1), (AvailableRange{1000, 1199, QString(), u"blocks"_s}));
    QCOMPARE(ranges->at(2), (AvailableRange{5, std::nullopt, QString(), u"account_state"_s}));
    QVERIFY(ranges->at(0).isBlocks() && ranges->at(1).isBlocks() && !ranges->at(2).isBlocks());
    QVERIFY(parseAvailableRanges("[]")->isEmpty());
}

void tst_Urls::availableRangesErrors()
{
    QVERIFY2(parseAvailableRanges("{\"ranges\":[]}").error().message.contains(u"not a JSON array"_s),
             qPrintable(parseAvailableRanges("{}").error().message));
    QVERIFY(parseAvailableRanges("<html>502 Bad Gateway</html>").error().message.startsWith(
        u"the server's ranges are not JSON"_s));
}

#include "tst_urls.moc"
