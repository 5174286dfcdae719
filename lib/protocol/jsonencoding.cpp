#include "protocol/jsonencoding.h"

#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace SlotScope::Internal {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

// Writes the escape for an ASCII byte that needs one; returns the new end.
inline char *writeEscape(char *p, unsigned char c)
{
    *p++ = '\\';
    switch (c) {
    case '"': *p++ = '"'; break;
    case '\\': *p++ = '\\'; break;
    case '\n': *p++ = 'n'; break;
    case '\r': *p++ = 'r'; break;
    case '\t': *p++ = 't'; break;
    case '\b': *p++ = 'b'; break;
    case '\f': *p++ = 'f'; break;
    default:
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = hexDigits[c >> 4];
        *p++ = hexDigits[c & 0xf];
        break;
    }
    return p;
}

inline bool needsEscape(unsigned c) { return c < 0x20 || c == '"' || c == '\\'; }

// Days since 1970-01-01 → civil date (H. Hinnant's algorithm).
void civilFromDays(qint64 z, qint64 &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = qint64(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        ++y;
}

inline char *twoDigits(char *p, unsigned v)
{
    *p++ = char('0' + v / 10);
    *p++ = char('0' + v % 10);
    return p;
}

void appendIso(QByteArray &out, qint64 secs, int millis)
{
    qint64 days = secs / 86400;
    qint64 rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    qint64 year;
    unsigned month, day;
    civilFromDays(days, year, month, day);
    char buf[48];
    char *p = buf;
    if (year >= 0 && year <= 9999) {
        const unsigned y = unsigned(year);
        *p++ = char('0' + y / 1000);
        *p++ = char('0' + y / 100 % 10);
        *p++ = char('0' + y / 10 % 10);
        *p++ = char('0' + y % 10);
    } else {
        p = std::to_chars(p, buf + 24, year).ptr;
    }
    *p++ = '-';
    p = twoDigits(p, month);
    *p++ = '-';
    p = twoDigits(p, day);
    *p++ = 'T';
    p = twoDigits(p, unsigned(rem / 3600));
    *p++ = ':';
    p = twoDigits(p, unsigned(rem / 60 % 60));
    *p++ = ':';
    p = twoDigits(p, unsigned(rem % 60));
    if (millis >= 0) {
        *p++ = '.';
        *p++ = char('0' + millis / 100);
        *p++ = char('0' + millis / 10 % 10);
        *p++ = char('0' + millis % 10);
    }
    *p++ = 'Z';
    out.append(buf, p - buf);
}

} // namespace

void appendJsonString(QByteArray &out, QStringView s)
{
    const qsizetype start = out.size();
    // Worst case per UTF-16 unit: 6 bytes (\u00XX); a surrogate pair gives 4 bytes for 2 units.
    out.resize(start + s.size() * 6 + 2);
    char *p = out.data() + start;
    *p++ = '"';
    const char16_t *u = s.utf16();
    const char16_t *end = u + s.size();
    while (u < end) {
#if defined(__SSE2__)
        // Runs of 8 plain ASCII units (no escape needed: logs, base58 keys)
        // are narrowed 8 at a time.
        while (end - u >= 8) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(u));
            const __m128i nonAscii = _mm_and_si128(v, _mm_set1_epi16(qint16(0xff80)));
            const __m128i special = _mm_or_si128(
                _mm_or_si128(_mm_cmplt_epi16(v, _mm_set1_epi16(0x20)), _mm_cmpeq_epi16(v, _mm_set1_epi16('"'))),
                _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('\\')),
                             _mm_xor_si128(_mm_cmpeq_epi16(nonAscii, _mm_setzero_si128()), _mm_set1_epi16(-1))));
            if (_mm_movemask_epi8(special))
                break;
            _mm_storel_epi64(reinterpret_cast<__m128i *>(p), _mm_packus_epi16(v, v));
            p += 8;
            u += 8;
        }
        if (u == end)
            break;
#endif
        const char16_t c = *u++;
        if (c < 0x80) {
            if (needsEscape(c))
                p = writeEscape(p, static_cast<unsigned char>(c));
            else
                *p++ = char(c);
        } else if (c < 0x800) {
            *p++ = char(0xc0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3f));
        } else if (c >= 0xd800 && c <= 0xdfff) {
            if (c <= 0xdbff && u < end && *u >= 0xdc00 && *u <= 0xdfff) {
                const char32_t cp = 0x10000 + ((char32_t(c) - 0xd800) << 10) + (char32_t(*u++) - 0xdc00);
                *p++ = char(0xf0 | (cp >> 18));
                *p++ = char(0x80 | ((cp >> 12) & 0x3f));
                *p++ = char(0x80 | ((cp >> 6) & 0x3f));
                *p++ = char(0x80 | (cp & 0x3f));
            } else {
                *p++ = char(0xef); // U+FFFD
                *p++ = char(0xbf);
                *p++ = char(0xbd);
            }
        } else {
            *p++ = char(0xe0 | (c >> 12));
            *p++ = char(0x80 | ((c >> 6) & 0x3f));
            *p++ = char(0x80 | (c & 0x3f));
        }
    }
    *p++ = '"';
    out.resize(p - out.data());
}

void appendJsonString(QByteArray &out, std::string_view utf8)
{
    const qsizetype start = out.size();
    out.resize(start + qsizetype(utf8.size()) * 6 + 2);
    char *p = out.data() + start;
    *p++ = '"';
    const char *in = utf8.data();
    const char *const end = in + utf8.size();
#if defined(__SSE2__)
    // A byte that needs an escape: a control character, '"' or '\\'.
    const auto specials = [](__m128i v) {
        const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
        return _mm_movemask_epi8(_mm_or_si128(
            control, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))));
    };
    // A line of 16 bytes or more whose last 16 need no escape ends with one
    // overlapping block instead of up to 15 single bytes (the ~40 log lines
    // of every transaction, issue 11).
    const char *const plainTail =
        utf8.size() >= 16 && !specials(_mm_loadu_si128(reinterpret_cast<const __m128i *>(end - 16))) ? end - 16 : nullptr;
#endif
    while (in < end) {
#if defined(__SSE2__)
        // Runs of 16 bytes that need no escape (log lines, keys) are copied 16 at a time.
        while (end - in >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in));
            if (specials(v))
                break;
            _mm_storeu_si128(reinterpret_cast<__m128i *>(p), v);
            p += 16;
            in += 16;
        }
        if (in == end)
            break;
        if (plainTail && in >= plainTail) {
            // Every byte from plainTail on is copied as it is, so the output
            // of [plainTail, in) is the in - plainTail bytes before p.
            _mm_storeu_si128(reinterpret_cast<__m128i *>(p - (in - plainTail)),
                             _mm_loadu_si128(reinterpret_cast<const __m128i *>(plainTail)));
            p += end - in;
            break;
        }
#endif
        const auto c = static_cast<unsigned char>(*in++);
        if (needsEscape(c))
            p = writeEscape(p, c);
        else
            *p++ = char(c);
    }
    *p++ = '"';
    out.resize(p - out.data());
}

void appendUInt(QByteArray &out, quint64 value)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr - buf);
}

void appendInt(QByteArray &out, qint64 value)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr - buf);
}

void appendIsoUtc(QByteArray &out, qint64 unixSecs)
{
    appendIso(out, unixSecs, -1);
}

void appendIsoUtcMs(QByteArray &out, qint64 unixMsecs)
{
    qint64 secs = unixMsecs / 1000;
    qint64 ms = unixMsecs % 1000;
    if (ms < 0) {
        ms += 1000;
        --secs;
    }
    appendIso(out, secs, int(ms));
}

void appendSingleLine(QByteArray &out, QByteArrayView json)
{
    // One pass that copies and looks for bytes <= '\r' (in valid JSON only the
    // whitespace '\t', '\n', '\r'), instead of a copy and two memchr passes
    // over the ~14 KB of every transaction (issue 11).
    const qsizetype start = out.size();
    const qsizetype n = json.size();
    out.resize(start + n);
    char *const dst = out.data() + start;
    const char *const src = json.data();
    qsizetype i = 0;
    bool controls = false;
#if defined(__SSE2__)
    const __m128i carriageReturn = _mm_set1_epi8('\r');
    __m128i seen = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + i));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + i), v);
        seen = _mm_or_si128(seen, _mm_cmpeq_epi8(_mm_min_epu8(v, carriageReturn), v)); // v <= '\r'
    }
    controls = _mm_movemask_epi8(seen) != 0;
#endif
    for (; i < n; ++i) {
        dst[i] = src[i];
        controls |= uchar(src[i]) <= '\r';
    }
    if (!controls)
        return;
    for (char *p = dst, *end = dst + n; p < end; ++p) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }
}

} // namespace SlotScope::Internal
