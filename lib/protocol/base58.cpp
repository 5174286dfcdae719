#include "protocol/base58.h"

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

} // namespace

QByteArray base58Encode(QByteArrayView bytes)
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
