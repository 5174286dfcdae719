#include "protocol/dataplane.h"
#include "protocol/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVarLengthArray>
#include <QtAlgorithms>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

// ---------------------------------------------------------------------------
// A small validating scanner over raw JSON text. It never builds a DOM: the
// data-plane hot path only needs the envelope keys and the byte span of
// `params.result` (PROTOCOL.md §5.5, ~14 KB per frame).

class Scanner
{
public:
    explicit Scanner(QByteArrayView text) : m_p(text.data()), m_n(text.size()) {}

    qsizetype size() const { return m_n; }
    const char *data() const { return m_p; }

    qsizetype skipWhitespace(qsizetype i) const
    {
        while (i < m_n && (m_p[i] == ' ' || m_p[i] == '\t' || m_p[i] == '\n' || m_p[i] == '\r'))
            ++i;
        return i;
    }

    /// `i` at the opening quote; returns the index after the closing quote, or -1.
    qsizetype string(qsizetype i) const
    {
        if (i >= m_n || m_p[i] != '"')
            return -1;
        ++i;
        for (;;) {
            i = skipPlainStringBytes(i);
            if (i >= m_n)
                return -1;
            const auto c = static_cast<unsigned char>(m_p[i]);
            if (c == '"')
                return i + 1;
            if (c < 0x20)
                return -1; // raw control characters are not allowed in JSON strings
            if (c == '\\') {
                if (i + 1 >= m_n)
                    return -1;
                switch (m_p[i + 1]) {
                case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                    i += 2;
                    break;
                case 'u':
                    if (i + 6 > m_n)
                        return -1;
                    for (qsizetype k = i + 2; k < i + 6; ++k) {
                        if (!isHex(m_p[k]))
                            return -1;
                    }
                    i += 6;
                    break;
                default:
                    return -1;
                }
                continue;
            }
            ++i;
        }
    }

    qsizetype number(qsizetype i) const
    {
        if (i < m_n && m_p[i] == '-')
            ++i;
        if (i >= m_n)
            return -1;
        if (m_p[i] == '0') {
            ++i;
        } else if (isDigit(m_p[i])) {
            while (i < m_n && isDigit(m_p[i]))
                ++i;
        } else {
            return -1;
        }
        if (i < m_n && m_p[i] == '.') {
            ++i;
            if (i >= m_n || !isDigit(m_p[i]))
                return -1;
            while (i < m_n && isDigit(m_p[i]))
                ++i;
        }
        if (i < m_n && (m_p[i] == 'e' || m_p[i] == 'E')) {
            ++i;
            if (i < m_n && (m_p[i] == '+' || m_p[i] == '-'))
                ++i;
            if (i >= m_n || !isDigit(m_p[i]))
                return -1;
            while (i < m_n && isDigit(m_p[i]))
                ++i;
        }
        return i;
    }

    qsizetype literal(qsizetype i, QByteArrayView word) const
    {
        if (m_n - i < word.size() || QByteArrayView(m_p + i, word.size()) != word)
            return -1;
        return i + word.size();
    }

    /// `i` at a key's opening quote; returns the index just after the ':' (or -1).
    qsizetype keyAndColon(qsizetype i) const
    {
        i = string(i);
        if (i < 0)
            return -1;
        i = skipWhitespace(i);
        if (i >= m_n || m_p[i] != ':')
            return -1;
        return i + 1;
    }

    /// End of the value starting at `i` (after whitespace), -1 when malformed or
    /// truncated. Iterative, so deeply nested input cannot exhaust the stack.
    qsizetype value(qsizetype i) const
    {
        QVarLengthArray<char, 64> stack; // '{' or '['
        for (;;) {
            i = skipWhitespace(i);
            if (i >= m_n)
                return -1;
            const char c = m_p[i];
            bool scalarDone = true;
            switch (c) {
            case '{':
            case '[': {
                stack.append(c);
                i = skipWhitespace(i + 1);
                if (i >= m_n)
                    return -1;
                if (m_p[i] == (c == '{' ? '}' : ']')) {
                    stack.removeLast();
                    ++i;
                    break; // an empty container is a complete value
                }
                if (c == '{') {
                    i = keyAndColon(i);
                    if (i < 0)
                        return -1;
                }
                scalarDone = false; // parse the first member value
                break;
            }
            case '"':
                i = string(i);
                break;
            case 't':
                i = literal(i, "true");
                break;
            case 'f':
                i = literal(i, "false");
                break;
            case 'n':
                i = literal(i, "null");
                break;
            default:
                i = number(i);
                break;
            }
            if (i < 0)
                return -1;
            if (!scalarDone)
                continue;

            // A value ended: close containers or move on to the next member.
            for (;;) {
                if (stack.isEmpty())
                    return i;
                i = skipWhitespace(i);
                if (i >= m_n)
                    return -1;
                const char open = stack.last();
                if (m_p[i] == ',') {
                    ++i;
                    if (open == '{') {
                        i = keyAndColon(skipWhitespace(i));
                        if (i < 0)
                            return -1;
                    }
                    break; // parse the next member value
                }
                if (m_p[i] == (open == '{' ? '}' : ']')) {
                    stack.removeLast();
                    ++i;
                    continue;
                }
                return -1;
            }
        }
    }

private:
    /// Skips 8 bytes at a time while none is '"', '\\' or a control character
    /// (SWAR byte tests); strings dominate notification frames.
    qsizetype skipPlainStringBytes(qsizetype i) const
    {
        constexpr quint64 ones = 0x0101010101010101ULL;
        constexpr quint64 highs = 0x8080808080808080ULL;
        while (i + 8 <= m_n) {
            quint64 v;
            std::memcpy(&v, m_p + i, sizeof v);
            const quint64 quote = v ^ (ones * '"');
            const quint64 backslash = v ^ (ones * '\\');
            const quint64 special = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)
                | ((v - ones * 0x20) & ~v);
            if (special & highs)
                break;
            i += 8;
        }
        return i;
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }
    static bool isHex(char c)
    {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    const char *m_p;
    qsizetype m_n;
};

/// A JSON string token (with quotes) as text. The common case has no escapes.
QString stringToken(QByteArrayView token)
{
    const QByteArrayView inner = token.sliced(1, token.size() - 2);
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    QByteArray wrapped;
    wrapped.reserve(token.size() + 2);
    wrapped.append('[').append(token.data(), token.size()).append(']');
    return QJsonDocument::fromJson(wrapped).array().at(0).toString();
}

/// A plain JSON integer token; nullopt for fractions, exponents or overflow.
std::optional<qint64> integerToken(QByteArrayView token)
{
    bool ok = false;
    const qint64 v = token.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    for (const char c : token) {
        if (c != '-' && (c < '0' || c > '9'))
            return std::nullopt;
    }
    return v;
}

/// A subscription id as the server wrote it (its shape is open, PROTOCOL.md
/// Q7): a JSON integer (a u64 above 2^63 - 1 keeps its 64 bits, a wider one
/// is hashed) or a string, read as its number when it is one, else as a hash
/// of its text.
/// nullopt for any other token (an object, a fraction).
std::optional<qint64> subscriptionIdToken(QByteArrayView token)
{
    const bool quoted = token.size() >= 2 && token.front() == '"' && token.back() == '"';
    const QByteArray unquoted = quoted ? stringToken(token).toUtf8() : QByteArray();
    const QByteArrayView text = quoted ? QByteArrayView(unquoted) : token;
    if (const std::optional<qint64> number = integerToken(text))
        return number;
    const bool digits = !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    bool fits = false;
    if (const quint64 big = digits ? text.toULongLong(&fits) : 0; fits)
        return qint64(big); // its 64 bits
    if (digits || quoted)
        return qint64(qHash(text, 0) & 0x7fff'ffff'ffff'ffffULL);
    return std::nullopt;
}

using Json::asU64;

/// `{"jsonrpc":"2.0","id":<id>,"method":"<method>","params":[` — the caller
/// writes the params and closes the array and the object.
Json::Writer &requestHead(Json::Writer &w, qint64 requestId, QLatin1StringView method)
{
    w.beginObject().key("jsonrpc"_L1).string("2.0"_L1).key("id"_L1).i64(requestId);
    return w.key("method"_L1).string(method).key("params"_L1).beginArray();
}

/// What the envelope scanner found; spans are [begin, end) into the frame.
// ---------------------------------------------------------------------------
// Fast end-of-object search for the transactionNotification hot path.
//
// The validating Scanner costs ~0.6 ns per byte, most of it outside strings
// (numbers, keys, punctuation one byte at a time). For `params.result` of a
// transactionNotification we only need where the object ends: TransactionSummarizer
// (simdjson) validates the payload right after. objectEnd() finds the matching
// '}' 64 bytes at a time with bit masks (quotes → in-string mask by prefix XOR,
// then the few brackets outside strings one by one), so a truncated frame still
// never decodes (the depth never returns to zero), but nothing else is checked.

/// Bit i set where block[i] is the respective byte class.
struct BlockMasks
{
    quint64 quote = 0;
    quint64 backslash = 0;
    quint64 open = 0;  ///< '{' or '['
    quint64 close = 0; ///< '}' or ']'
};

BlockMasks classify64(const char *block)
{
    BlockMasks m;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i lower = _mm_set1_epi8(0x20); // '['|0x20 == '{', ']'|0x20 == '}'
    const __m128i open = _mm_set1_epi8('{');
    const __m128i close = _mm_set1_epi8('}');
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(block + 16 * k));
        const __m128i folded = _mm_or_si128(v, lower);
        const int shift = 16 * k;
        m.quote |= quint64(quint32(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))) << shift;
        m.backslash |= quint64(quint32(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)))) << shift;
        m.open |= quint64(quint32(_mm_movemask_epi8(_mm_cmpeq_epi8(folded, open)))) << shift;
        m.close |= quint64(quint32(_mm_movemask_epi8(_mm_cmpeq_epi8(folded, close)))) << shift;
    }
#else
    for (int k = 0; k < 64; ++k) {
        const char c = block[k];
        const quint64 bit = quint64(1) << k;
        if (c == '"')
            m.quote |= bit;
        else if (c == '\\')
            m.backslash |= bit;
        else if (c == '{' || c == '[')
            m.open |= bit;
        else if (c == '}' || c == ']')
            m.close |= bit;
    }
#endif
    return m;
}

/// Bit i of the result = XOR of bits 0..i of x.
inline quint64 prefixXor(quint64 x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/// `open` at a '{' or '['; returns the index just past the bracket that brings
/// the nesting depth back to zero, or -1 if the text ends first. Strings (with
/// escapes) are skipped; nothing else is validated.
qsizetype objectEnd(QByteArrayView text, qsizetype open)
{
    const char *const base = text.data();
    const qsizetype n = text.size();
    qint64 depth = 0;
    quint64 inString = 0;     // all ones while the previous block ended inside a string
    bool escapeCarry = false; // the previous block ended in an unpaired backslash
    char tail[64];
    for (qsizetype at = open; at < n; at += 64) {
        const char *block = base + at;
        const qsizetype avail = n - at;
        if (avail < 64) {
            std::memset(tail, 0, sizeof tail); // NUL bytes are no class of interest
            std::memcpy(tail, block, size_t(avail));
            block = tail;
        }
        BlockMasks m = classify64(block);
        if (m.backslash || escapeCarry) {
            // Rare in transaction JSON: drop escaped characters the slow way.
            quint64 escaped = 0;
            for (int k = escapeCarry ? 1 : 0; k < 64; ++k) {
                if (block[k] == '\\' && !(escaped >> k & 1)) {
                    if (k == 63)
                        break;
                    escaped |= quint64(1) << (k + 1);
                }
            }
            if (escapeCarry)
                escaped |= 1;
            escapeCarry = (m.backslash >> 63 & 1) && !(escaped >> 63 & 1);
            m.quote &= ~escaped;
            m.open &= ~escaped;
            m.close &= ~escaped;
        }
        const quint64 strings = prefixXor(m.quote) ^ inString; // quote bits themselves don't matter
        inString = quint64(0) - (strings >> 63);
        const quint64 opens = m.open & ~strings;
        const quint64 closes = m.close & ~strings;
        // Brackets are few per block: walk them in order (a popcount is a
        // library call without -mpopcnt, and this also finds depth zero).
        for (quint64 brackets = opens | closes; brackets; brackets &= brackets - 1) {
            const int k = qCountTrailingZeroBits(brackets);
            if (opens >> k & 1) {
                ++depth;
            } else if (--depth == 0) {
                const qsizetype end = at + k + 1;
                return end <= n ? end : -1;
            }
        }
    }
    return -1;
}

/// The index just past the '}' that `braces` further '}' (and whitespace)
/// follow at the end of `text`, or -1 when the text does not end that way:
/// ResultEnd::Assumed's end of `params.result` with braces = 2.
qsizetype endBeforeClosingBraces(QByteArrayView text, int braces)
{
    qsizetype i = text.size();
    for (int closing = 0; closing <= braces; ++closing) {
        while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n' || text[i - 1] == '\r'))
            --i;
        if (i == 0 || text[i - 1] != '}')
            return -1;
        if (closing < braces)
            --i;
    }
    return i;
}

struct EnvelopeSpans
{
    std::optional<std::pair<qsizetype, qsizetype>> id, method, result, error, params;
    std::optional<std::pair<qsizetype, qsizetype>> subscription, paramsResult;
    bool paramsIsObject = false;
    bool resultEndAssumed = false;
};

} // namespace

std::optional<std::pair<qsizetype, qsizetype>> jsonValueSpan(QByteArrayView text, qsizetype from)
{
    if (from < 0 || from > text.size())
        return std::nullopt;
    const Scanner s(text);
    const qsizetype begin = s.skipWhitespace(from);
    const qsizetype end = s.value(begin);
    if (end < 0)
        return std::nullopt;
    return std::make_pair(begin, end);
}

/// One decode with `resultEnd` (decodeDataPlaneMessage() retries Assumed as Exact).
static Result<DataPlaneMessage> decodeFrame(QByteArrayView utf8, ResultEnd resultEnd)
{
    const Scanner s(utf8);
    qsizetype i = s.skipWhitespace(0);
    if (i >= s.size())
        return makeError(u"empty frame"_s);
    if (utf8[i] != '{')
        return makeError(u"frame is not a JSON object"_s);

    auto malformed = [] { return makeError(u"not valid JSON (malformed or truncated frame)"_s); };

    // Walk the members of an object starting at `open` ('{'). `onMember` gets the
    // raw key token (with quotes) and the index where its value starts, and
    // returns the index after the value (or -1). Returns the index after '}'.
    auto walkObject = [&s, &utf8](qsizetype open, auto &&onMember) -> qsizetype {
        qsizetype j = s.skipWhitespace(open + 1);
        if (j < s.size() && utf8[j] == '}')
            return j + 1;
        for (;;) {
            j = s.skipWhitespace(j);
            const qsizetype keyEnd = s.string(j);
            if (keyEnd < 0)
                return -1;
            const QByteArrayView key = utf8.sliced(j, keyEnd - j);
            j = s.skipWhitespace(keyEnd);
            if (j >= s.size() || utf8[j] != ':')
                return -1;
            const qsizetype valueEnd = onMember(key, s.skipWhitespace(j + 1));
            if (valueEnd < 0)
                return -1;
            j = s.skipWhitespace(valueEnd);
            if (j >= s.size())
                return -1;
            if (utf8[j] == ',') {
                ++j;
                continue;
            }
            if (utf8[j] == '}')
                return j + 1;
            return -1;
        }
    };
    auto keyIs = [](QByteArrayView key, QLatin1StringView name) {
        if (key.size() == name.size() + 2 && key.sliced(1, name.size()) == QByteArrayView(name.data(), name.size()))
            return true;
        return key.contains('\\') && stringToken(key) == name; // an escaped key, rare
    };

    EnvelopeSpans env;
    const qsizetype end = walkObject(i, [&](QByteArrayView key, qsizetype b) -> qsizetype {
        if (keyIs(key, "params"_L1)) {
            const bool transactionFirst = env.method && !env.result && !env.error
                && utf8.sliced(env.method->first, env.method->second - env.method->first)
                    == QByteArrayView("\"transactionNotification\"");
            env.subscription.reset();
            env.paramsResult.reset();
            env.resultEndAssumed = false;
            env.paramsIsObject = b < s.size() && utf8[b] == '{';
            // Walk params once, remembering `subscription` and the raw `result` span.
            const qsizetype e = !env.paramsIsObject
                ? s.value(b)
                : walkObject(b, [&](QByteArrayView k, qsizetype vb) -> qsizetype {
                      // The hot path: a transactionNotification whose method came
                      // first (the server's layout) gets its result's end from
                      // objectEnd(); the summarizer validates those bytes.
                      const bool fast = transactionFirst && vb < s.size() && utf8[vb] == '{'
                          && keyIs(k, "result"_L1);
                      qsizetype ve = -1;
                      if (fast && resultEnd == ResultEnd::Assumed) {
                          ve = endBeforeClosingBraces(utf8, 2);
                          env.resultEndAssumed = ve > vb;
                      }
                      if (!env.resultEndAssumed)
                          ve = fast ? objectEnd(utf8, vb) : s.value(vb);
                      // objectEnd() counts '[' / ']' with '{' / '}': a payload whose
                      // brackets do not match can "close" on a ']'. Only a '}'
                      // ends an object; anything else takes the validating walk
                      // (found by fuzz_dataplanecodec, tests/fuzz/regressions).
                      if (fast && ve > vb && utf8[ve - 1] != '}')
                          ve = s.value(vb);
                      if (ve >= 0 && keyIs(k, "subscription"_L1))
                          env.subscription = std::make_pair(vb, ve);
                      else if (ve >= 0 && keyIs(k, "result"_L1))
                          env.paramsResult = std::make_pair(vb, ve);
                      return ve;
                  });
            if (e >= 0)
                env.params = std::make_pair(b, e);
            return e;
        }
        const qsizetype e = s.value(b);
        if (e < 0)
            return -1;
        const auto span = std::make_pair(b, e);
        if (keyIs(key, "id"_L1))
            env.id = span;
        else if (keyIs(key, "method"_L1))
            env.method = span;
        else if (keyIs(key, "result"_L1))
            env.result = span;
        else if (keyIs(key, "error"_L1))
            env.error = span;
        return e;
    });
    if (end < 0)
        return malformed();
    if (s.skipWhitespace(end) != s.size())
        return makeError(u"unexpected data after the JSON object"_s);

    auto view = [&utf8](const std::pair<qsizetype, qsizetype> &span) {
        return utf8.sliced(span.first, span.second - span.first);
    };

    if (env.method) {
        const QByteArrayView token = view(*env.method);
        if (token.front() != '"')
            return makeError(u"\"method\" must be a string"_s);
        const QString method = stringToken(token);
        const bool isTransaction = method == "transactionNotification"_L1;
        const bool isAccountDiff = method == "accountDiffNotification"_L1;
        if (!isTransaction && !isAccountDiff) {
            const bool carriesData = env.params && env.paramsIsObject && env.subscription && env.paramsResult
                                     && view(*env.paramsResult).front() == '{';
            return DataPlaneMessage{DataPlane::OtherNotification{method, carriesData}};
        }

        if (!env.params || !env.paramsIsObject)
            return makeError(u"%1 without a params object"_s.arg(method));
        if (!env.paramsResult)
            return makeError(u"%1 without params.result"_s.arg(method));
        if (!env.subscription)
            return makeError(u"%1 without params.subscription"_s.arg(method));
        const auto subscription = subscriptionIdToken(view(*env.subscription));
        if (!subscription)
            return makeError(u"%1: params.subscription is not an id (an integer or a string)"_s.arg(method));
        const QByteArrayView result = view(*env.paramsResult);
        if (result.front() != '{')
            return makeError(u"%1: params.result is not an object"_s.arg(method));

        if (isTransaction)
            return DataPlaneMessage{DataPlane::TransactionNotification{*subscription, result, env.resultEndAssumed}};

        // accountDiffNotification results are small: a DOM is fine here.
        DataPlane::AccountDiffNotification diff;
        diff.subscription = *subscription;
        diff.result = result;
        const QJsonObject object =
            QJsonDocument::fromJson(QByteArray::fromRawData(result.data(), result.size())).object();
        QJsonValue slot = object.value("context"_L1).toObject().value("slot"_L1);
        if (slot.isUndefined())
            slot = object.value("slot"_L1);
        if (!slot.isUndefined() && !slot.isNull()) {
            const auto n = asU64(slot);
            if (!n)
                return makeError(u"accountDiffNotification: context.slot is not a non-negative integer"_s);
            diff.slot = *n;
        }
        diff.account = object.value("account"_L1).toString();
        diff.signature = object.value("signature"_L1).toString();
        return DataPlaneMessage{std::move(diff)};
    }

    // A response to one of our requests.
    qint64 requestId = -1;
    if (env.id) {
        const QByteArrayView token = view(*env.id);
        if (token != "null") {
            std::optional<qint64> id = integerToken(token);
            if (!id && token.front() == '"') // a numeric string id, from a lenient server
                id = integerToken(stringToken(token).toUtf8());
            if (!id)
                return makeError(u"response id is not an integer"_s);
            requestId = *id;
        }
    }

    if (env.error) {
        DataPlane::RpcError error;
        error.requestId = requestId;
        const QByteArrayView token = view(*env.error);
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(token.data(), token.size()));
        if (doc.isObject()) {
            const QJsonObject object = doc.object();
            error.code = object.value("code"_L1).toInteger(0);
            error.message = object.value("message"_L1).toString();
        } else {
            error.message = QString::fromUtf8(token);
        }
        return DataPlaneMessage{std::move(error)};
    }

    if (env.result) {
        if (!env.id || requestId < 0)
            return makeError(u"response without an id"_s);
        const auto subscription = subscriptionIdToken(view(*env.result));
        if (!subscription)
            return makeError(u"result of request %1 is not a subscription id: %2"_s.arg(requestId).arg(
                QString::fromUtf8(view(*env.result).first(qMin<qsizetype>(80, view(*env.result).size())))));
        return DataPlaneMessage{DataPlane::SubscribeAck{requestId, *subscription}};
    }

    return makeError(u"neither a notification nor a response (no method, result or error)"_s);
}

Result<DataPlaneMessage> decodeDataPlaneMessage(QByteArrayView utf8, ResultEnd resultEnd)
{
    Result<DataPlaneMessage> decoded = decodeFrame(utf8, resultEnd);
    // The tail rule swallows a member that follows `result` (Agave's
    // `result`, `subscription` order): a valid frame is read by its brackets
    // rather than refused.
    if (!decoded && resultEnd == ResultEnd::Assumed)
        return decodeFrame(utf8, ResultEnd::Exact);
    return decoded;
}

namespace {

/// resumeSlot … lastLost, less what was reported through `reportedThrough`.
std::optional<ReplayGap> gapThrough(quint64 resumeSlot, quint64 lastLost, std::optional<quint64> reportedThrough)
{
    quint64 first = resumeSlot;
    if (reportedThrough && *reportedThrough >= first)
        first = *reportedThrough + 1;
    if (first > lastLost)
        return std::nullopt;
    return ReplayGap{first, lastLost};
}

} // namespace

std::optional<ReplayGap> replayGap(quint64 resumeSlot, quint64 newestSlot, std::optional<quint64> reportedThrough)
{
    if (newestSlot < kServerReplaySlots)
        return std::nullopt; // every slot since 0 is still held
    return gapThrough(resumeSlot, newestSlot - kServerReplaySlots, reportedThrough);
}

std::optional<ReplayGap> replayStartedLate(quint64 resumeSlot, quint64 firstReplayedSlot,
                                           std::optional<quint64> reportedThrough)
{
    if (firstReplayedSlot <= resumeSlot)
        return std::nullopt;
    return gapThrough(resumeSlot, firstReplayedSlot - 1, reportedThrough);
}

QByteArray encodeTransactionSubscribe(qint64 requestId, const TransactionSubscribeParams &params)
{
    Json::Writer w;
    requestHead(w, requestId, "transactionSubscribe"_L1);
    w.beginObject().key("accountInclude"_L1).stringList(params.accountInclude).endObject();
    w.beginObject().key("commitment"_L1).string("confirmed"_L1).key("encoding"_L1).string(params.encoding);
    w.key("maxSupportedTransactionVersion"_L1).u64(0).skipIfUnset("replayFromSlot"_L1, params.replayFromSlot);
    if (params.zstd)
        w.key("compression"_L1).string("zstd"_L1);
    return w.endObject().endArray().endObject().take();
}

QByteArray encodeAccountDiffSubscribe(qint64 requestId, const AccountDiffSubscribeParams &params)
{
    Json::Writer w;
    requestHead(w, requestId, "accountDiffSubscribe"_L1).string(params.address).beginObject();
    if (params.programOwner)
        w.key("address_type"_L1).string("program"_L1);
    w.skipIfUnset("replayFromSlot"_L1, params.replayFromSlot);
    if (params.zstd)
        w.key("compression"_L1).string("zstd"_L1);
    return w.endObject().endArray().endObject().take();
}

Result<SubscribeRequest> decodeSubscribeRequest(QByteArrayView utf8)
{
    Result<QJsonObject> parsed = Json::parseObject(utf8, "request"_L1);
    if (!parsed)
        return parsed.error();
    const QJsonObject object = std::move(parsed).value();

    SubscribeRequest request;
    const QJsonValue method = object.value("method"_L1);
    if (!method.isString())
        return makeError(u"request has no \"method\" string"_s);
    request.method = method.toString();

    const QJsonValue id = object.value("id"_L1);
    if (id.isDouble() && id.toInteger(std::numeric_limits<qint64>::min()) != std::numeric_limits<qint64>::min()) {
        request.requestId = id.toInteger();
    } else if (id.isString() && !id.toString().isEmpty()) {
        bool ok = false;
        request.requestId = id.toString().toLongLong(&ok);
        if (!ok)
            return makeError(u"request id \"%1\" is not an integer"_s.arg(id.toString()));
    } else {
        return makeError(u"request has no integer \"id\""_s);
    }

    auto addAccounts = [&request](const QJsonValue &v) -> bool {
        if (v.isString()) {
            request.accounts.append(v.toString());
            return true;
        }
        if (v.isArray()) {
            for (const QJsonValue &item : v.toArray()) {
                if (!item.isString())
                    return false;
                request.accounts.append(item.toString());
            }
            return true;
        }
        return v.isNull() || v.isUndefined();
    };

    QJsonValue filter;
    QJsonValue config;
    const QJsonValue params = object.value("params"_L1);
    if (params.isArray()) {
        filter = params.toArray().at(0);
        config = params.toArray().at(1);
    } else if (params.isObject()) { // lenient: one object holding filter and config keys
        filter = params;
        config = params;
    } else if (!params.isUndefined() && !params.isNull()) {
        return makeError(u"params must be an array"_s);
    }

    if (filter.isObject()) {
        const QJsonObject f = filter.toObject();
        static const QLatin1StringView keys[] = {"accountInclude"_L1, "account_include"_L1, "programIds"_L1,
                                                 "program_ids"_L1,    "programs"_L1,        "accounts"_L1,
                                                 "address"_L1};
        for (QLatin1StringView key : keys) {
            if (!addAccounts(f.value(key)))
                return makeError(u"filter field \"%1\" must be a string or an array of strings"_s.arg(key));
        }
    } else if (!addAccounts(filter)) {
        return makeError(u"params[0] must be a pubkey, an array of pubkeys or a filter object"_s);
    }
    request.accounts.removeDuplicates();

    if (config.isObject()) {
        const QJsonObject c = config.toObject();
        const QJsonValue replay = Json::lookup(c, "replayFromSlot"_L1);
        // Missing or malformed: off (PROTOCOL.md §5.3), not a refused subscription.
        if (const auto slot = Json::isAbsent(replay) ? std::nullopt : asU64(replay))
            request.replayFromSlot = *slot;
        request.zstd = c.value("compression"_L1).toString().compare("zstd"_L1, Qt::CaseInsensitive) == 0;
        const QJsonValue addressType = Json::lookup(c, "address_type"_L1);
        request.programOwner = addressType.toString().compare("program"_L1, Qt::CaseInsensitive) == 0;
    }
    return request;
}

QByteArray encodeSubscribeAck(qint64 requestId, qint64 subscription)
{
    return R"({"jsonrpc":"2.0","result":)" + QByteArray::number(subscription) + R"(,"id":)"
        + QByteArray::number(requestId) + '}';
}

QByteArray encodeRpcError(qint64 requestId, qint64 code, const QString &message)
{
    Json::Writer w;
    w.beginObject().key("jsonrpc"_L1).string("2.0"_L1);
    w.key("error"_L1).beginObject().key("code"_L1).i64(code).key("message"_L1).string(message).endObject();
    w.key("id"_L1);
    requestId < 0 ? w.null() : w.i64(requestId);
    return w.endObject().take();
}

namespace {

QByteArray wrapNotification(QByteArrayView method, qint64 subscription, QByteArrayView resultJson)
{
    QByteArray out;
    out.reserve(resultJson.size() + 110);
    out.append(R"({"jsonrpc":"2.0","method":")").append(method.data(), method.size());
    out.append(R"(","params":{"subscription":)").append(QByteArray::number(subscription));
    out.append(R"(,"result":)").append(resultJson.data(), resultJson.size());
    out.append("}}");
    return out;
}

} // namespace

QByteArray encodeTransactionNotification(qint64 subscription, QByteArrayView resultJson)
{
    return wrapNotification("transactionNotification", subscription, resultJson);
}

QByteArray encodeAccountDiffNotification(qint64 subscription, QByteArrayView resultJson)
{
    return wrapNotification("accountDiffNotification", subscription, resultJson);
}

} // namespace SlotScope
