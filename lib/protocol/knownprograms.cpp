#include "protocol/knownprograms.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace SlotScope {

namespace {

struct Entry
{
    const char16_t *address;
    const char16_t *name;
};

// Names as Solana Explorer writes them (PROGRAM_NAMES, LOADER_IDS, SYSVAR_IDS);
// the DeFi programs below the line are not in Explorer's static list (it names
// them from on-chain IDLs) and carry their projects' own names.
constexpr Entry entries[] = {
    {ProgramIds::System, u"System Program"},
    {ProgramIds::Token, u"Token Program"},
    {ProgramIds::Token2022, u"Token-2022 Program"},
    {ProgramIds::AssociatedToken, u"Associated Token Program"},
    {ProgramIds::ComputeBudget, u"Compute Budget Program"},
    {ProgramIds::Memo, u"Memo Program"},
    {ProgramIds::MemoV1, u"Memo Program v1"},
    {ProgramIds::Vote, u"Vote Program"},
    {u"Stake11111111111111111111111111111111111111", u"Stake Program"},
    {u"Config1111111111111111111111111111111111111", u"Config Program"},
    {u"AddressLookupTab1e1111111111111111111111111", u"Address Lookup Table Program"},
    {u"Ed25519SigVerify111111111111111111111111111", u"Ed25519 SigVerify Precompile"},
    {u"KeccakSecp256k11111111111111111111111111111", u"Secp256k1 SigVerify Precompile"},
    {u"BPFLoader1111111111111111111111111111111111", u"BPF Loader"},
    {u"BPFLoader2111111111111111111111111111111111", u"BPF Loader 2"},
    {u"BPFLoaderUpgradeab1e11111111111111111111111", u"BPF Upgradeable Loader"},
    {u"NativeLoader1111111111111111111111111111111", u"Native Loader"},
    {u"SPoo1Ku8WFXoNDMHPsrGSTSG1Y47rzgn41SLUNakuHy", u"Stake Pool Program"},
    {u"metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s", u"Token Metadata Program"},
    {u"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", u"Serum Dex Program v3"},
    {u"srmqPvymJeFKQ4zGQed1GFppgkRHL9kaELCbyksJtPX", u"OpenBook Dex"},
    {u"FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH", u"Pyth Oracle Program"},
    {u"675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8", u"Raydium AMM Program"},
    {u"So1endDq2YkqhipRh3WViPa8hdiSpxWy6z3Z6tMCpAo", u"Solend Program"},
    {u"MarBmsSgKXdrN1egZf5sqe1TMai9K1rChYNDJgjq7aD", u"Marinade Staking Program"},
    {u"Sysvar1nstructions1111111111111111111111111", u"Sysvar: Instructions"},
    {u"SysvarC1ock11111111111111111111111111111111", u"Sysvar: Clock"},
    {u"SysvarEpochSchedu1e111111111111111111111111", u"Sysvar: Epoch Schedule"},
    {u"SysvarFees111111111111111111111111111111111", u"Sysvar: Fees"},
    {u"SysvarRecentB1ockHashes11111111111111111111", u"Sysvar: Recent Blockhashes"},
    {u"SysvarRent111111111111111111111111111111111", u"Sysvar: Rent"},
    {u"SysvarRewards111111111111111111111111111111", u"Sysvar: Rewards"},
    {u"SysvarS1otHashes111111111111111111111111111", u"Sysvar: Slot Hashes"},
    {u"SysvarS1otHistory11111111111111111111111111", u"Sysvar: Slot History"},
    {u"SysvarStakeHistory1111111111111111111111111", u"Sysvar: Stake History"},
    // ---
    {ProgramIds::JupiterV6, u"Jupiter Aggregator v6"},
    {u"JUP4Fb2cqiRUcaTHdrPC8h2gNsA2ETXiPDD33WcGuJB", u"Jupiter Aggregator v4"},
    {u"JUP3c2Uh3WA4Ng34tw6kPd2G4C5BB21Xo36Je1s32Ph", u"Jupiter Aggregator v3"},
    {u"JUP2jxvXaqu7NQY1GmNF4m1vodw12LVXYxbFL2uJvfo", u"Jupiter Aggregator v2"},
    {u"PERPHjGBqRHArX4DySjwM6UJHiR3sWAatqfdBS2qQJu", u"Jupiter Perpetuals"},
    {u"whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc", u"Orca Whirlpool"},
    {u"CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK", u"Raydium CLMM"},
    {u"CPMMoo8L3F4NbTegBCKVNunggL7H1ZpdTHKxQB5qKP1C", u"Raydium CPMM"},
    {u"LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo", u"Meteora DLMM"},
    {u"Eo7WjKq67rjJQSZxS6z3YkapzY3eMj6Xy8X5EQVn5UaB", u"Meteora Pools"},
    {u"PhoeNiXZ8ByJGLkxNfZRnkUfjvmuYqLR89jjFHGqdXY", u"Phoenix"},
};

const QHash<QStringView, QString> &table()
{
    static const QHash<QStringView, QString> names = [] {
        QHash<QStringView, QString> h;
        for (const Entry &e : entries)
            h.insert(QStringView(e.address), QString::fromUtf16(e.name));
        return h;
    }();
    return names;
}

} // namespace

QString knownProgramName(QStringView address)
{
    return table().value(address);
}

QString shortAddress(QStringView address)
{
    if (address.size() <= 10)
        return address.toString();
    return address.left(4).toString() + u'…' + address.right(4).toString();
}

QString programDisplayName(QStringView address)
{
    const QString name = knownProgramName(address);
    return name.isEmpty() ? shortAddress(address) : name;
}

} // namespace SlotScope
