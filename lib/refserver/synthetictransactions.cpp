#include "refserver/synthetictransactions.h"

#include "protocol/base58.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <array>
#include <random>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

namespace {

const QString SystemProgram = u"11111111111111111111111111111111"_s;
const QString TokenProgram = u"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"_s;
const QString ComputeBudgetProgram = u"ComputeBudget111111111111111111111111111111"_s;
const QString JupiterV6Program = u"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"_s;
const QString WhirlpoolProgram = u"whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc"_s;

constexpr int WalletCount = 48;
constexpr quint64 BaseFee = 5000;           // lamports per signature
constexpr quint64 TokenAccountRent = 2039280; // lamports of a rent-exempt token account
constexpr quint32 ComputeUnitLimit = 200000;

quint64 splitMix64(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

QString randomBase58(std::mt19937_64 &rng, int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i)
        raw[i] = char(rng() & 0xff);
    return QString::fromLatin1(base58Encode(raw));
}

QString base58Of(QByteArrayView bytes) { return QString::fromLatin1(base58Encode(bytes)); }

QJsonObject tokenBalance(int accountIndex, const QString &mint, int decimals, const QString &owner,
                         quint64 amount)
{
    quint64 scale = 1;
    for (int i = 0; i < decimals; ++i)
        scale *= 10;
    return QJsonObject{
        {u"accountIndex"_s, accountIndex},
        {u"mint"_s, mint},
        {u"owner"_s, owner},
        {u"programId"_s, TokenProgram},
        {u"uiTokenAmount"_s,
         QJsonObject{{u"amount"_s, QString::number(amount)},
                     {u"decimals"_s, decimals},
                     {u"uiAmount"_s, amount == 0 ? QJsonValue() : QJsonValue(double(amount) / double(scale))},
                     {u"uiAmountString"_s, uiAmountString(amount, decimals)}}},
    };
}

struct Key
{
    QString pubkey;
    bool signer = false;
    bool writable = false;
};

QJsonArray accountKeysJson(const QList<Key> &keys)
{
    QJsonArray out;
    for (const Key &key : keys) {
        out.append(QJsonObject{{u"pubkey"_s, key.pubkey},
                               {u"signer"_s, key.signer},
                               {u"source"_s, u"transaction"_s},
                               {u"writable"_s, key.writable}});
    }
    return out;
}

QJsonObject unparsedInstruction(const QString &programId, const QStringList &accounts, const QString &data,
                                QJsonValue stackHeight)
{
    return QJsonObject{{u"accounts"_s, QJsonArray::fromStringList(accounts)},
                       {u"data"_s, data},
                       {u"programId"_s, programId},
                       {u"stackHeight"_s, stackHeight}};
}

QJsonObject tokenTransferInstruction(const QString &source, const QString &destination, const QString &authority,
                                     quint64 amount, QJsonValue stackHeight)
{
    return QJsonObject{
        {u"parsed"_s,
         QJsonObject{{u"info"_s,
                      QJsonObject{{u"amount"_s, QString::number(amount)},
                                  {u"authority"_s, authority},
                                  {u"destination"_s, destination},
                                  {u"source"_s, source}}},
                     {u"type"_s, u"transfer"_s}}},
        {u"program"_s, u"spl-token"_s},
        {u"programId"_s, TokenProgram},
        {u"stackHeight"_s, stackHeight},
    };
}

/// setComputeUnitLimit (tag 2, u32 LE) and setComputeUnitPrice (tag 3, u64 LE).
QJsonObject computeUnitLimitInstruction(quint32 units)
{
    QByteArray data(5, '\0');
    data[0] = 2;
    qToLittleEndian(units, data.data() + 1);
    return unparsedInstruction(ComputeBudgetProgram, {}, base58Of(data), QJsonValue());
}

QJsonObject computeUnitPriceInstruction(quint64 microLamports)
{
    QByteArray data(9, '\0');
    data[0] = 3;
    qToLittleEndian(microLamports, data.data() + 1);
    return unparsedInstruction(ComputeBudgetProgram, {}, base58Of(data), QJsonValue());
}

QStringList invokeSuccess(const QString &program, int depth)
{
    return {u"Program %1 invoke [%2]"_s.arg(program).arg(depth), u"Program %1 success"_s.arg(program)};
}

QString consumed(const QString &program, quint64 used, quint64 available)
{
    return u"Program %1 consumed %2 of %3 compute units"_s.arg(program).arg(used).arg(available);
}

QJsonValue instructionError(int index, int custom)
{
    return QJsonObject{{u"InstructionError"_s, QJsonArray{index, QJsonObject{{u"Custom"_s, custom}}}}};
}

QByteArray assemble(quint64 slot, const QString &signature, const QString &blockhash, const QList<Key> &keys,
                    const QJsonArray &instructions, QJsonObject meta, const QJsonValue &version)
{
    const QJsonObject transaction{
        {u"message"_s,
         QJsonObject{{u"accountKeys"_s, accountKeysJson(keys)},
                     {u"instructions"_s, instructions},
                     {u"recentBlockhash"_s, blockhash}}},
        {u"signatures"_s, QJsonArray{signature}},
    };
    const QJsonObject root{
        {u"blockTime"_s, SyntheticTransactions::blockTimeOf(slot)},
        {u"meta"_s, meta},
        {u"slot"_s, qint64(slot)},
        {u"transaction"_s, transaction},
        {u"version"_s, version},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QJsonObject baseMeta(const QJsonValue &err, quint64 fee, const QList<quint64> &pre, const QList<quint64> &post,
                     const QStringList &logs, quint64 computeUnits)
{
    QJsonArray preBalances, postBalances;
    for (quint64 v : pre)
        preBalances.append(qint64(v));
    for (quint64 v : post)
        postBalances.append(qint64(v));
    return QJsonObject{
        {u"computeUnitsConsumed"_s, qint64(computeUnits)},
        {u"err"_s, err},
        {u"fee"_s, qint64(fee)},
        {u"innerInstructions"_s, QJsonArray()},
        {u"logMessages"_s, QJsonArray::fromStringList(logs)},
        {u"postBalances"_s, postBalances},
        {u"postTokenBalances"_s, QJsonArray()},
        {u"preBalances"_s, preBalances},
        {u"preTokenBalances"_s, QJsonArray()},
        {u"rewards"_s, QJsonArray()},
        {u"status"_s, err.isNull() ? QJsonObject{{u"Ok"_s, QJsonValue()}} : QJsonObject{{u"Err"_s, err}}},
    };
}

} // namespace

QString uiAmountString(quint64 amount, int decimals)
{
    quint64 scale = 1;
    for (int i = 0; i < decimals; ++i)
        scale *= 10;
    QString text = QString::number(amount / scale);
    QString fraction = QString::number(amount % scale).rightJustified(decimals, u'0');
    while (fraction.endsWith(u'0'))
        fraction.chop(1);
    if (!fraction.isEmpty())
        text += u'.' + fraction;
    return text;
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

QString SyntheticTransactions::tokenAccount(const QString &owner, const Mint &mint) const
{
    return derivedAddress(u"token-account/"_s + owner + u'/' + mint.address);
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
    std::mt19937_64 rng(hash(slot, index, 4));
    const Kind kind = kindAt(slot, index);
    const bool fails = failsAt(slot, index);

    SyntheticTransaction out;
    out.signature = randomBase58(rng, 64);
    out.success = !fails;
    out.programIds = programIds(kind);
    const QString blockhash = randomBase58(rng, 32);
    const auto lamports = [&rng](quint64 low, quint64 high) { return low + rng() % (high - low); };
    const QString &payer = m_wallets.at(int(rng() % WalletCount));
    QString other = m_wallets.at(int(rng() % WalletCount));
    if (other == payer)
        other = m_wallets.at((m_wallets.indexOf(payer) + 1) % WalletCount);

    QList<Key> keys;
    QJsonArray instructions;
    QJsonObject meta;
    QJsonValue version = u"legacy"_s;

    switch (kind) {
    case Kind::SystemTransfer: {
        const quint64 amount = lamports(1000000, 5000000000ULL);
        const quint64 payerPre = lamports(6000000000ULL, 90000000000ULL);
        const quint64 otherPre = lamports(0, 40000000000ULL);
        keys = {{payer, true, true}, {other, false, true}, {SystemProgram, false, false}};
        instructions.append(QJsonObject{
            {u"parsed"_s,
             QJsonObject{{u"info"_s,
                          QJsonObject{{u"destination"_s, other},
                                      {u"lamports"_s, qint64(amount)},
                                      {u"source"_s, payer}}},
                         {u"type"_s, u"transfer"_s}}},
            {u"program"_s, u"system"_s},
            {u"programId"_s, SystemProgram},
            {u"stackHeight"_s, QJsonValue()},
        });
        meta = baseMeta(QJsonValue(), BaseFee, {payerPre, otherPre, 1},
                        {payerPre - BaseFee - amount, otherPre + amount, 1}, invokeSuccess(SystemProgram, 1), 150);
        break;
    }
    case Kind::TokenTransfer: {
        const Mint &mint = m_mints.at(int(rng() % m_mints.size()));
        const QString source = tokenAccount(payer, mint);
        const QString destination = tokenAccount(other, mint);
        const quint64 sourcePre = lamports(1000, 5000000000ULL);
        const quint64 destinationPre = lamports(0, 5000000000ULL);
        // A failing transfer asks for more than the source holds.
        const quint64 amount = fails ? sourcePre + lamports(1, 1000000) : lamports(1, sourcePre);
        const quint64 price = lamports(1, 200000);
        const quint64 fee = BaseFee + price * ComputeUnitLimit / 1000000;
        const quint64 payerPre = lamports(50000000, 9000000000ULL);
        keys = {{payer, true, true},
                {source, false, true},
                {destination, false, true},
                {ComputeBudgetProgram, false, false},
                {TokenProgram, false, false}};
        instructions = {computeUnitPriceInstruction(price),
                        tokenTransferInstruction(source, destination, payer, amount, QJsonValue())};
        QStringList logs = invokeSuccess(ComputeBudgetProgram, 1);
        logs << u"Program %1 invoke [1]"_s.arg(TokenProgram) << u"Program log: Instruction: Transfer"_s;
        QJsonValue err;
        quint64 units = 150;
        if (fails) {
            err = instructionError(1, 1);
            units += 4381;
            logs << u"Program log: Error: insufficient funds"_s << consumed(TokenProgram, 4381, ComputeUnitLimit - 150)
                 << u"Program %1 failed: custom program error: 0x1"_s.arg(TokenProgram);
        } else {
            units += 4644;
            logs << consumed(TokenProgram, 4644, ComputeUnitLimit - 150) << u"Program %1 success"_s.arg(TokenProgram);
        }
        meta = baseMeta(err, fee, {payerPre, TokenAccountRent, TokenAccountRent, 1, 1},
                        {payerPre - fee, TokenAccountRent, TokenAccountRent, 1, 1}, logs, units);
        meta[u"preTokenBalances"_s] = QJsonArray{tokenBalance(1, mint.address, mint.decimals, payer, sourcePre),
                                                 tokenBalance(2, mint.address, mint.decimals, other, destinationPre)};
        meta[u"postTokenBalances"_s] =
            fails ? meta.value(u"preTokenBalances"_s)
                  : QJsonArray{tokenBalance(1, mint.address, mint.decimals, payer, sourcePre - amount),
                               tokenBalance(2, mint.address, mint.decimals, other, destinationPre + amount)};
        break;
    }
    case Kind::JupiterSwap: {
        version = 0;
        const int a = int(rng() % m_mints.size());
        const int b = (a + 1 + int(rng() % (m_mints.size() - 1))) % int(m_mints.size());
        const Mint &mintIn = m_mints.at(a);
        const Mint &mintOut = m_mints.at(b);
        const QString pool = derivedAddress(u"whirlpool/"_s + mintIn.address + u'/' + mintOut.address);
        const QString userIn = tokenAccount(payer, mintIn);
        const QString userOut = tokenAccount(payer, mintOut);
        const QString vaultIn = tokenAccount(pool, mintIn);
        const QString vaultOut = tokenAccount(pool, mintOut);
        const quint64 userInPre = lamports(1000000, 900000000000ULL);
        const quint64 userOutPre = lamports(0, 900000000000ULL);
        const quint64 vaultInPre = lamports(1000000000000ULL, 90000000000000ULL);
        const quint64 vaultOutPre = lamports(1000000000000ULL, 90000000000000ULL);
        const quint64 amountIn = lamports(1, userInPre);
        const quint64 amountOut = lamports(1, amountIn * 3 / 2 + 2);
        const quint64 price = lamports(1000, 500000);
        const quint64 fee = BaseFee + price * ComputeUnitLimit / 1000000;
        const quint64 payerPre = lamports(50000000, 90000000000ULL);
        keys = {{payer, true, true},           {userIn, false, true},         {userOut, false, true},
                {pool, false, true},           {vaultIn, false, true},        {vaultOut, false, true},
                {ComputeBudgetProgram, false, false}, {JupiterV6Program, false, false},
                {WhirlpoolProgram, false, false},     {TokenProgram, false, false},
                {mintIn.address, false, false}, {mintOut.address, false, false}};
        // Jupiter v6 `route` discriminator followed by an opaque route plan.
        QByteArray routeData = QByteArray::fromHex("e517cb977ae3ad2a");
        for (int i = 0; i < 24; ++i)
            routeData.append(char(rng() & 0xff));
        instructions = {
            computeUnitLimitInstruction(ComputeUnitLimit),
            computeUnitPriceInstruction(price),
            unparsedInstruction(JupiterV6Program,
                                {TokenProgram, payer, userIn, userOut, JupiterV6Program, mintOut.address,
                                 WhirlpoolProgram, pool, vaultIn, vaultOut},
                                base58Of(routeData), QJsonValue()),
        };
        const quint64 swapUnits = lamports(25000, 60000);
        const quint64 routeUnits = swapUnits + 2 * 4645 + lamports(8000, 30000);
        const quint64 units = 300 + routeUnits;
        QByteArray swapData = QByteArray::fromHex("f8c69e91e17587c8");
        for (int i = 0; i < 16; ++i)
            swapData.append(char(rng() & 0xff));
        const QJsonArray inner{
            unparsedInstruction(WhirlpoolProgram, {TokenProgram, payer, pool, userIn, vaultIn, userOut, vaultOut},
                                base58Of(swapData), 2),
            tokenTransferInstruction(userIn, vaultIn, payer, amountIn, 3),
            tokenTransferInstruction(vaultOut, userOut, pool, amountOut, 3),
        };
        QStringList logs = invokeSuccess(ComputeBudgetProgram, 1) + invokeSuccess(ComputeBudgetProgram, 1);
        const quint64 available = ComputeUnitLimit - 300;
        logs << u"Program %1 invoke [1]"_s.arg(JupiterV6Program) << u"Program log: Instruction: Route"_s
             << u"Program %1 invoke [2]"_s.arg(WhirlpoolProgram) << u"Program log: Instruction: Swap"_s;
        for (int i = 0; i < 2; ++i) {
            logs << u"Program %1 invoke [3]"_s.arg(TokenProgram) << u"Program log: Instruction: Transfer"_s
                 << consumed(TokenProgram, 4645, available - 20000 - quint64(i) * 5000)
                 << u"Program %1 success"_s.arg(TokenProgram);
        }
        logs << consumed(WhirlpoolProgram, swapUnits, available - 15000)
             << u"Program %1 success"_s.arg(WhirlpoolProgram);
        QJsonValue err;
        QByteArray returned(8, '\0');
        qToLittleEndian(amountOut, returned.data());
        if (fails) {
            err = instructionError(2, 6001);
            logs << u"Program log: AnchorError occurred. Error Code: SlippageToleranceExceeded. Error Number: 6001. "
                    "Error Message: Slippage tolerance exceeded."_s
                 << consumed(JupiterV6Program, routeUnits, available)
                 << u"Program %1 failed: custom program error: 0x1771"_s.arg(JupiterV6Program);
        } else {
            logs << consumed(JupiterV6Program, routeUnits, available)
                 << u"Program return: %1 %2"_s.arg(JupiterV6Program, QString::fromLatin1(returned.toBase64()))
                 << u"Program %1 success"_s.arg(JupiterV6Program);
        }
        QList<quint64> pre{payerPre, TokenAccountRent, TokenAccountRent, 5000000, TokenAccountRent,
                           TokenAccountRent, 1, 1141440, 1141440, 934087680, 388127048, 388127048};
        QList<quint64> post = pre;
        post[0] -= fee;
        meta = baseMeta(err, fee, pre, post, logs, units);
        meta[u"innerInstructions"_s] = QJsonArray{QJsonObject{{u"index"_s, 2}, {u"instructions"_s, inner}}};
        const QJsonArray preTokens{tokenBalance(1, mintIn.address, mintIn.decimals, payer, userInPre),
                                   tokenBalance(2, mintOut.address, mintOut.decimals, payer, userOutPre),
                                   tokenBalance(4, mintIn.address, mintIn.decimals, pool, vaultInPre),
                                   tokenBalance(5, mintOut.address, mintOut.decimals, pool, vaultOutPre)};
        meta[u"preTokenBalances"_s] = preTokens;
        meta[u"postTokenBalances"_s] =
            fails ? preTokens
                  : QJsonArray{tokenBalance(1, mintIn.address, mintIn.decimals, payer, userInPre - amountIn),
                               tokenBalance(2, mintOut.address, mintOut.decimals, payer, userOutPre + amountOut),
                               tokenBalance(4, mintIn.address, mintIn.decimals, pool, vaultInPre + amountIn),
                               tokenBalance(5, mintOut.address, mintOut.decimals, pool, vaultOutPre - amountOut)};
        if (!fails) {
            meta[u"returnData"_s] = QJsonObject{
                {u"data"_s, QJsonArray{QString::fromLatin1(returned.toBase64()), u"base64"_s}},
                {u"programId"_s, JupiterV6Program}};
        }
        break;
    }
    }

    for (const Key &key : std::as_const(keys))
        out.accountKeys.append(key.pubkey);
    out.json = assemble(slot, out.signature, blockhash, keys, instructions, meta, version);
    return out;
}

} // namespace SlotScope::Internal
