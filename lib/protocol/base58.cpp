#include "protocol/base58.h"

#include <QtGlobal>

#include <array>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// Reverse table: character -> digit value, -1 outside the alphabet.
constexpr std::array<qint8, 256> makeReverse()
{
    std::array<qint8, 256> table{};
    for (auto &v : table)
        v = -1;
    for (int i = 0; i < 58; ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<qint8>(i);
    return table;
}

constexpr std::array<qint8, 256> kReverse = makeReverse();

constexpr quint64 kLimbBase = 58ull * 58 * 58 * 58 * 58; // 656 356 768 < 2^30
constexpr int kMaxFastBytes = 64;
// 64 bytes need at most 88 base58 digits: 18 limbs of 5 digits.
constexpr int kMaxLimbs = 20;

} // namespace

namespace Internal {

QByteArray base58EncodeAnyLength(QByteArrayView bytes)
{
    qsizetype zeros = 0;
    while (zeros < bytes.size() && bytes[zeros] == 0)
        ++zeros;

    // Base-256 to base-58 conversion, big-endian digits. log(256)/log(58) < 1.37.
    const qsizetype capacity = (bytes.size() - zeros) * 138 / 100 + 1;
    QByteArray digits(capacity, '\0');
    qsizetype length = 0; // number of significant digits, stored at the end of `digits`
    for (qsizetype i = zeros; i < bytes.size(); ++i) {
        int carry = static_cast<unsigned char>(bytes[i]);
        qsizetype j = 0;
        for (qsizetype k = capacity - 1; (carry != 0 || j < length) && k >= 0; --k, ++j) {
            carry += 256 * static_cast<unsigned char>(digits[k]);
            digits[k] = static_cast<char>(carry % 58);
            carry /= 58;
        }
        length = j;
    }

    QByteArray out;
    out.reserve(zeros + length);
    out.append(zeros, '1');
    for (qsizetype k = capacity - length; k < capacity; ++k)
        out.append(kAlphabet[static_cast<unsigned char>(digits[k])]);
    return out;
}

int encodeBase58(const unsigned char *bytes, int size, char *out)
{
    Q_ASSERT(size >= 0 && size <= kMaxFastBytes);
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
    Q_ASSERT(size >= 0 && size <= kMaxFastBytes);
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
            const int digit = c < 256 ? kReverse[c] : -1;
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

} // namespace Internal

QByteArray base58Encode(QByteArrayView bytes)
{
    if (bytes.size() > kMaxFastBytes)
        return Internal::base58EncodeAnyLength(bytes);
    char text[96];
    const int length = Internal::encodeBase58(reinterpret_cast<const unsigned char *>(bytes.data()), int(bytes.size()), text);
    return QByteArray(text, length);
}

std::optional<QByteArray> base58Decode(QByteArrayView text)
{
    qsizetype ones = 0;
    while (ones < text.size() && text[ones] == '1')
        ++ones;

    // Base-58 to base-256, big-endian. log(58)/log(256) < 0.733.
    const qsizetype capacity = (text.size() - ones) * 733 / 1000 + 1;
    QByteArray bytes(capacity, '\0');
    qsizetype length = 0;
    for (qsizetype i = ones; i < text.size(); ++i) {
        int carry = kReverse[static_cast<unsigned char>(text[i])];
        if (carry < 0)
            return std::nullopt;
        qsizetype j = 0;
        for (qsizetype k = capacity - 1; (carry != 0 || j < length) && k >= 0; --k, ++j) {
            carry += 58 * static_cast<unsigned char>(bytes[k]);
            bytes[k] = static_cast<char>(carry % 256);
            carry /= 256;
        }
        length = j;
    }

    QByteArray out;
    out.reserve(ones + length);
    out.append(ones, '\0');
    out.append(bytes.constData() + (capacity - length), length);
    return out;
}

Result<QString> validateAddress(const QString &text, QLatin1StringView what)
{
    const QString address = text.trimmed();
    if (address.isEmpty())
        return makeError(u"%1 is empty"_s.arg(what));
    for (qsizetype i = 0; i < address.size(); ++i) {
        const QChar c = address.at(i);
        if (c.unicode() > 0xff || kReverse[c.unicode()] < 0) {
            return makeError(u"%1 \"%2\" is not base58: '%3' at position %4 is not in the base58 alphabet "
                             "(no 0, O, I or l)"_s.arg(what, address, QString(c)).arg(i + 1));
        }
    }
    const qsizetype size = base58Decode(address.toLatin1())->size();
    if (size != 32)
        return makeError(u"%1 \"%2\" decodes to %3 bytes; a Solana address has 32"_s.arg(what, address).arg(size));
    return address;
}

Result<QString> validateProgramId(const QString &text)
{
    return validateAddress(text, "program id"_L1);
}

} // namespace SlotScope
