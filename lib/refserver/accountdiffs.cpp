#include "refserver/accountdiffs.h"

#include "protocol/base58.h"
#include "protocol/transactionsummary.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtEndian>

#include <cstring>

using namespace Qt::StringLiterals;

namespace SlotScope::Internal {

namespace {

constexpr auto NativeMint = "So11111111111111111111111111111111111111112"_L1;
constexpr qsizetype TokenAccountSize = 165;

struct TokenBalance
{
    QString mint;
    QString owner;
    QString programId;
    quint64 amount = 0;
};

QHash<int, TokenBalance> tokenBalances(const QJsonArray &entries)
{
    QHash<int, TokenBalance> out;
    for (const QJsonValue &value : entries) {
        const QJsonObject entry = value.toObject();
        const QJsonValue index = entry.value("accountIndex"_L1);
        if (!index.isDouble())
            continue;
        TokenBalance balance;
        balance.mint = entry.value("mint"_L1).toString();
        balance.owner = entry.value("owner"_L1).toString();
        balance.programId = entry.value("programId"_L1).toString();
        balance.amount = entry.value("uiTokenAmount"_L1).toObject().value("amount"_L1).toString().toULongLong();
        out.insert(index.toInt(), balance);
    }
    return out;
}

std::optional<QList<quint64>> lamportList(const QJsonValue &value)
{
    if (!value.isArray())
        return std::nullopt;
    QList<quint64> out;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isDouble() || item.toDouble() < 0)
            return std::nullopt;
        // Qt 6 keeps JSON integers as qint64, so lamports stay exact.
        out.append(quint64(item.toInteger()));
    }
    return out;
}

AccountSide sideOf(quint64 lamports, const std::optional<TokenBalance> &token)
{
    AccountSide side{lamports, {}};
    if (token) {
        std::optional<quint64> reserve;
        if (token->mint == NativeMint && lamports >= token->amount)
            reserve = lamports - token->amount;
        side.data = splTokenAccountData(token->mint, token->owner, token->amount, reserve);
    }
    return side;
}

void appendSide(QByteArray &out, const std::optional<AccountSide> &side, const QString &owner)
{
    if (!side) {
        out += "null";
        return;
    }
    out += "{\"lamports\":" + QByteArray::number(side->lamports) + ",\"owner\":";
    out += owner.isEmpty() ? QByteArray("null") : '"' + owner.toLatin1() + '"';
    out += ",\"data\":[\"" + side->data.toBase64() + "\",\"base64\"],\"executable\":false,\"space\":"
           + QByteArray::number(side->data.size()) + '}';
}

} // namespace

QByteArray splTokenAccountData(const QString &mint, const QString &owner, quint64 amount,
                               std::optional<quint64> nativeReserve)
{
    const auto mintBytes = base58Decode(mint.toLatin1());
    const auto ownerBytes = base58Decode(owner.toLatin1());
    if (!mintBytes || mintBytes->size() != 32 || !ownerBytes || ownerBytes->size() != 32)
        return {};
    // spl-token state::Account: mint, owner, amount, delegate (COption<Pubkey>),
    // state, is_native (COption<u64>), delegated_amount, close_authority (COption<Pubkey>).
    QByteArray data(TokenAccountSize, '\0');
    char *p = data.data();
    std::memcpy(p, mintBytes->constData(), 32);
    std::memcpy(p + 32, ownerBytes->constData(), 32);
    qToLittleEndian<quint64>(amount, p + 64);
    // delegate: tag 0 at 72..75, key 76..107
    p[108] = 1; // AccountState::Initialized
    if (nativeReserve) {
        qToLittleEndian<quint32>(1, p + 109);
        qToLittleEndian<quint64>(*nativeReserve, p + 113);
    }
    // delegated_amount 121..128, close_authority 129..164: zero
    return data;
}

Result<QList<AccountDelta>> deriveAccountDeltas(QByteArrayView transactionJson)
{
    thread_local TransactionSummarizer summarizer;
    auto summary = summarizer.summarize(transactionJson);
    if (!summary)
        return summary.error();

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(transactionJson.data(), transactionJson.size()), &parseError);
    QJsonObject root = document.object();
    if (root.contains("result"_L1) && !root.contains("meta"_L1))
        root = root.value("result"_L1).toObject();
    const QJsonObject meta = root.value("meta"_L1).toObject();
    const auto pre = lamportList(meta.value("preBalances"_L1));
    const auto post = lamportList(meta.value("postBalances"_L1));
    const qsizetype keyCount = summary->accountKeys.size();
    if (!pre || !post || pre->size() < keyCount || post->size() < keyCount)
        return makeError(u"transaction %1: preBalances/postBalances missing or shorter than its %2 account keys"_s
                             .arg(summary->signature)
                             .arg(keyCount));
    const QHash<int, TokenBalance> preTokens = tokenBalances(meta.value("preTokenBalances"_L1).toArray());
    const QHash<int, TokenBalance> postTokens = tokenBalances(meta.value("postTokenBalances"_L1).toArray());
    const QSet<QString> writable(summary->writableAccounts.cbegin(), summary->writableAccounts.cend());

    QList<AccountDelta> out;
    for (qsizetype i = 0; i < keyCount; ++i) {
        const QString &account = summary->accountKeys.at(i);
        if (!writable.contains(account))
            continue;
        const quint64 preLamports = pre->at(i);
        const quint64 postLamports = post->at(i);
        if (preLamports == 0 && postLamports == 0)
            continue;
        std::optional<TokenBalance> preToken, postToken;
        if (const auto it = preTokens.constFind(int(i)); it != preTokens.cend())
            preToken = *it;
        if (const auto it = postTokens.constFind(int(i)); it != postTokens.cend())
            postToken = *it;
        const bool tokenChanged = (preToken ? preToken->amount : 0) != (postToken ? postToken->amount : 0);
        if (!summary->success && preLamports == postLamports && !tokenChanged)
            continue;

        AccountDelta delta;
        delta.account = account;
        if (preToken || postToken) {
            const TokenBalance &any = postToken ? *postToken : *preToken;
            delta.owner = any.programId.isEmpty() ? QString::fromLatin1(TokenProgramId) : any.programId;
        } else if (i == 0 || preLamports != postLamports) {
            delta.owner = QString::fromLatin1(SystemProgramId);
        }
        if (preLamports > 0)
            delta.pre = sideOf(preLamports, preToken);
        if (postLamports > 0)
            delta.post = sideOf(postLamports, postToken);
        out.append(std::move(delta));
    }
    return out;
}

QByteArray encodeAccountDiffResult(quint64 slot, const QString &signature, const AccountDelta &delta)
{
    QByteArray out;
    out.reserve(256 + 2 * 230);
    out += "{\"context\":{\"slot\":" + QByteArray::number(slot) + "},\"account\":\"" + delta.account.toLatin1()
           + "\",\"signature\":\"" + signature.toLatin1() + "\",\"pre\":";
    appendSide(out, delta.pre, delta.owner);
    out += ",\"post\":";
    appendSide(out, delta.post, delta.owner);
    out += '}';
    return out;
}

} // namespace SlotScope::Internal
