#include "protocol/transactiondetail.h"

#include "protocol/base58.h"
#include "protocol/knownprograms.h"
#include "protocol/rpcjson.h"
#include "protocol/solanaerrors.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

// One simdjson DOM walk of an EncodedConfirmedTransactionWithStatusMeta
// (fixtures README "Exact JSON shapes seen"; Solana Explorer's transaction
// page is what the result feeds). Runs once per transaction shown, so it
// favours completeness over speed.

namespace SlotScope {

using namespace Qt::StringLiterals;

namespace {

using namespace RpcJson;

Error fail(const QString &what)
{
    return makeError(u"Transaction detail: "_s + what);
}

std::optional<quint64> optionalU64(const object &o, std::string_view key)
{
    element e;
    uint64_t v = 0;
    if (present(o, key, e) && !e.get_uint64().get(v))
        return quint64(v);
    return std::nullopt;
}

/// True for a base58 text of 32–44 characters (a pubkey as RPC writes it).
bool looksLikeAddress(std::string_view text)
{
    if (text.size() < 32 || text.size() > 44)
        return false;
    for (char c : text) {
        const bool ok = (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') || (c >= 'J' && c <= 'N')
                || (c >= 'P' && c <= 'Z') || (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z');
        if (!ok)
            return false;
    }
    return true;
}

/// "transferChecked" → "Transfer Checked" (Explorer's instruction titles).
QString titleCase(const QString &camel)
{
    QString out;
    out.reserve(camel.size() + 4);
    for (qsizetype i = 0; i < camel.size(); ++i) {
        const QChar c = camel.at(i);
        if (i == 0) {
            out += c.toUpper();
            continue;
        }
        if (c.isUpper() && !camel.at(i - 1).isUpper())
            out += u' ';
        out += c;
    }
    return out;
}

// ---------------------------------------------------------------------------
// Decoding instruction data (little-endian, Solana's bincode / Borsh layouts)

class DataReader
{
public:
    explicit DataReader(const QByteArray &bytes) : m_bytes(bytes) {}

    bool atEnd() const { return m_pos >= m_bytes.size(); }
    qsizetype remaining() const { return m_bytes.size() - m_pos; }
    bool failed() const { return m_failed; }

    quint64 uint(int size)
    {
        if (m_failed || remaining() < size) {
            m_failed = true;
            return 0;
        }
        quint64 v = 0;
        for (int i = 0; i < size; ++i)
            v |= quint64(uchar(m_bytes.at(m_pos + i))) << (8 * i);
        m_pos += size;
        return v;
    }
    quint64 u8() { return uint(1); }
    quint64 u32() { return uint(4); }
    quint64 u64() { return uint(8); }

    QString pubkey()
    {
        if (m_failed || remaining() < 32) {
            m_failed = true;
            return {};
        }
        const QByteArray key = m_bytes.mid(m_pos, 32);
        m_pos += 32;
        return QString::fromLatin1(base58Encode(key));
    }

    /// bincode String: u64 length + UTF-8 bytes.
    QString string()
    {
        const quint64 length = u64();
        if (m_failed || quint64(remaining()) < length) {
            m_failed = true;
            return {};
        }
        const QString text = QString::fromUtf8(m_bytes.constData() + m_pos, qsizetype(length));
        m_pos += qsizetype(length);
        return text;
    }

private:
    const QByteArray &m_bytes;
    qsizetype m_pos = 0;
    bool m_failed = false;
};

struct Decoded
{
    QString type;
    QList<InstructionField> fields;
};

void addAccount(Decoded &d, const QStringList &accounts, int index, const QString &name)
{
    if (index < accounts.size())
        d.fields.append({name, accounts.at(index), true});
}

/// Names the instruction and its accounts in instruction order (the roles
/// solana-transaction-status gives them); an account the instruction lacks is skipped.
void typeAndAccounts(Decoded &d, const QStringList &accounts, const QString &type,
                     std::initializer_list<QLatin1StringView> roles)
{
    d.type = type;
    int index = 0;
    for (const QLatin1StringView role : roles)
        addAccount(d, accounts, index++, role);
}

void addNumber(Decoded &d, const QString &name, quint64 value)
{
    d.fields.append({name, QString::number(value), false});
}

// solana-transaction-status parse_system.rs names.
std::optional<Decoded> decodeSystem(const QByteArray &data, const QStringList &accounts)
{
    DataReader r(data);
    const quint64 tag = r.u32();
    Decoded d;
    switch (tag) {
    case 0: // CreateAccount { lamports, space, owner }
        typeAndAccounts(d, accounts, u"createAccount"_s, {"source"_L1, "newAccount"_L1});
        addNumber(d, u"lamports"_s, r.u64());
        addNumber(d, u"space"_s, r.u64());
        d.fields.append({u"owner"_s, r.pubkey(), true});
        break;
    case 1: // Assign { owner }
        typeAndAccounts(d, accounts, u"assign"_s, {"account"_L1});
        d.fields.append({u"owner"_s, r.pubkey(), true});
        break;
    case 2: // Transfer { lamports }
        typeAndAccounts(d, accounts, u"transfer"_s, {"source"_L1, "destination"_L1});
        addNumber(d, u"lamports"_s, r.u64());
        break;
    case 3: { // CreateAccountWithSeed { base, seed, lamports, space, owner }
        typeAndAccounts(d, accounts, u"createAccountWithSeed"_s, {"source"_L1, "newAccount"_L1});
        d.fields.append({u"base"_s, r.pubkey(), true});
        d.fields.append({u"seed"_s, r.string(), false});
        addNumber(d, u"lamports"_s, r.u64());
        addNumber(d, u"space"_s, r.u64());
        d.fields.append({u"owner"_s, r.pubkey(), true});
        break;
    }
    case 4:
        typeAndAccounts(d, accounts, u"advanceNonce"_s,
                        {"nonceAccount"_L1, "recentBlockhashesSysvar"_L1, "nonceAuthority"_L1});
        break;
    case 5:
        typeAndAccounts(d, accounts, u"withdrawFromNonce"_s,
                        {"nonceAccount"_L1, "destination"_L1, "recentBlockhashesSysvar"_L1, "rentSysvar"_L1,
                         "nonceAuthority"_L1});
        addNumber(d, u"lamports"_s, r.u64());
        break;
    case 6:
        typeAndAccounts(d, accounts, u"initializeNonce"_s,
                        {"nonceAccount"_L1, "recentBlockhashesSysvar"_L1, "rentSysvar"_L1});
        d.fields.append({u"nonceAuthority"_s, r.pubkey(), true});
        break;
    case 7:
        typeAndAccounts(d, accounts, u"authorizeNonce"_s, {"nonceAccount"_L1, "nonceAuthority"_L1});
        d.fields.append({u"newAuthorized"_s, r.pubkey(), true});
        break;
    case 8:
        typeAndAccounts(d, accounts, u"allocate"_s, {"account"_L1});
        addNumber(d, u"space"_s, r.u64());
        break;
    case 11: { // TransferWithSeed { lamports, from_seed, from_owner }
        typeAndAccounts(d, accounts, u"transferWithSeed"_s, {"source"_L1, "sourceBase"_L1, "destination"_L1});
        addNumber(d, u"lamports"_s, r.u64());
        d.fields.append({u"sourceSeed"_s, r.string(), false});
        d.fields.append({u"sourceOwner"_s, r.pubkey(), true});
        break;
    }
    case 12:
        typeAndAccounts(d, accounts, u"upgradeNonce"_s, {"nonceAccount"_L1});
        break;
    default:
        return std::nullopt;
    }
    if (r.failed())
        return std::nullopt;
    return d;
}

// solana-transaction-status parse_token.rs names (Token and Token-2022 share
// the base instructions): the accounts in order and what the data carries
// after the tag. InitializeAccount2/3 carry the owner between the accounts.
enum class TokenData { None, Amount, Checked }; // Checked: amount, then decimals (u8)

struct TokenInstruction
{
    quint64 tag;
    QLatin1StringView type;
    std::array<QLatin1StringView, 4> roles; ///< an empty view ends the list
    TokenData data = TokenData::None;
};

constexpr TokenInstruction kTokenInstructions[] = {
    {1, "initializeAccount"_L1, {"account"_L1, "mint"_L1, "owner"_L1, "rentSysvar"_L1}},
    {3, "transfer"_L1, {"source"_L1, "destination"_L1, "authority"_L1}, TokenData::Amount},
    {4, "approve"_L1, {"source"_L1, "delegate"_L1, "owner"_L1}, TokenData::Amount},
    {5, "revoke"_L1, {"source"_L1, "owner"_L1}},
    {7, "mintTo"_L1, {"mint"_L1, "account"_L1, "mintAuthority"_L1}, TokenData::Amount},
    {8, "burn"_L1, {"account"_L1, "mint"_L1, "authority"_L1}, TokenData::Amount},
    {9, "closeAccount"_L1, {"account"_L1, "destination"_L1, "owner"_L1}},
    {10, "freezeAccount"_L1, {"account"_L1, "mint"_L1, "freezeAuthority"_L1}},
    {11, "thawAccount"_L1, {"account"_L1, "mint"_L1, "freezeAuthority"_L1}},
    {12, "transferChecked"_L1, {"source"_L1, "mint"_L1, "destination"_L1, "authority"_L1}, TokenData::Checked},
    {13, "approveChecked"_L1, {"source"_L1, "mint"_L1, "delegate"_L1, "owner"_L1}, TokenData::Checked},
    {14, "mintToChecked"_L1, {"mint"_L1, "account"_L1, "mintAuthority"_L1}, TokenData::Checked},
    {15, "burnChecked"_L1, {"account"_L1, "mint"_L1, "authority"_L1}, TokenData::Checked},
    {17, "syncNative"_L1, {"account"_L1}},
};

std::optional<Decoded> decodeToken(const QByteArray &data, const QStringList &accounts)
{
    DataReader r(data);
    const quint64 tag = r.u8();
    Decoded d;
    if (tag == 16 || tag == 18) {
        typeAndAccounts(d, accounts, tag == 16 ? u"initializeAccount2"_s : u"initializeAccount3"_s,
                        {"account"_L1, "mint"_L1});
        d.fields.append({u"owner"_s, r.pubkey(), true});
        if (tag == 16)
            addAccount(d, accounts, 2, u"rentSysvar"_s);
    } else {
        const auto *ix = std::find_if(std::begin(kTokenInstructions), std::end(kTokenInstructions),
                                      [tag](const TokenInstruction &i) { return i.tag == tag; });
        if (ix == std::end(kTokenInstructions))
            return std::nullopt;
        d.type = ix->type;
        for (int i = 0; i < int(ix->roles.size()) && !ix->roles[i].isEmpty(); ++i)
            addAccount(d, accounts, i, ix->roles[i]);
        if (ix->data == TokenData::Amount) {
            addNumber(d, u"amount"_s, r.u64());
        } else if (ix->data == TokenData::Checked) {
            const quint64 raw = r.u64();
            const int decimals = int(r.u8());
            addNumber(d, u"tokenAmount.amount"_s, raw);
            addNumber(d, u"tokenAmount.decimals"_s, quint64(decimals));
            d.fields.append({u"tokenAmount.uiAmountString"_s, formatUnits(raw, decimals), false});
        }
    }
    if (r.failed())
        return std::nullopt;
    return d;
}

// solana-transaction-status parse_vote.rs names, for the two instructions
// that make up most vote traffic before 2022.
std::optional<Decoded> decodeVote(const QByteArray &data, const QStringList &accounts)
{
    DataReader r(data);
    const quint64 tag = r.u32();
    Decoded d;
    if (tag == 2) { // Vote(Vote { slots: Vec<u64>, hash: Hash, timestamp: Option<UnixTimestamp> })
        typeAndAccounts(d, accounts, u"vote"_s,
                        {"voteAccount"_L1, "slotHashesSysvar"_L1, "clockSysvar"_L1, "voteAuthority"_L1});
        const quint64 count = r.u64();
        if (r.failed() || count > quint64(r.remaining()) / 8)
            return std::nullopt;
        QStringList slotList;
        for (quint64 i = 0; i < count; ++i)
            slotList.append(QString::number(r.u64()));
        d.fields.append({u"vote.slots"_s, slotList.join(u", "_s), false});
        d.fields.append({u"vote.hash"_s, r.pubkey(), false});
        if (r.u8() == 1)
            d.fields.append({u"vote.timestamp"_s, QString::number(qint64(r.u64())), false});
        else
            d.fields.append({u"vote.timestamp"_s, u"null"_s, false});
    } else if (tag == 3) { // Withdraw(lamports)
        typeAndAccounts(d, accounts, u"withdraw"_s, {"voteAccount"_L1, "destination"_L1, "withdrawAuthority"_L1});
        addNumber(d, u"lamports"_s, r.u64());
    } else {
        return std::nullopt;
    }
    if (r.failed())
        return std::nullopt;
    return d;
}

// spl-associated-token-account: empty data (legacy) or a one-byte tag.
std::optional<Decoded> decodeAssociatedToken(const QByteArray &data, const QStringList &accounts)
{
    Decoded d;
    const int tag = data.isEmpty() ? 0 : uchar(data.at(0));
    if (data.size() > 1 || tag > 1)
        return std::nullopt;
    typeAndAccounts(d, accounts, tag == 0 ? u"create"_s : u"createIdempotent"_s,
                    {"source"_L1, "account"_L1, "wallet"_L1, "mint"_L1, "systemProgram"_L1, "tokenProgram"_L1});
    return d;
}

// Compute Budget: RPC never parses it; Explorer decodes it (ComputeBudgetDetailsCard).
// Each instruction is a tag and one or two little-endian integers of `width` bytes.
struct ComputeBudgetInstruction
{
    quint64 tag;
    QLatin1StringView type;
    std::array<QLatin1StringView, 2> fields; ///< an empty view ends the list
    int width;
};

constexpr ComputeBudgetInstruction kComputeBudgetInstructions[] = {
    {0, "requestUnits"_L1, {"units"_L1, "additionalFee"_L1}, 4},
    {1, "requestHeapFrame"_L1, {"bytes"_L1}, 4},
    {2, "setComputeUnitLimit"_L1, {"units"_L1}, 4},
    {3, "setComputeUnitPrice"_L1, {"microLamports"_L1}, 8},
    {4, "setLoadedAccountsDataSizeLimit"_L1, {"bytes"_L1}, 4},
};

std::optional<Decoded> decodeComputeBudget(const QByteArray &data)
{
    DataReader r(data);
    const quint64 tag = r.u8();
    const auto *ix = std::find_if(std::begin(kComputeBudgetInstructions), std::end(kComputeBudgetInstructions),
                                  [tag](const ComputeBudgetInstruction &i) { return i.tag == tag; });
    if (ix == std::end(kComputeBudgetInstructions))
        return std::nullopt;
    Decoded d;
    d.type = ix->type;
    for (const QLatin1StringView field : ix->fields) {
        if (!field.isEmpty())
            addNumber(d, field, r.uint(ix->width));
    }
    if (r.failed() || !r.atEnd())
        return std::nullopt;
    return d;
}

std::optional<Decoded> decodeInstruction(QStringView programId, const QString &dataBase58, const QStringList &accounts)
{
    const std::optional<QByteArray> data = base58Decode(dataBase58.toLatin1());
    if (!data)
        return std::nullopt;
    if (programId == QStringView(ProgramIds::ComputeBudget))
        return decodeComputeBudget(*data);
    if (programId == QStringView(ProgramIds::System))
        return decodeSystem(*data, accounts);
    if (programId == QStringView(ProgramIds::Token) || programId == QStringView(ProgramIds::Token2022))
        return decodeToken(*data, accounts);
    if (programId == QStringView(ProgramIds::AssociatedToken))
        return decodeAssociatedToken(*data, accounts);
    if (programId == QStringView(ProgramIds::Vote))
        return decodeVote(*data, accounts);
    if (programId == QStringView(ProgramIds::Memo) || programId == QStringView(ProgramIds::MemoV1)) {
        const QString text = QString::fromUtf8(*data);
        if (text.toUtf8() != *data)
            return std::nullopt;
        Decoded d;
        d.type = u"memo"_s;
        d.fields.append({u"memo"_s, text, false});
        return d;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------

/// `parsed.info` of a jsonParsed instruction, flattened: nested objects
/// become "outer.inner" names (tokenAmount.amount, …).
void flattenInfo(element value, const QString &prefix, QList<InstructionField> &out)
{
    object o;
    if (!value.get_object().get(o)) {
        for (auto [key, v] : o) {
            const QString name = prefix.isEmpty() ? toQString(key) : prefix + u'.' + toQString(key);
            flattenInfo(v, name, out);
        }
        return;
    }
    std::string_view text;
    if (!value.get_string().get(text)) {
        out.append({prefix, toQString(text), looksLikeAddress(text)});
        return;
    }
    array list;
    if (!value.get_array().get(list)) {
        // Arrays of addresses (multisig signers) read best one per line.
        QStringList items;
        bool allAddresses = list.size() > 0;
        for (element item : list) {
            std::string_view s;
            if (!item.get_string().get(s)) {
                items.append(toQString(s));
                allAddresses = allAddresses && looksLikeAddress(s);
            } else {
                items.append(QString::fromStdString(simdjson::minify(item)));
                allAddresses = false;
            }
        }
        if (allAddresses) {
            for (qsizetype i = 0; i < items.size(); ++i)
                out.append({prefix + u'[' + QString::number(i) + u']', items.at(i), true});
        } else {
            out.append({prefix, items.join(u", "_s), false});
        }
        return;
    }
    // Numbers, booleans, null: their JSON text (exact integers).
    out.append({prefix, QString::fromStdString(simdjson::minify(value)), false});
}

struct Parser
{
    TransactionDetail detail;
    QStringList keys;          // every account key, in index order
    bool parsedKeys = false;   // jsonParsed accountKeys objects

    std::optional<Error> readAccounts(object message, const object *meta);
    Result<DetailInstruction> readInstruction(element ix);
    std::optional<Error> readInstructions(object message, const object *meta);
    std::optional<Error> readMeta(object meta);
    void readTokenBalances(object meta);
};

std::optional<Error> Parser::readAccounts(object message, const object *meta)
{
    array accountKeys;
    if (message["accountKeys"].get_array().get(accountKeys) || accountKeys.size() == 0)
        return fail(u"message has no accountKeys"_s);
    qint64 required = 0, readonlySigned = 0, readonlyUnsigned = 0;
    object header;
    const bool haveHeader = !message["header"].get_object().get(header);
    if (haveHeader) {
        uint64_t v = 0;
        if (!header["numRequiredSignatures"].get_uint64().get(v))
            required = qint64(v);
        if (!header["numReadonlySignedAccounts"].get_uint64().get(v))
            readonlySigned = qint64(v);
        if (!header["numReadonlyUnsignedAccounts"].get_uint64().get(v))
            readonlyUnsigned = qint64(v);
    }
    for (element key : accountKeys) {
        DetailAccount account;
        std::string_view text;
        if (!key.get_string().get(text)) {
            account.pubkey = toQString(text);
        } else {
            object o;
            if (key.get_object().get(o) || o["pubkey"].get_string().get(text))
                return fail(u"accountKeys entry is neither a string nor {pubkey, …}"_s);
            parsedKeys = true;
            account.pubkey = toQString(text);
            bool flag = false;
            if (!o["signer"].get_bool().get(flag))
                account.signer = flag;
            if (!o["writable"].get_bool().get(flag))
                account.writable = flag;
            std::string_view source;
            if (!o["source"].get_string().get(source))
                account.fromLookupTable = source == "lookupTable";
        }
        detail.accounts.append(account);
    }
    if (!parsedKeys) {
        // Static keys: signers first; writable by the header's counts (Solana message rules).
        const qint64 staticCount = detail.accounts.size();
        for (qint64 i = 0; i < staticCount; ++i) {
            DetailAccount &a = detail.accounts[i];
            a.signer = i < required;
            a.writable = i < required ? i < required - readonlySigned : i < staticCount - readonlyUnsigned;
        }
        element loaded;
        if (meta && present(*meta, "loadedAddresses", loaded)) {
            for (const auto &[list, writable] : {std::pair{"writable", true}, std::pair{"readonly", false}}) {
                array keysOfKind;
                if (loaded[list].get_array().get(keysOfKind))
                    continue;
                for (element key : keysOfKind) {
                    std::string_view text;
                    if (key.get_string().get(text))
                        return fail(u"meta.loadedAddresses holds a non-string"_s);
                    DetailAccount a;
                    a.pubkey = toQString(text);
                    a.writable = writable;
                    a.fromLookupTable = true;
                    detail.accounts.append(a);
                }
            }
        }
    }
    detail.accounts[0].feePayer = true;
    for (const DetailAccount &a : std::as_const(detail.accounts))
        keys.append(a.pubkey);
    return std::nullopt;
}

Result<DetailInstruction> Parser::readInstruction(element ix)
{
    DetailInstruction out;
    element field;
    std::string_view text;
    if (present(ix, "programId", field)) {
        if (field.get_string().get(text))
            return fail(u"instruction programId is not a string"_s);
        out.programId = toQString(text);
    } else {
        uint64_t index = 0;
        if (!present(ix, "programIdIndex", field) || field.get_uint64().get(index))
            return fail(u"instruction has neither programId nor programIdIndex"_s);
        if (index >= uint64_t(keys.size()))
            return fail(u"programIdIndex %1 is outside the %2 account keys"_s.arg(index).arg(keys.size()));
        out.programId = keys.at(qsizetype(index));
    }
    out.programName = programDisplayName(out.programId);
    if (present(ix, "stackHeight", field)) {
        uint64_t height = 0;
        if (!field.get_uint64().get(height))
            out.stackHeight = int(height);
    }
    if (present(ix, "parsed", field)) {
        // jsonParsed: {type, info} — or a bare string (spl-memo).
        if (!field.get_string().get(text)) {
            out.parsedType = u"memo"_s;
            out.fields.append({u"memo"_s, toQString(text), false});
        } else {
            object parsed;
            if (!field.get_object().get(parsed)) {
                if (!parsed["type"].get_string().get(text))
                    out.parsedType = toQString(text);
                element info;
                if (present(parsed, "info", info))
                    flattenInfo(info, QString(), out.fields);
            }
        }
        return out;
    }
    array accounts;
    if (present(ix, "accounts", field) && !field.get_array().get(accounts)) {
        for (element a : accounts) {
            uint64_t index = 0;
            if (!a.get_string().get(text)) {
                out.accounts.append(toQString(text));
            } else if (!a.get_uint64().get(index)) {
                if (index >= uint64_t(keys.size()))
                    return fail(u"instruction account index %1 is outside the %2 account keys"_s.arg(index).arg(keys.size()));
                out.accounts.append(keys.at(qsizetype(index)));
            }
        }
    }
    if (present(ix, "data", field) && !field.get_string().get(text))
        out.data = toQString(text);
    if (auto decoded = decodeInstruction(out.programId, out.data, out.accounts)) {
        out.parsedType = decoded->type;
        out.fields = decoded->fields;
        out.decodedHere = true;
    }
    return out;
}

/// Nests a top-level instruction's inner instructions by stackHeight: an
/// instruction of height h + 1 belongs to the last one of height h. Without
/// heights (older payloads) they all hang directly below the top-level one.
void nest(DetailInstruction &top, QList<DetailInstruction> inner)
{
    QList<DetailInstruction *> chain{&top};
    const int topHeight = top.stackHeight.value_or(1);
    for (DetailInstruction &ix : inner) {
        if (!ix.stackHeight) {
            top.inner.append(std::move(ix));
            continue;
        }
        const int depth = qMax(1, *ix.stackHeight - topHeight);
        while (chain.size() > depth)
            chain.removeLast();
        DetailInstruction *parent = chain.constLast();
        parent->inner.append(std::move(ix));
        // The chain keeps pointers into lists that only grow at their end
        // while their owner is the chain's last element.
        chain.append(&parent->inner.last());
    }
}

std::optional<Error> Parser::readInstructions(object message, const object *meta)
{
    array instructions;
    if (message["instructions"].get_array().get(instructions))
        return fail(u"message has no instructions array"_s);
    for (element ix : instructions) {
        Result<DetailInstruction> parsed = readInstruction(ix);
        if (!parsed)
            return parsed.error();
        detail.instructions.append(std::move(*parsed));
    }
    for (DetailInstruction &ix : detail.instructions) {
        for (DetailAccount &a : detail.accounts) {
            if (a.pubkey == ix.programId)
                a.program = true;
        }
    }
    element innerList;
    if (!meta || !present(*meta, "innerInstructions", innerList))
        return std::nullopt;
    array groups;
    if (innerList.get_array().get(groups))
        return fail(u"meta.innerInstructions is not an array"_s);
    detail.innerInstructionsPresent = true;
    std::map<quint64, QList<DetailInstruction>> byIndex;
    for (element group : groups) {
        uint64_t index = 0;
        array list;
        if (group["index"].get_uint64().get(index) || group["instructions"].get_array().get(list))
            return fail(u"innerInstructions entry without index or instructions"_s);
        for (element ix : list) {
            Result<DetailInstruction> parsed = readInstruction(ix);
            if (!parsed)
                return parsed.error();
            byIndex[index].append(std::move(*parsed));
        }
    }
    for (auto &[index, inner] : byIndex) {
        if (index >= quint64(detail.instructions.size()))
            return fail(u"inner instructions for instruction %1 of %2"_s.arg(index).arg(detail.instructions.size()));
        nest(detail.instructions[qsizetype(index)], std::move(inner));
    }
    return std::nullopt;
}

void Parser::readTokenBalances(object meta)
{
    std::map<quint64, std::pair<std::optional<TokenBalanceEntry>, std::optional<TokenBalanceEntry>>> byIndex;
    for (const auto &[key, isPost] : {std::pair{"preTokenBalances", false}, std::pair{"postTokenBalances", true}}) {
        element list;
        array entries;
        if (!present(meta, key, list) || list.get_array().get(entries))
            continue;
        for (element entry : entries) {
            TokenBalanceEntry side;
            if (readTokenBalance(entry, side))
                (isPost ? byIndex[side.accountIndex].second : byIndex[side.accountIndex].first) = side;
        }
    }
    for (const auto &[index, sides] : byIndex) {
        const TokenBalanceEntry &info = sides.second ? *sides.second : *sides.first;
        DetailTokenBalance b;
        b.accountIndex = int(index);
        b.account = index < quint64(keys.size()) ? keys.at(qsizetype(index)) : QString();
        b.mint = toQString(info.mint);
        b.owner = toQString(info.owner.empty() && sides.first ? sides.first->owner : info.owner);
        b.programId = toQString(info.programId);
        b.decimals = info.decimals;
        // A side that is absent means the account did not exist: 0 (Explorer's rule).
        b.preAmount = sides.first ? sides.first->amount : std::optional<quint64>(0);
        b.postAmount = sides.second ? sides.second->amount : std::optional<quint64>(0);
        detail.tokenBalances.append(b);
    }
}

std::optional<Error> Parser::readMeta(object meta)
{
    element err;
    if (transactionError(meta, err)) {
        detail.success = false;
        detail.errorJson = QByteArray::fromStdString(simdjson::minify(err));
        detail.error = Internal::transactionErrorText(err);
        array ie;
        uint64_t index = 0;
        if (!err["InstructionError"].get_array().get(ie) && ie.size() == 2 && !ie.at(0).get_uint64().get(index)) {
            detail.failedInstruction = int(index);
            detail.instructionError = Internal::instructionErrorText(ie.at(1).value_unsafe());
        }
    }
    detail.fee = optionalU64(meta, "fee").value_or(0);
    detail.computeUnitsConsumed = optionalU64(meta, "computeUnitsConsumed");
    detail.costUnits = optionalU64(meta, "costUnits");

    array pre, post;
    element field;
    if (present(meta, "preBalances", field) && !field.get_array().get(pre)) {
        qsizetype i = 0;
        for (element v : pre) {
            uint64_t lamports = 0;
            if (i < detail.accounts.size() && !v.get_uint64().get(lamports))
                detail.accounts[i].preLamports = lamports;
            ++i;
        }
    }
    if (present(meta, "postBalances", field) && !field.get_array().get(post)) {
        qsizetype i = 0;
        for (element v : post) {
            uint64_t lamports = 0;
            if (i < detail.accounts.size() && !v.get_uint64().get(lamports))
                detail.accounts[i].postLamports = lamports;
            ++i;
        }
    }
    readTokenBalances(meta);

    QStringList logs;
    if (present(meta, "logMessages", field)) {
        array list;
        if (field.get_array().get(list))
            return fail(u"meta.logMessages is not an array"_s);
        detail.logsPresent = true;
        for (element line : list) {
            std::string_view text;
            if (!line.get_string().get(text))
                logs.append(toQString(text));
        }
        detail.logs = parseProgramLogs(logs);
    }
    if (present(meta, "returnData", field)) {
        std::string_view text;
        array data;
        if (!field["programId"].get_string().get(text))
            detail.returnDataProgramId = toQString(text);
        if (!field["data"].get_array().get(data) && data.size() >= 1 && !data.at(0).get_string().get(text))
            detail.returnData = QByteArray::fromBase64(QByteArray(text.data(), qsizetype(text.size())));
    }
    return std::nullopt;
}

void collectComputeBudget(const QList<DetailInstruction> &instructions, TransactionDetail &detail)
{
    for (const DetailInstruction &ix : instructions) {
        if (ix.programId != QStringView(ProgramIds::ComputeBudget) || ix.fields.isEmpty())
            continue;
        if (ix.parsedType == u"setComputeUnitLimit")
            detail.computeUnitLimit = ix.fields.constFirst().value.toULongLong();
        else if (ix.parsedType == u"setComputeUnitPrice")
            detail.computeUnitPriceMicroLamports = ix.fields.constFirst().value.toULongLong();
    }
}

void markFailed(TransactionDetail &detail)
{
    if (detail.failedInstruction && *detail.failedInstruction < detail.instructions.size())
        detail.instructions[*detail.failedInstruction].failed = true;
}

int countInstructions(const QList<DetailInstruction> &list)
{
    int n = 0;
    for (const DetailInstruction &ix : list)
        n += 1 + countInstructions(ix.inner);
    return n;
}

} // namespace

SignedAmount SignedAmount::difference(quint64 post, quint64 pre)
{
    return post >= pre ? SignedAmount{post - pre, false} : SignedAmount{pre - post, true};
}

QString SignedAmount::toString(int decimals) const
{
    if (magnitude == 0)
        return u"0"_s;
    return (negative ? u"-"_s : u"+"_s) + formatUnits(magnitude, decimals);
}

QString formatUnits(quint64 raw, int decimals)
{
    if (decimals <= 0)
        return QString::number(raw);
    // On the digits, not by division: a mint's decimals are a u8, and 10^20
    // and beyond do not fit a u64.
    QString digits = QString::number(raw);
    if (digits.size() <= decimals)
        digits.prepend(QString(decimals - digits.size() + 1, u'0'));
    QString whole = digits.left(digits.size() - decimals);
    QString fraction = digits.right(decimals);
    while (fraction.endsWith(u'0'))
        fraction.chop(1);
    return fraction.isEmpty() ? whole : whole + u'.' + fraction;
}

SignedAmount DetailAccount::delta() const
{
    if (!preLamports || !postLamports)
        return {};
    return SignedAmount::difference(*postLamports, *preLamports);
}

SignedAmount DetailTokenBalance::delta() const
{
    if (!preAmount || !postAmount)
        return {};
    return SignedAmount::difference(*postAmount, *preAmount);
}

QString DetailInstruction::title() const
{
    if (parsedType.isEmpty())
        return programName;
    return programName + u": "_s + titleCase(parsedType);
}

const DetailAccount *TransactionDetail::account(const QString &pubkey) const
{
    for (const DetailAccount &a : accounts) {
        if (a.pubkey == pubkey)
            return &a;
    }
    return nullptr;
}

int TransactionDetail::instructionCount() const
{
    return countInstructions(instructions);
}

QList<DetailLogLine> parseProgramLogs(const QStringList &logs)
{
    static const QRegularExpression invoke(u"^Program (\\w+) invoke \\[(\\d+)\\]$"_s);
    static const QRegularExpression success(u"^Program (\\w+) success$"_s);
    static const QRegularExpression failed(u"^Program (\\w+) failed"_s);
    static const QRegularExpression consumed(u"^Program (\\w+) consumed \\d+ of \\d+ compute units$"_s);
    QList<DetailLogLine> out;
    out.reserve(logs.size());
    int depth = 0;
    int instruction = -1;
    for (const QString &text : logs) {
        DetailLogLine line;
        line.text = text;
        QRegularExpressionMatch m;
        if ((m = invoke.match(text)).hasMatch()) {
            line.kind = DetailLogLine::Kind::Invoke;
            line.programId = m.captured(1);
            depth = qMax(1, m.captured(2).toInt());
            if (depth == 1)
                ++instruction;
            line.depth = depth;
        } else if ((m = success.match(text)).hasMatch()) {
            line.kind = DetailLogLine::Kind::Success;
            line.programId = m.captured(1);
            line.depth = depth;
            depth = qMax(0, depth - 1);
        } else if ((m = failed.match(text)).hasMatch()) {
            line.kind = DetailLogLine::Kind::Failed;
            line.programId = m.captured(1);
            line.depth = depth;
            depth = qMax(0, depth - 1);
        } else {
            if ((m = consumed.match(text)).hasMatch()) {
                line.kind = DetailLogLine::Kind::Consumed;
                line.programId = m.captured(1);
            } else if (text.startsWith(u"Program log:")) {
                line.kind = DetailLogLine::Kind::Log;
            } else if (text.startsWith(u"Program data:")) {
                line.kind = DetailLogLine::Kind::Data;
            } else if (text.startsWith(u"Program return:")) {
                line.kind = DetailLogLine::Kind::Return;
            } else if (text.startsWith(u"Log truncated")) {
                line.kind = DetailLogLine::Kind::Truncated;
            }
            line.depth = qMax(depth, 1);
        }
        line.instruction = instruction;
        out.append(line);
    }
    return out;
}

Result<TransactionDetail> parseTransactionDetail(QByteArrayView json)
{
    simdjson::dom::parser parser;
    const simdjson::padded_string input(json.data(), size_t(json.size()));
    element root;
    if (const auto error = parser.parse(input).get(root))
        return fail(u"malformed JSON (%1)"_s.arg(QString::fromUtf8(simdjson::error_message(error))));
    object tx;
    if (root.get_object().get(tx))
        return fail(u"not a JSON object"_s);
    element field;
    if (tx.at_key("transaction").error()) {
        // A JSON-RPC envelope {"jsonrpc", "result", "id"}.
        if (tx.at_key("result").get(field) || field.get_object().get(tx))
            return fail(u"neither a transaction nor a JSON-RPC response with a result"_s);
    }

    Parser p;
    TransactionDetail &d = p.detail;
    if (auto slot = optionalU64(tx, "slot"))
        d.slot = *slot;
    if (present(tx, "blockTime", field)) {
        int64_t t = 0;
        if (!field.get_int64().get(t))
            d.blockTime = t;
    }
    if (present(tx, "version", field))
        d.version = versionText(field).value_or(d.version);
    d.transactionIndex = optionalU64(tx, "transactionIndex");

    object meta;
    const bool haveMeta = present(tx, "meta", field) && !field.get_object().get(meta);
    object transaction;
    if (!present(tx, "transaction", field))
        return fail(u"missing transaction"_s);
    if (field.get_object().get(transaction))
        return fail(u"the transaction is binary-encoded; only json and jsonParsed transactions are shown in detail"_s);

    array signatures;
    if (transaction["signatures"].get_array().get(signatures) || signatures.size() == 0)
        return fail(u"transaction has no signatures"_s);
    for (element s : signatures) {
        std::string_view text;
        if (!s.get_string().get(text))
            d.signatures.append(toQString(text));
    }
    if (d.signatures.isEmpty() || d.signatures.constFirst().isEmpty())
        return fail(u"transaction has no signatures"_s);
    d.signature = d.signatures.constFirst();

    object message;
    if (transaction["message"].get_object().get(message))
        return fail(u"transaction has no message object"_s);
    std::string_view blockhash;
    if (!message["recentBlockhash"].get_string().get(blockhash))
        d.recentBlockhash = toQString(blockhash);

    if (auto error = p.readAccounts(message, haveMeta ? &meta : nullptr))
        return *error;
    if (auto error = p.readInstructions(message, haveMeta ? &meta : nullptr))
        return *error;
    if (haveMeta) {
        if (auto error = p.readMeta(meta))
            return *error;
    }
    collectComputeBudget(d.instructions, d);
    markFailed(d);
    return std::move(p.detail);
}

} // namespace SlotScope
