#include "model/fastbase58.h"

#include <QtGlobal>

#include <array>

namespace SlotScope::Internal {

namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr quint64 kLimbBase = 58ull * 58 * 58 * 58 * 58; // 656 356 768 < 2^30
constexpr int kMaxInput = 64;
// 64 bytes need at most 88 base58 digits: 18 limbs of 5 digits.
constexpr int kMaxLimbs = 20;

// Character → digit, -1 outside the alphabet.
constexpr std::array<qint8, 128> makeDigits()
{
    std::array<qint8, 128> table{};
    for (auto &d : table)
        d = -1;
    for (int i = 0; i < 58; ++i)
        table[size_t(kAlphabet[i])] = qint8(i);
    return table;
}
constexpr std::array<qint8, 128> kDigits = makeDigits();

} // namespace

int encodeBase58(const unsigned char *bytes, int size, char *out)
{
    Q_ASSERT(size >= 0 && size <= kMaxInput);
    int zeros = 0;
    while (zeros < size && bytes[zeros] == 0)
        ++zeros;

    quint32 limbs[kMaxLimbs]; // little-endian digits in base 58^5
    int limbCount = 0;
    int at = zeros;
    // Feed the significant bytes as big-endian chunks of up to 4 bytes, the
    // first chunk taking the remainder so the rest are whole 32-bit words.
    int chunk = (size - zeros) % 4;
    if (chunk == 0)
        chunk = 4;
    while (at < size) {
        quint64 value = 0;
        for (int i = 0; i < chunk; ++i)
            value = (value << 8) | bytes[at + i];
        const quint64 multiplier = quint64(1) << (8 * chunk);
        at += chunk;
        chunk = 4;

        quint64 carry = value;
        for (int i = 0; i < limbCount; ++i) {
            const quint64 acc = quint64(limbs[i]) * multiplier + carry;
            limbs[i] = quint32(acc % kLimbBase);
            carry = acc / kLimbBase;
        }
        while (carry != 0) {
            limbs[limbCount++] = quint32(carry % kLimbBase);
            carry /= kLimbBase;
        }
    }

    // Limbs to digits, most significant first, without leading zero digits.
    char digits[kMaxLimbs * 5];
    int digitCount = 0;
    for (int i = limbCount - 1; i >= 0; --i) {
        quint32 limb = limbs[i];
        char five[5];
        for (int d = 4; d >= 0; --d) {
            five[d] = char(limb % 58);
            limb /= 58;
        }
        for (char d : five) {
            if (digitCount == 0 && d == 0)
                continue;
            digits[digitCount++] = d;
        }
    }

    int length = 0;
    for (int i = 0; i < zeros; ++i)
        out[length++] = '1';
    for (int i = 0; i < digitCount; ++i)
        out[length++] = kAlphabet[int(digits[i])];
    return length;
}

QString base58String(const unsigned char *bytes, int size)
{
    char text[96];
    const int length = encodeBase58(bytes, size, text);
    return QString::fromLatin1(text, length);
}

bool decodeBase58(QStringView text, unsigned char *out, int size)
{
    Q_ASSERT(size >= 0 && size <= kMaxInput);
    // A value of `size` bytes takes at most ~1.37 × size characters.
    if (text.isEmpty() || text.size() > 2 * size)
        return false;
    qsizetype ones = 0;
    while (ones < text.size() && text[ones] == QLatin1Char('1'))
        ++ones;

    constexpr int kMaxWords = 32; // 128 characters < 750 bits
    quint32 words[kMaxWords];     // little-endian digits in base 2^32
    int wordCount = 0;
    qsizetype at = ones;
    qsizetype chunk = (text.size() - ones) % 5;
    if (chunk == 0)
        chunk = 5;
    while (at < text.size()) {
        quint64 value = 0;
        quint64 multiplier = 1;
        for (qsizetype i = 0; i < chunk; ++i) {
            const char16_t c = text[at + i].unicode();
            const int digit = c < 128 ? kDigits[c] : -1;
            if (digit < 0)
                return false;
            value = value * 58 + quint64(digit);
            multiplier *= 58;
        }
        at += chunk;
        chunk = 5;

        quint64 carry = value;
        for (int i = 0; i < wordCount; ++i) {
            const quint64 acc = quint64(words[i]) * multiplier + carry;
            words[i] = quint32(acc);
            carry = acc >> 32;
        }
        while (carry != 0) {
            if (wordCount == kMaxWords)
                return false;
            words[wordCount++] = quint32(carry);
            carry >>= 32;
        }
    }

    // Significant bytes of the number (no leading zero bytes) after the zero
    // bytes the leading '1's stand for.
    int significant = wordCount * 4;
    const auto byteAt = [&](int fromTop) { // fromTop 0 = most significant byte
        const int index = significant - 1 - fromTop;
        return quint8(words[index / 4] >> (8 * (index % 4)));
    };
    int skip = 0;
    while (skip < significant && byteAt(skip) == 0)
        ++skip;
    const qsizetype total = ones + (significant - skip);
    if (total != size)
        return false;
    int o = 0;
    for (qsizetype i = 0; i < ones; ++i)
        out[o++] = 0;
    for (int i = skip; i < significant; ++i)
        out[o++] = byteAt(i);
    return true;
}

} // namespace SlotScope::Internal
