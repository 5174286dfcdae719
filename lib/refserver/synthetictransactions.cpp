#include "refserver/synthetictransactions.h"

#include "protocol/base58.h"
#include "protocol/json.h"

#include <QCryptographicHash>
#include <QLocale>
#include <QVarLengthArray>
#include <QtEndian>

#include <charconv>
#include <cmath>
#include <optional>
#include <random>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

// The JSON is written straight into one QByteArray (Json::Writer), in the exact
// bytes QJsonDocument::toJson(Compact) gives for the same value: object keys in
// sorted order, integers as integers, uiAmount doubles in QJsonDocument's
// shortest form. Building QJsonObject trees cost most of the reference server's
// CPU when it streamed hundreds of sub-sessions. tst_refserverplan checks that
// every sample survives a QJsonDocument round trip byte for byte.

namespace {

using Json::Writer;

const QString SystemProgram = u"11111111111111111111111111111111"_s;
const QString TokenProgram = u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s;
const QString ComputeBudgetProgram = u"ComputeBudget111111111111111111111111111111"_s;
const QString JupiterV6Program = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
const QString WhirlpoolProgram = u"whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc"_s;

constexpr int WalletCount = 48;
constexpr quint64 BaseFee = 5000;           // lamports per signature
constexpr quint64 TokenAccountRent = 2039280; // lamports of a rent-exempt token account
constexpr quint32 ComputeUnitLimit = 200000;
constexpr int MaxKeys = 12; // account keys of a Jupiter swap, the largest kind

quint64 splitMix64(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

QByteArray randomBytes(std::mt19937_64 &rng, int count)
{
    QByteArray raw(count, Qt::Uninitialized);
    for (int i = 0; i < count; ++i)
        raw[i] = char(rng() & 0xff);
    return raw;
}

QString base58Of(QByteArrayView bytes) { return QString::fromLatin1(base58Encode(bytes)); }

quint64 powerOfTen(int exponent)
{
    quint64 scale = 1;
    for (int i = 0; i < exponent; ++i)
        scale *= 10;
    return scale;
}

/// Writes uiAmountString's text of (amount, decimals) at `out` (room for 41
/// characters) and returns its end: "1.5" for (1500000, 6), "0" for (0, 6).
char *writeUiAmountString(char *out, quint64 amount, int decimals)
{
    const quint64 scale = powerOfTen(decimals);
    out = std::to_chars(out, out + 20, amount / scale).ptr;
    quint64 fraction = amount % scale;
    if (fraction == 0)
        return out;
    int digits = decimals;
    for (; fraction % 10 == 0; fraction /= 10)
        --digits;
    *out++ = '.';
    for (int i = digits - 1; i >= 0; --i, fraction /= 10)
        out[i] = char('0' + fraction % 10);
    return out + digits;
}

/// `"<decimal digits>"`: RPC writes u64 token amounts as strings.
void writeQuotedU64(Writer &w, quint64 value)
{
    char text[24];
    text[0] = '"';
    char *end = std::to_chars(text + 1, text + 21, value).ptr;
    *end++ = '"';
    w.raw(QByteArrayView(text, end - text));
}

/// A uiAmount (never infinite or NaN) in the text QJsonDocument gives it.
void writeDouble(Writer &w, double value)
{
    w.raw(jsonDoubleText(value));
}

/// One entry of pre/postTokenBalances (UiTransactionTokenBalance).
void writeTokenBalance(Writer &w, int accountIndex, const QString &mint, int decimals, const QString &owner,
                       quint64 amount)
{
    w.beginObject();
    w.key("accountIndex"_L1).i64(accountIndex);
    w.key("mint"_L1).string(mint);
    w.key("owner"_L1).string(owner);
    w.key("programId"_L1).string(TokenProgram);
    w.key("uiTokenAmount"_L1).beginObject();
    writeQuotedU64(w.key("amount"_L1), amount);
    w.key("decimals"_L1).i64(decimals);
    if (amount == 0)
        w.key("uiAmount"_L1).null();
    else
        writeDouble(w.key("uiAmount"_L1), double(amount) / double(powerOfTen(decimals)));
    char text[48];
    text[0] = '"';
    char *end = writeUiAmountString(text + 1, amount, decimals);
    *end++ = '"';
    w.key("uiAmountString"_L1).raw(QByteArrayView(text, end - text));
    w.endObject();
    w.endObject();
}

struct Key
{
    QString pubkey;
    bool signer = false;
    bool writable = false;
};

using Keys = QVarLengthArray<Key, MaxKeys>;
using Balances = QVarLengthArray<quint64, MaxKeys>;

void writeAccountKeys(Writer &w, const Keys &keys)
{
    w.beginArray();
    for (const Key &key : keys) {
        w.beginObject();
        w.key("pubkey"_L1).string(key.pubkey);
        w.key("signer"_L1).boolean(key.signer);
        w.key("source"_L1).string("transaction"_L1);
        w.key("writable"_L1).boolean(key.writable);
        w.endObject();
    }
    w.endArray();
}

void writeBalances(Writer &w, const Balances &balances)
{
    w.beginArray();
    for (quint64 lamports : balances)
        w.u64(lamports);
    w.endArray();
}

/// Null at the top level of these transactions, the invoke depth in inner instructions.
void writeStackHeight(Writer &w, std::optional<int> stackHeight)
{
    w.key("stackHeight"_L1);
    if (stackHeight)
        w.i64(*stackHeight);
    else
        w.null();
}

/// An instruction the RPC does not parse: accounts, base58 data, program id,
/// stack height (null at the top level in these transactions).
void writeUnparsedInstruction(Writer &w, const QString &programId, std::initializer_list<QString> accounts,
                              QByteArrayView data, std::optional<int> stackHeight)
{
    w.beginObject();
    w.key("accounts"_L1).beginArray();
    for (const QString &account : accounts)
        w.string(account);
    w.endArray();
    w.key("data"_L1).string(QLatin1StringView(base58Encode(data)));
    w.key("programId"_L1).string(programId);
    writeStackHeight(w, stackHeight);
    w.endObject();
}

/// A jsonParsed transfer: {"parsed":{"info":{…},"type":"transfer"},"program":…,"programId":…,"stackHeight":…}.
/// `writeInfo()` writes the members of info in key order.
template<typename WriteInfo>
void writeParsedTransfer(Writer &w, QLatin1StringView program, const QString &programId,
                         std::optional<int> stackHeight, WriteInfo writeInfo)
{
    w.beginObject();
    w.key("parsed"_L1).beginObject();
    w.key("info"_L1).beginObject();
    writeInfo();
    w.endObject();
    w.key("type"_L1).string("transfer"_L1);
    w.endObject();
    w.key("program"_L1).string(program);
    w.key("programId"_L1).string(programId);
    writeStackHeight(w, stackHeight);
    w.endObject();
}

void writeTokenTransferInstruction(Writer &w, const QString &source, const QString &destination,
                                   const QString &authority, quint64 amount, std::optional<int> stackHeight)
{
    writeParsedTransfer(w, "spl-token"_L1, TokenProgram, stackHeight, [&] {
        writeQuotedU64(w.key("amount"_L1), amount);
        w.key("authority"_L1).string(authority);
        w.key("destination"_L1).string(destination);
        w.key("source"_L1).string(source);
    });
}

/// setComputeUnitLimit (tag 2, u32 LE).
void writeComputeUnitLimitInstruction(Writer &w, quint32 units)
{
    char data[5] = {2};
    qToLittleEndian(units, data + 1);
    writeUnparsedInstruction(w, ComputeBudgetProgram, {}, QByteArrayView(data, sizeof data), std::nullopt);
}

/// setComputeUnitPrice (tag 3, u64 LE micro-lamports).
void writeComputeUnitPriceInstruction(Writer &w, quint64 microLamports)
{
    char data[9] = {3};
    qToLittleEndian(microLamports, data + 1);
    writeUnparsedInstruction(w, ComputeBudgetProgram, {}, QByteArrayView(data, sizeof data), std::nullopt);
}

/// Writes `logMessages` entries ("Program <id> invoke [1]", …) through one reused line buffer.
class LogLines
{
public:
    explicit LogLines(Writer &w) : m_w(w) {}

    void invoke(const QString &program, int depth)
    {
        start(program);
        m_line += " invoke ["_L1;
        number(quint64(depth));
        m_line += u']';
        flush();
    }
    void success(const QString &program)
    {
        start(program);
        m_line += " success"_L1;
        flush();
    }
    void invokeSuccess(const QString &program, int depth)
    {
        invoke(program, depth);
        success(program);
    }
    void consumed(const QString &program, quint64 used, quint64 available)
    {
        start(program);
        m_line += " consumed "_L1;
        number(used);
        m_line += " of "_L1;
        number(available);
        m_line += " compute units"_L1;
        flush();
    }
    /// "Program <id> failed: custom program error: <hexCode>".
    void failed(const QString &program, QLatin1StringView hexCode)
    {
        start(program);
        m_line += " failed: custom program error: "_L1;
        m_line += hexCode;
        flush();
    }
    /// "Program return: <id> <base64>".
    void returned(const QString &program, QLatin1StringView base64)
    {
        m_line.resize(0);
        m_line += "Program return: "_L1;
        m_line += program;
        m_line += u' ';
        m_line += base64;
        flush();
    }
    void text(QLatin1StringView line) { m_w.string(line); }

private:
    void start(const QString &program)
    {
        m_line.resize(0);
        m_line += "Program "_L1;
        m_line += program;
    }
    void number(quint64 value)
    {
        char digits[20];
        const char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        m_line += QLatin1StringView(digits, end - digits);
    }
    void flush() { m_w.string(m_line); }

    Writer &m_w;
    QString m_line;
};

/// {"InstructionError":[index,{"Custom":code}]}
struct InstructionError
{
    int index = 0;
    int custom = 0;

    void write(Writer &w) const
    {
        w.beginObject().key("InstructionError"_L1).beginArray().i64(index);
        w.beginObject().key("Custom"_L1).i64(custom).endObject();
        w.endArray().endObject();
    }
};

/// What all kinds of transaction have; each kind adds its instructions, logs
/// and token balances through the write*() members writeTransaction() calls.
struct CommonParts
{
    Keys keys;
    quint64 fee = BaseFee;
    quint64 computeUnits = 0;
    Balances preBalances, postBalances;
    std::optional<InstructionError> error;
    bool legacy = true; ///< "version":"legacy", else "version":0

    void writeInnerInstructions(Writer &) const {}
    void writeTokenBalances(Writer &, bool /*post*/) const {}
    bool hasReturnData() const { return false; }
    void writeReturnData(Writer &) const {}
};

/// The whole EncodedConfirmedTransactionWithStatusMeta with every object's
/// keys in sorted order (what QJsonDocument writes).
template<typename Parts>
QByteArray writeTransaction(quint64 slot, const QString &signature, const QString &blockhash, const Parts &parts)
{
    QByteArray json;
    json.reserve(Parts::ReservedBytes);
    Writer w(json);
    w.beginObject();
    w.key("blockTime"_L1).i64(SyntheticTransactions::blockTimeOf(slot));
    w.key("meta"_L1).beginObject();
    w.key("computeUnitsConsumed"_L1).u64(parts.computeUnits);
    w.key("err"_L1);
    if (parts.error)
        parts.error->write(w);
    else
        w.null();
    w.key("fee"_L1).u64(parts.fee);
    w.key("innerInstructions"_L1).beginArray();
    parts.writeInnerInstructions(w);
    w.endArray();
    w.key("logMessages"_L1).beginArray();
    LogLines logs(w);
    parts.writeLogs(logs);
    w.endArray();
    writeBalances(w.key("postBalances"_L1), parts.postBalances);
    w.key("postTokenBalances"_L1).beginArray();
    parts.writeTokenBalances(w, true);
    w.endArray();
    writeBalances(w.key("preBalances"_L1), parts.preBalances);
    w.key("preTokenBalances"_L1).beginArray();
    parts.writeTokenBalances(w, false);
    w.endArray();
    if (parts.hasReturnData()) {
        w.key("returnData"_L1);
        parts.writeReturnData(w);
    }
    w.key("rewards"_L1).beginArray().endArray();
    w.key("status"_L1).beginObject();
    if (parts.error)
        parts.error->write(w.key("Err"_L1));
    else
        w.key("Ok"_L1).null();
    w.endObject();
    w.endObject(); // meta
    w.key("slot"_L1).u64(slot);
    w.key("transaction"_L1).beginObject();
    w.key("message"_L1).beginObject();
    writeAccountKeys(w.key("accountKeys"_L1), parts.keys);
    w.key("instructions"_L1).beginArray();
    parts.writeInstructions(w);
    w.endArray();
    w.key("recentBlockhash"_L1).string(blockhash);
    w.endObject(); // message
    w.key("signatures"_L1).beginArray().string(signature).endArray();
    w.endObject(); // transaction
    if (parts.legacy)
        w.key("version"_L1).string("legacy"_L1);
    else
        w.key("version"_L1).i64(0);
    w.endObject();
    return json;
}

/// System program transfer of `lamports` from the fee payer.
struct SystemTransferParts : CommonParts
{
    static constexpr qsizetype ReservedBytes = 1400; // at most 1241 bytes over 96 000 samples
    QString source, destination;
    quint64 lamports = 0;

    void writeInstructions(Writer &w) const
    {
        writeParsedTransfer(w, "system"_L1, SystemProgram, std::nullopt, [&] {
            w.key("destination"_L1).string(destination);
            w.key("lamports"_L1).u64(lamports);
            w.key("source"_L1).string(source);
        });
    }
    void writeLogs(LogLines &logs) const { logs.invokeSuccess(SystemProgram, 1); }
};

/// SPL token transfer after setComputeUnitPrice; a failing one asks for more
/// than the source holds (Custom 1, insufficient funds).
struct TokenTransferParts : CommonParts
{
    static constexpr qsizetype ReservedBytes = 3500; // at most 3258
    QString payer, other, source, destination, mint;
    int decimals = 0;
    quint64 sourcePre = 0, destinationPre = 0, amount = 0, price = 0;
    bool fails = false;

    void writeInstructions(Writer &w) const
    {
        writeComputeUnitPriceInstruction(w, price);
        writeTokenTransferInstruction(w, source, destination, payer, amount, std::nullopt);
    }
    void writeLogs(LogLines &logs) const
    {
        logs.invokeSuccess(ComputeBudgetProgram, 1);
        logs.invoke(TokenProgram, 1);
        logs.text("Program log: Instruction: Transfer"_L1);
        if (fails) {
            logs.text("Program log: Error: insufficient funds"_L1);
            logs.consumed(TokenProgram, 4381, ComputeUnitLimit - 150);
            logs.failed(TokenProgram, "0x1"_L1);
        } else {
            logs.consumed(TokenProgram, 4644, ComputeUnitLimit - 150);
            logs.success(TokenProgram);
        }
    }
    void writeTokenBalances(Writer &w, bool post) const
    {
        const bool moved = post && !fails;
        writeTokenBalance(w, 1, mint, decimals, payer, moved ? sourcePre - amount : sourcePre);
        writeTokenBalance(w, 2, mint, decimals, other, moved ? destinationPre + amount : destinationPre);
    }
};

/// Jupiter v6 route through an Orca Whirlpool with its inner instructions; a
/// failing one ends in Custom 6001 (slippage tolerance exceeded).
struct JupiterSwapParts : CommonParts
{
    static constexpr qsizetype ReservedBytes = 8400; // at most 7964
    QString payer, pool, userIn, userOut, vaultIn, vaultOut, mintIn, mintOut;
    int decimalsIn = 0, decimalsOut = 0;
    quint64 userInPre = 0, userOutPre = 0, vaultInPre = 0, vaultOutPre = 0, amountIn = 0, amountOut = 0;
    quint64 price = 0, swapUnits = 0, routeUnits = 0;
    QByteArray routeData, swapData, returnedBase64;
    bool fails = false;

    void writeInstructions(Writer &w) const
    {
        writeComputeUnitLimitInstruction(w, ComputeUnitLimit);
        writeComputeUnitPriceInstruction(w, price);
        writeUnparsedInstruction(w, JupiterV6Program,
                                 {TokenProgram, payer, userIn, userOut, JupiterV6Program, mintOut, WhirlpoolProgram,
                                  pool, vaultIn, vaultOut},
                                 routeData, std::nullopt);
    }
    void writeInnerInstructions(Writer &w) const
    {
        w.beginObject();
        w.key("index"_L1).i64(2);
        w.key("instructions"_L1).beginArray();
        writeUnparsedInstruction(w, WhirlpoolProgram, {TokenProgram, payer, pool, userIn, vaultIn, userOut, vaultOut},
                                 swapData, 2);
        writeTokenTransferInstruction(w, userIn, vaultIn, payer, amountIn, 3);
        writeTokenTransferInstruction(w, vaultOut, userOut, pool, amountOut, 3);
        w.endArray();
        w.endObject();
    }
    void writeLogs(LogLines &logs) const
    {
        const quint64 available = ComputeUnitLimit - 300;
        logs.invokeSuccess(ComputeBudgetProgram, 1);
        logs.invokeSuccess(ComputeBudgetProgram, 1);
        logs.invoke(JupiterV6Program, 1);
        logs.text("Program log: Instruction: Route"_L1);
        logs.invoke(WhirlpoolProgram, 2);
        logs.text("Program log: Instruction: Swap"_L1);
        for (quint64 i = 0; i < 2; ++i) {
            logs.invoke(TokenProgram, 3);
            logs.text("Program log: Instruction: Transfer"_L1);
            logs.consumed(TokenProgram, 4645, available - 20000 - i * 5000);
            logs.success(TokenProgram);
        }
        logs.consumed(WhirlpoolProgram, swapUnits, available - 15000);
        logs.success(WhirlpoolProgram);
        if (fails) {
            logs.text("Program log: AnchorError occurred. Error Code: SlippageToleranceExceeded. Error Number: 6001. "
                      "Error Message: Slippage tolerance exceeded."_L1);
            logs.consumed(JupiterV6Program, routeUnits, available);
            logs.failed(JupiterV6Program, "0x1771"_L1);
        } else {
            logs.consumed(JupiterV6Program, routeUnits, available);
            logs.returned(JupiterV6Program, QLatin1StringView(returnedBase64));
            logs.success(JupiterV6Program);
        }
    }
    void writeTokenBalances(Writer &w, bool post) const
    {
        const bool moved = post && !fails;
        writeTokenBalance(w, 1, mintIn, decimalsIn, payer, moved ? userInPre - amountIn : userInPre);
        writeTokenBalance(w, 2, mintOut, decimalsOut, payer, moved ? userOutPre + amountOut : userOutPre);
        writeTokenBalance(w, 4, mintIn, decimalsIn, pool, moved ? vaultInPre + amountIn : vaultInPre);
        writeTokenBalance(w, 5, mintOut, decimalsOut, pool, moved ? vaultOutPre - amountOut : vaultOutPre);
    }
    bool hasReturnData() const { return !fails; }
    void writeReturnData(Writer &w) const
    {
        w.beginObject();
        w.key("data"_L1).beginArray().string(QLatin1StringView(returnedBase64)).string("base64"_L1).endArray();
        w.key("programId"_L1).string(JupiterV6Program);
        w.endObject();
    }
};

} // namespace

QString uiAmountString(quint64 amount, int decimals)
{
    char text[48];
    return QString::fromLatin1(text, writeUiAmountString(text, amount, decimals) - text);
}

QByteArray jsonDoubleText(double value)
{
    constexpr double ExactIntegerLimit = 9007199254740992.0; // 2^53
    if (std::trunc(value) == value && std::abs(value) < ExactIntegerLimit)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

SyntheticTransactions::SyntheticTransactions(quint32 seed)
    : m_seed(seed)
{
    for (int i = 0; i < WalletCount; ++i)
        m_wallets.append(derivedAddress(u"wallet/"_s + QString::number(i)));
    // Real mainnet mints so explorers and people recognise them.
    m_mints = {
        {u"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"_s, 6}, // USDC
        {u"Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB"_s, 6}, // USDT
        {u"So11111111111111111111111111111111111111112"_s, 9},  // wrapped SOL
        {u"JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN"_s, 6},  // JUP
    };
    const auto tokenAccount = [this](const QString &owner, const Mint &mint) {
        return derivedAddress(u"token-account/"_s + owner + u'/' + mint.address);
    };
    for (const QString &wallet : std::as_const(m_wallets)) {
        for (const Mint &mint : std::as_const(m_mints))
            m_walletTokenAccounts.append(tokenAccount(wallet, mint));
    }
    const qsizetype mints = m_mints.size();
    m_pools.resize(mints * mints);
    m_poolTokenAccounts.resize(mints * mints * mints);
    for (qsizetype in = 0; in < mints; ++in) {
        for (qsizetype out = 0; out < mints; ++out) {
            if (in == out)
                continue;
            const qsizetype pair = in * mints + out;
            m_pools[pair] = derivedAddress(u"whirlpool/"_s + m_mints.at(in).address + u'/' + m_mints.at(out).address);
            m_poolTokenAccounts[pair * mints + in] = tokenAccount(m_pools.at(pair), m_mints.at(in));
            m_poolTokenAccounts[pair * mints + out] = tokenAccount(m_pools.at(pair), m_mints.at(out));
        }
    }
}

quint64 SyntheticTransactions::hash(quint64 slot, quint32 index, quint64 salt) const
{
    return splitMix64(splitMix64(splitMix64(m_seed ^ (salt << 32)) ^ slot) ^ index);
}

QString SyntheticTransactions::derivedAddress(const QString &label) const
{
    const QByteArray material = "slotscope-synthetic/" + QByteArray::number(m_seed) + '/' + label.toUtf8();
    const QByteArray digest = QCryptographicHash::hash(material, QCryptographicHash::Sha256);
    return base58Of(digest);
}

int SyntheticTransactions::countAt(quint64 slot) const
{
    return 2 + int(hash(slot, 0, 1) % 4);
}

SyntheticTransactions::Kind SyntheticTransactions::kindAt(quint64 slot, quint32 index) const
{
    const quint64 roll = hash(slot, index, 2) % 100;
    if (roll < 35)
        return Kind::SystemTransfer;
    if (roll < 65)
        return Kind::TokenTransfer;
    return Kind::JupiterSwap;
}

bool SyntheticTransactions::failsAt(quint64 slot, quint32 index) const
{
    const quint64 roll = hash(slot, index, 3) % 100;
    switch (kindAt(slot, index)) {
    case Kind::SystemTransfer: return false;
    case Kind::TokenTransfer: return roll < 10;
    case Kind::JupiterSwap: return roll < 15;
    }
    return false;
}

QStringList SyntheticTransactions::programIds(Kind kind)
{
    switch (kind) {
    case Kind::SystemTransfer: return {SystemProgram};
    case Kind::TokenTransfer: return {ComputeBudgetProgram, TokenProgram};
    case Kind::JupiterSwap: return {ComputeBudgetProgram, JupiterV6Program, WhirlpoolProgram, TokenProgram};
    }
    return {};
}

QStringList SyntheticTransactions::allPrograms()
{
    return {SystemProgram, ComputeBudgetProgram, TokenProgram, JupiterV6Program, WhirlpoolProgram};
}

qint64 SyntheticTransactions::blockTimeOf(quint64 slot)
{
    return qint64(1700000000) + qint64(slot * 2 / 5);
}

SyntheticTransaction SyntheticTransactions::generate(quint64 slot, quint32 index) const
{
    // The random draws happen in a fixed order (the bytes of a seed are the
    // same forever); the JSON is written afterwards in key order.
    std::mt19937_64 rng(hash(slot, index, 4));
    const Kind kind = kindAt(slot, index);
    const bool fails = failsAt(slot, index);

    SyntheticTransaction out;
    out.signature = base58Of(randomBytes(rng, 64));
    out.success = !fails;
    out.programIds = programIds(kind);
    const QString blockhash = base58Of(randomBytes(rng, 32));
    const auto lamports = [&rng](quint64 low, quint64 high) { return low + rng() % (high - low); };
    const int payerIndex = int(rng() % WalletCount);
    int otherIndex = int(rng() % WalletCount);
    if (otherIndex == payerIndex)
        otherIndex = (payerIndex + 1) % WalletCount;
    const QString &payer = m_wallets.at(payerIndex);
    const QString &other = m_wallets.at(otherIndex);
    const qsizetype mints = m_mints.size();

    const auto finish = [&](const auto &parts) {
        for (const Key &key : parts.keys)
            out.accountKeys.append(key.pubkey);
        out.json = writeTransaction(slot, out.signature, blockhash, parts);
        return std::move(out);
    };

    switch (kind) {
    case Kind::SystemTransfer: {
        SystemTransferParts parts;
        parts.source = payer;
        parts.destination = other;
        parts.lamports = lamports(1000000, 5000000000ULL);
        const quint64 payerPre = lamports(6000000000ULL, 90000000000ULL);
        const quint64 otherPre = lamports(0, 40000000000ULL);
        parts.keys = {{payer, true, true}, {other, false, true}, {SystemProgram, false, false}};
        parts.preBalances = {payerPre, otherPre, 1};
        parts.postBalances = {payerPre - BaseFee - parts.lamports, otherPre + parts.lamports, 1};
        parts.computeUnits = 150;
        return finish(parts);
    }
    case Kind::TokenTransfer: {
        TokenTransferParts parts;
        const int mint = int(rng() % mints);
        parts.payer = payer;
        parts.other = other;
        parts.mint = m_mints.at(mint).address;
        parts.decimals = m_mints.at(mint).decimals;
        parts.source = m_walletTokenAccounts.at(payerIndex * mints + mint);
        parts.destination = m_walletTokenAccounts.at(otherIndex * mints + mint);
        parts.sourcePre = lamports(1000, 5000000000ULL);
        parts.destinationPre = lamports(0, 5000000000ULL);
        // A failing transfer asks for more than the source holds.
        parts.amount = fails ? parts.sourcePre + lamports(1, 1000000) : lamports(1, parts.sourcePre);
        parts.price = lamports(1, 200000);
        parts.fee = BaseFee + parts.price * ComputeUnitLimit / 1000000;
        const quint64 payerPre = lamports(50000000, 9000000000ULL);
        parts.fails = fails;
        parts.keys = {{payer, true, true},
                      {parts.source, false, true},
                      {parts.destination, false, true},
                      {ComputeBudgetProgram, false, false},
                      {TokenProgram, false, false}};
        parts.preBalances = {payerPre, TokenAccountRent, TokenAccountRent, 1, 1};
        parts.postBalances = {payerPre - parts.fee, TokenAccountRent, TokenAccountRent, 1, 1};
        parts.computeUnits = 150 + (fails ? 4381 : 4644);
        if (fails)
            parts.error = InstructionError{1, 1};
        return finish(parts);
    }
    case Kind::JupiterSwap: {
        JupiterSwapParts parts;
        parts.legacy = false;
        const int in = int(rng() % mints);
        const int outMint = (in + 1 + int(rng() % (mints - 1))) % int(mints);
        const qsizetype pair = in * mints + outMint;
        parts.payer = payer;
        parts.mintIn = m_mints.at(in).address;
        parts.mintOut = m_mints.at(outMint).address;
        parts.decimalsIn = m_mints.at(in).decimals;
        parts.decimalsOut = m_mints.at(outMint).decimals;
        parts.pool = pool(in, outMint);
        parts.userIn = m_walletTokenAccounts.at(payerIndex * mints + in);
        parts.userOut = m_walletTokenAccounts.at(payerIndex * mints + outMint);
        parts.vaultIn = m_poolTokenAccounts.at(pair * mints + in);
        parts.vaultOut = m_poolTokenAccounts.at(pair * mints + outMint);
        parts.userInPre = lamports(1000000, 900000000000ULL);
        parts.userOutPre = lamports(0, 900000000000ULL);
        parts.vaultInPre = lamports(1000000000000ULL, 90000000000000ULL);
        parts.vaultOutPre = lamports(1000000000000ULL, 90000000000000ULL);
        parts.amountIn = lamports(1, parts.userInPre);
        parts.amountOut = lamports(1, parts.amountIn * 3 / 2 + 2);
        parts.price = lamports(1000, 500000);
        parts.fee = BaseFee + parts.price * ComputeUnitLimit / 1000000;
        const quint64 payerPre = lamports(50000000, 90000000000ULL);
        parts.keys = {{payer, true, true},
                      {parts.userIn, false, true},
                      {parts.userOut, false, true},
                      {parts.pool, false, true},
                      {parts.vaultIn, false, true},
                      {parts.vaultOut, false, true},
                      {ComputeBudgetProgram, false, false},
                      {JupiterV6Program, false, false},
                      {WhirlpoolProgram, false, false},
                      {TokenProgram, false, false},
                      {parts.mintIn, false, false},
                      {parts.mintOut, false, false}};
        // Jupiter v6 `route` discriminator followed by an opaque route plan.
        parts.routeData = QByteArray::fromHex("e517cb977ae3ad2a") + randomBytes(rng, 24);
        parts.swapUnits = lamports(25000, 60000);
        parts.routeUnits = parts.swapUnits + 2 * 4645 + lamports(8000, 30000);
        parts.computeUnits = 300 + parts.routeUnits;
        // Whirlpool `swap` discriminator and its arguments.
        parts.swapData = QByteArray::fromHex("f8c69e91e17587c8") + randomBytes(rng, 16);
        char returned[8];
        qToLittleEndian(parts.amountOut, returned);
        parts.returnedBase64 = QByteArray(returned, sizeof returned).toBase64();
        parts.fails = fails;
        if (fails)
            parts.error = InstructionError{2, 6001};
        parts.preBalances = {payerPre,         TokenAccountRent, TokenAccountRent, 5000000,  TokenAccountRent,
                             TokenAccountRent, 1,                1141440,          1141440,  934087680,
                             388127048,        388127048};
        parts.postBalances = parts.preBalances;
        parts.postBalances[0] -= parts.fee;
        return finish(parts);
    }
    }
    return out;
}

} // namespace SlotScope::Internal
