#include "protocol/transactionsummary.h"
#include "protocol/base58.h"
#include "protocol/jsonencoding.h"
#include "protocol/rpcjson.h"
#include "protocol/solanaerrors.h"

#include <algorithm>
#include <cstring>
#include <vector>

// One pass over a simdjson DOM of an EncodedConfirmedTransactionWithStatusMeta
// (PROTOCOL.md §5.5, fixtures README "Exact JSON shapes seen"). The parser, the
// padded input buffer and the scratch vectors live in Private and are reused,
// so a call allocates only the strings of the summary it returns.

namespace SlotScope {

using namespace Qt::StringLiterals;

namespace {

using namespace RpcJson;

struct MessageHeader
{
    qint64 numRequiredSignatures = 0;
    qint64 numReadonlySignedAccounts = 0;
    qint64 numReadonlyUnsignedAccounts = 0;
};

Error fail(const QString &what)
{
    return makeError(u"Transaction summary: "_s + what);
}


/// Static keys of a message are writable by position: the first
/// numRequiredSignatures − numReadonlySignedAccounts signers, and the unsigned
/// keys before the last numReadonlyUnsignedAccounts (Solana message header rules).
bool isWritableByHeader(qint64 index, qint64 staticCount, const MessageHeader &header)
{
    if (index < header.numRequiredSignatures)
        return index < header.numRequiredSignatures - header.numReadonlySignedAccounts;
    return index < staticCount - header.numReadonlyUnsignedAccounts;
}

/// Cursor over Solana's wire (bincode + compact-u16) encoding.
class WireReader
{
public:
    explicit WireReader(QByteArrayView bytes)
        : m_pos(reinterpret_cast<const uchar *>(bytes.data())), m_end(m_pos + bytes.size())
    {}

    bool failed() const { return m_failed; }
    bool atEnd() const { return m_pos == m_end; }

    uint8_t byte()
    {
        if (!need(1))
            return 0;
        return *m_pos++;
    }

    // Solana's ShortVec length: 7 bits per byte, at most 3 bytes, at most 0xffff.
    uint32_t compactU16()
    {
        uint32_t value = 0;
        for (int i = 0; i < 3; ++i) {
            const uint8_t b = byte();
            if (m_failed)
                return 0;
            value |= uint32_t(b & 0x7f) << (7 * i);
            if (!(b & 0x80))
                return value <= 0xffff ? value : fail();
        }
        return fail();
    }

    QByteArrayView take(qsizetype n)
    {
        if (!need(n))
            return {};
        const auto *start = m_pos;
        m_pos += n;
        return QByteArrayView(start, n);
    }

private:
    bool need(qsizetype n)
    {
        if (m_failed || m_end - m_pos < n)
            m_failed = true;
        return !m_failed;
    }
    uint32_t fail()
    {
        m_failed = true;
        return 0;
    }

    const uchar *m_pos;
    const uchar *m_end;
    bool m_failed = false;
};

} // namespace

struct TransactionSummarizer::Private
{
    Result<TransactionSummary> summarize(QByteArrayView json, bool inPlace);

    std::optional<Error> readJsonMessage(element transaction, TransactionSummary &summary,
                                         MessageHeader &header, bool &parsedKeys);
    std::optional<Error> readBinaryTransaction(element transaction, TransactionSummary &summary,
                                               MessageHeader &header);
    std::optional<Error> readLoadedAddresses(object meta, TransactionSummary &summary);
    std::optional<Error> addInstructionProgram(element instruction, TransactionSummary &summary);
    std::optional<Error> readTokenBalances(element list, std::vector<TokenBalanceEntry> &out);
    std::optional<Error> readMeta(object meta, TransactionSummary &summary);
    void addProgram(std::string_view programId, TransactionSummary &summary);
    void addProgram(const QString &programId, TransactionSummary &summary);

    // The current transaction's account keys: QStrings in summary.accountKeys
    // (Full detail, binary transactions), or views into the parsed document
    // (Ingest detail, JSON transactions), made QStrings only where a summary
    // field needs one (fee payer, programs, changed accounts).
    qsizetype keyCount(const TransactionSummary &summary) const
    {
        return keysAsViews ? qsizetype(keyViews.size()) : summary.accountKeys.size();
    }
    QString keyAt(const TransactionSummary &summary, qsizetype i) const
    {
        return keysAsViews ? QString::fromUtf8(keyViews[std::size_t(i)].data(), qsizetype(keyViews[std::size_t(i)].size()))
                           : summary.accountKeys.at(i);
    }
    void addKey(std::string_view key, bool writable, TransactionSummary &summary)
    {
        if (keysAsViews) {
            keyViews.push_back(key);
            return;
        }
        summary.accountKeys.append(QString::fromUtf8(key.data(), qsizetype(key.size())));
        if (writable)
            summary.writableAccounts.append(summary.accountKeys.constLast());
    }

    TransactionSummarizer::Detail detail = TransactionSummarizer::Detail::Full;
    bool keysAsViews = false;
    std::vector<std::string_view> keyViews;
    std::vector<std::string_view> programViews; ///< programs added from the document's text

    simdjson::dom::parser parser;
    std::unique_ptr<char[]> buffer;
    std::size_t capacity = 0;

    // Reused scratch space.
    std::vector<TokenBalanceEntry> preTokens;
    std::vector<TokenBalanceEntry> postTokens;
    std::vector<uint8_t> binaryProgramIndexes;
    uint64_t lookupWritableCount = 0;
    uint64_t lookupReadonlyCount = 0;
};

void TransactionSummarizer::Private::addProgram(const QString &programId, TransactionSummary &summary)
{
    if (!summary.programIds.contains(programId))
        summary.programIds.append(programId);
}

void TransactionSummarizer::Private::addProgram(std::string_view programId, TransactionSummary &summary)
{
    // A transaction names the same few programs in most of its instructions:
    // equal bytes are the same program, without building a QString per
    // instruction (issue 11). Compared as text (UTF-8 decoded) otherwise.
    if (std::find(programViews.begin(), programViews.end(), programId) != programViews.end())
        return;
    programViews.push_back(programId);
    const QString id = toQString(programId);
    if (summary.programIds.contains(id))
        return;
    // Share the account key's string when the program is one of the keys (it always is).
    for (const QString &key : std::as_const(summary.accountKeys)) {
        if (key == id) {
            summary.programIds.append(key);
            return;
        }
    }
    summary.programIds.append(id);
}

std::optional<Error> TransactionSummarizer::Private::addInstructionProgram(element instruction,
                                                                          TransactionSummary &summary)
{
    element field;
    std::string_view programId;
    if (present(instruction, "programId", field)) {
        if (field.get_string().get(programId))
            return fail(u"instruction programId is not a string"_s);
        addProgram(programId, summary);
        return std::nullopt;
    }
    uint64_t index = 0;
    if (!present(instruction, "programIdIndex", field) || field.get_uint64().get(index))
        return fail(u"instruction has neither programId nor programIdIndex"_s);
    if (index >= uint64_t(keyCount(summary)))
        return fail(u"programIdIndex %1 is outside the %2 account keys"_s.arg(index).arg(keyCount(summary)));
    if (keysAsViews)
        addProgram(keyViews[std::size_t(index)], summary);
    else
        addProgram(summary.accountKeys.at(qsizetype(index)), summary);
    return std::nullopt;
}

std::optional<Error> TransactionSummarizer::Private::readJsonMessage(element transaction,
                                                                    TransactionSummary &summary,
                                                                    MessageHeader &header, bool &parsedKeys)
{
    array signatures;
    std::string_view signature;
    if (transaction["signatures"].get_array().get(signatures) || signatures.size() == 0
        || (*signatures.begin()).get_string().get(signature) || signature.empty()) {
        return fail(u"transaction has no signatures"_s);
    }
    summary.signature = toQString(signature);

    object message;
    if (transaction["message"].get_object().get(message))
        return fail(u"transaction has no message object"_s);

    array keys;
    if (message["accountKeys"].get_array().get(keys) || keys.size() == 0)
        return fail(u"message has no accountKeys"_s);
    if (keysAsViews)
        keyViews.reserve(keys.size());
    else
        summary.accountKeys.reserve(qsizetype(keys.size()));
    bool stringKeys = false;
    for (element key : keys) {
        std::string_view text;
        if (!key.get_string().get(text)) {
            if (parsedKeys)
                return fail(u"accountKeys mixes strings and objects"_s);
            stringKeys = true;
            addKey(text, false, summary);
            continue;
        }
        // jsonParsed: {pubkey, signer, writable, source}
        bool writable = false;
        if (stringKeys || key["pubkey"].get_string().get(text) || key["writable"].get_bool().get(writable))
            return fail(u"accountKeys entry is neither a string nor {pubkey, writable}"_s);
        parsedKeys = true;
        addKey(text, writable, summary);
    }

    if (!parsedKeys) {
        object headerObject;
        uint64_t required = 0, readonlySigned = 0, readonlyUnsigned = 0;
        if (message["header"].get_object().get(headerObject)
            || headerObject["numRequiredSignatures"].get_uint64().get(required)
            || headerObject["numReadonlySignedAccounts"].get_uint64().get(readonlySigned)
            || headerObject["numReadonlyUnsignedAccounts"].get_uint64().get(readonlyUnsigned)) {
            return fail(u"message header is missing or incomplete"_s);
        }
        header = {qint64(std::min<uint64_t>(required, 0xff)), qint64(std::min<uint64_t>(readonlySigned, 0xff)),
                  qint64(std::min<uint64_t>(readonlyUnsigned, 0xff))};
    }
    return std::nullopt;
}

std::optional<Error> TransactionSummarizer::Private::readBinaryTransaction(element transaction,
                                                                          TransactionSummary &summary,
                                                                          MessageHeader &header)
{
    // ["<data>", "base64" | "base58"]
    array pair;
    std::string_view data, encoding;
    if (transaction.get_array().get(pair) || pair.size() != 2 || pair.at(0).get_string().get(data)
        || pair.at(1).get_string().get(encoding)) {
        return fail(u"binary transaction is not [\"<data>\", \"<encoding>\"]"_s);
    }
    QByteArray wire;
    if (encoding == "base64") {
        auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromRawData(data.data(), qsizetype(data.size())),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(u"transaction data is not valid base64"_s);
        wire = std::move(*decoded);
    } else if (encoding == "base58") {
        auto decoded = base58Decode(QByteArrayView(data.data(), qsizetype(data.size())));
        if (!decoded)
            return fail(u"transaction data is not valid base58"_s);
        wire = std::move(*decoded);
    } else {
        return fail(u"unsupported transaction encoding \"%1\""_s.arg(toQString(encoding)));
    }

    WireReader reader(wire);
    const uint32_t signatureCount = reader.compactU16();
    if (reader.failed() || signatureCount == 0)
        return fail(u"transaction has no signatures"_s);
    const QByteArrayView firstSignature = reader.take(64);
    reader.take(qsizetype(signatureCount - 1) * 64);

    const uint8_t prefix = reader.byte();
    const bool versioned = prefix & 0x80;
    if (versioned && (prefix & 0x7f) != 0)
        return fail(u"unsupported message version %1"_s.arg(prefix & 0x7f));
    header.numRequiredSignatures = versioned ? reader.byte() : prefix;
    header.numReadonlySignedAccounts = reader.byte();
    header.numReadonlyUnsignedAccounts = reader.byte();

    const uint32_t keyCount = reader.compactU16();
    if (reader.failed() || keyCount == 0)
        return fail(u"truncated or empty message account keys"_s);
    summary.accountKeys.reserve(qsizetype(keyCount));
    for (uint32_t i = 0; i < keyCount && !reader.failed(); ++i) {
        const QByteArrayView key = reader.take(32);
        if (!reader.failed())
            summary.accountKeys.append(QString::fromLatin1(base58Encode(key)));
    }
    reader.take(32); // recent blockhash

    binaryProgramIndexes.clear();
    const uint32_t instructionCount = reader.compactU16();
    for (uint32_t i = 0; i < instructionCount && !reader.failed(); ++i) {
        binaryProgramIndexes.push_back(reader.byte());
        reader.take(reader.compactU16()); // account indexes, one byte each
        reader.take(reader.compactU16()); // instruction data
    }

    if (versioned) {
        const uint32_t lookupCount = reader.compactU16();
        for (uint32_t i = 0; i < lookupCount && !reader.failed(); ++i) {
            reader.take(32); // table address
            const uint32_t writable = reader.compactU16();
            reader.take(writable);
            const uint32_t readonly = reader.compactU16();
            reader.take(readonly);
            lookupWritableCount += writable;
            lookupReadonlyCount += readonly;
        }
    }
    if (reader.failed())
        return fail(u"binary transaction is truncated"_s);
    if (!reader.atEnd())
        return fail(u"binary transaction has trailing bytes"_s);
    summary.signature = QString::fromLatin1(base58Encode(firstSignature));
    return std::nullopt;
}

std::optional<Error> TransactionSummarizer::Private::readLoadedAddresses(object meta, TransactionSummary &summary)
{
    element loaded;
    array writable, readonly;
    const bool haveLoaded = present(meta, "loadedAddresses", loaded);
    if (haveLoaded
        && (loaded["writable"].get_array().get(writable) || loaded["readonly"].get_array().get(readonly))) {
        return fail(u"meta.loadedAddresses is not {writable[], readonly[]}"_s);
    }
    const uint64_t writableCount = haveLoaded ? writable.size() : 0;
    const uint64_t readonlyCount = haveLoaded ? readonly.size() : 0;
    if ((lookupWritableCount || lookupReadonlyCount)
        && (writableCount != lookupWritableCount || readonlyCount != lookupReadonlyCount)) {
        return fail(u"meta.loadedAddresses does not match the message's address table lookups"_s);
    }
    if (!haveLoaded)
        return std::nullopt;
    for (element key : writable) {
        std::string_view text;
        if (key.get_string().get(text))
            return fail(u"meta.loadedAddresses.writable holds a non-string"_s);
        addKey(text, true, summary);
    }
    for (element key : readonly) {
        std::string_view text;
        if (key.get_string().get(text))
            return fail(u"meta.loadedAddresses.readonly holds a non-string"_s);
        addKey(text, false, summary);
    }
    return std::nullopt;
}

std::optional<Error> TransactionSummarizer::Private::readTokenBalances(element list, std::vector<TokenBalanceEntry> &out)
{
    out.clear();
    if (list.is_null())
        return std::nullopt;
    array entries;
    if (list.get_array().get(entries))
        return fail(u"token balances are not an array"_s);
    for (element entry : entries) {
        TokenBalanceEntry balance;
        if (!readTokenBalance(entry, balance))
            return fail(u"token balance without accountIndex or uiTokenAmount"_s);
        out.push_back(balance);
    }
    const auto byIndex = [](const TokenBalanceEntry &a, const TokenBalanceEntry &b) {
        return a.accountIndex < b.accountIndex;
    };
    if (!std::is_sorted(out.begin(), out.end(), byIndex)) // the RPC lists them in order; a sort would allocate
        std::stable_sort(out.begin(), out.end(), byIndex);
    return std::nullopt;
}

std::optional<Error> TransactionSummarizer::Private::readMeta(object meta, TransactionSummary &summary)
{
    element field;

    element err;
    if (transactionError(meta, err)) {
        summary.success = false;
        summary.errorJson = QByteArray::fromStdString(simdjson::minify(err));
        summary.error = Internal::transactionErrorText(err);
    }

    if (present(meta, "fee", field)) {
        uint64_t fee = 0;
        if (field.get_uint64().get(fee))
            return fail(u"meta.fee is not an unsigned integer"_s);
        summary.fee = fee;
    }

    uint64_t units = 0;
    if (present(meta, "computeUnitsConsumed", field)) {
        if (field.get_uint64().get(units))
            return fail(u"meta.computeUnitsConsumed is not an unsigned integer"_s);
        summary.computeUnitsConsumed = units;
    }

    if (present(meta, "logMessages", field)) {
        array logs;
        if (field.get_array().get(logs))
            return fail(u"meta.logMessages is not an array"_s);
        summary.logsPresent = true;
        const bool asJson = detail == TransactionSummarizer::Detail::Ingest;
        if (asJson) {
            // One allocation: the lines with their quotes and commas, plus the
            // room appendJsonString() sets aside for escaping one line (6 bytes
            // a byte) before it trims to what it wrote.
            qsizetype length = 2, longest = 0;
            for (element line : logs) {
                std::string_view text;
                if (!line.get_string().get(text)) {
                    length += qsizetype(text.size()) + 3;
                    longest = std::max(longest, qsizetype(text.size()));
                }
            }
            summary.logsJson.reserve(length + 5 * longest + 2);
            summary.logsJson.append('[');
        } else
            summary.logs.reserve(qsizetype(logs.size()));
        for (element line : logs) {
            std::string_view text;
            if (line.get_string().get(text))
                return fail(u"meta.logMessages holds a non-string"_s);
            if (!asJson) {
                summary.logs.append(toQString(text));
                continue;
            }
            if (summary.logsJson.size() > 1)
                summary.logsJson.append(',');
            Internal::appendJsonString(summary.logsJson, text); // as the capture writes a QString
        }
        if (asJson)
            summary.logsJson.append(']');
    }

    // Lamport changes, in account key order (CAPTURE_FORMAT.md §4.3.1).
    array pre, post;
    const bool havePre = present(meta, "preBalances", field) && !field.get_array().get(pre);
    const bool havePost = present(meta, "postBalances", field) && !field.get_array().get(post);
    if (havePre && havePost) {
        summary.solChanges.reserve(qsizetype(std::min(pre.size(), post.size())));
        auto preIt = pre.begin();
        auto postIt = post.begin();
        for (qsizetype i = 0; preIt != pre.end() && postIt != post.end(); ++i, ++preIt, ++postIt) {
            uint64_t before = 0, after = 0;
            if ((*preIt).get_uint64().get(before) || (*postIt).get_uint64().get(after))
                return fail(u"meta.preBalances/postBalances hold a non-integer"_s);
            if (i == 0) // modular difference: no signed overflow for balances >= 2^63
                summary.feePayerSolChange = qint64(after - before);
            if (before == after)
                continue;
            if (i >= keyCount(summary))
                return fail(u"more balances than account keys"_s);
            summary.solChanges.append(SolChange{keyAt(summary, i), before, after});
        }
    }

    // Token changes: union of accountIndex, ascending; pre entry's mint/owner/decimals
    // else post's; unchanged amounts dropped (CAPTURE_FORMAT.md §4.3.2).
    preTokens.clear();
    postTokens.clear();
    if (present(meta, "preTokenBalances", field)) {
        if (auto error = readTokenBalances(field, preTokens))
            return error;
    }
    if (present(meta, "postTokenBalances", field)) {
        if (auto error = readTokenBalances(field, postTokens))
            return error;
    }
    if (!preTokens.empty() || !postTokens.empty())
        summary.tokenChanges.reserve(qsizetype(std::max(preTokens.size(), postTokens.size())));
    std::size_t i = 0, j = 0;
    while (i < preTokens.size() || j < postTokens.size()) {
        uint64_t index = UINT64_MAX;
        if (i < preTokens.size())
            index = preTokens[i].accountIndex;
        if (j < postTokens.size())
            index = std::min(index, postTokens[j].accountIndex);
        const TokenBalanceEntry *before =
            i < preTokens.size() && preTokens[i].accountIndex == index ? &preTokens[i] : nullptr;
        const TokenBalanceEntry *after =
            j < postTokens.size() && postTokens[j].accountIndex == index ? &postTokens[j] : nullptr;
        while (i < preTokens.size() && preTokens[i].accountIndex == index)
            ++i;
        while (j < postTokens.size() && postTokens[j].accountIndex == index)
            ++j;
        // An amount that does not parse counts as 0 (CAPTURE_FORMAT.md §4.3.2).
        const uint64_t preAmount = before ? before->amount.value_or(0) : 0;
        const uint64_t postAmount = after ? after->amount.value_or(0) : 0;
        if (preAmount == postAmount)
            continue;
        if (index >= uint64_t(keyCount(summary)))
            return fail(u"token balance accountIndex %1 is outside the account keys"_s.arg(index));
        const TokenBalanceEntry &source = before ? *before : *after;
        summary.tokenChanges.append(TokenChange{keyAt(summary, qsizetype(index)), toQString(source.mint),
                                                toQString(source.owner), preAmount, postAmount,
                                                source.decimals});
    }
    return std::nullopt;
}

Result<TransactionSummary> TransactionSummarizer::Private::summarize(QByteArrayView json, bool inPlace)
{
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: unless the
    // caller vouches for them (summarizeInPlace), copy into our padded buffer.
    static_assert(kJsonReadPadding >= qsizetype(simdjson::SIMDJSON_PADDING));
    const std::size_t length = std::size_t(json.size());
    const char *text = json.data();
    if (!inPlace || !text) {
        if (capacity < length + simdjson::SIMDJSON_PADDING) {
            capacity = std::max(length + simdjson::SIMDJSON_PADDING, capacity * 2);
            buffer.reset(new char[capacity]);
        }
        if (length)
            std::memcpy(buffer.get(), json.data(), length);
        std::memset(buffer.get() + length, 0, simdjson::SIMDJSON_PADDING);
        text = buffer.get();
    }

    element root;
    if (const auto error = parser.parse(text, length, false).get(root))
        return fail(u"malformed JSON (%1)"_s.arg(QString::fromUtf8(simdjson::error_message(error))));

    object tx;
    if (root.get_object().get(tx))
        return fail(u"not a JSON object"_s);

    element field;
    if (tx.at_key("transaction").error()) {
        // A JSON-RPC envelope {"jsonrpc", "result" | "error", "id"}.
        object rpcError;
        if (!tx["error"].get_object().get(rpcError)) {
            std::string_view message;
            if (rpcError["message"].get_string().get(message))
                message = "no message";
            return fail(u"JSON-RPC error: %1"_s.arg(toQString(message)));
        }
        if (tx.at_key("result").get(field))
            return fail(u"neither a transaction nor a JSON-RPC response"_s);
        if (field.is_null())
            return fail(u"JSON-RPC result is null (transaction not found)"_s);
        if (field.get_object().get(tx))
            return fail(u"JSON-RPC result is not an object"_s);
    }

    TransactionSummary summary;
    if (present(tx, "slot", field)) {
        uint64_t slot = 0;
        if (field.get_uint64().get(slot))
            return fail(u"slot is not an unsigned integer"_s);
        summary.slot = slot;
    }
    if (present(tx, "blockTime", field)) {
        int64_t blockTime = 0;
        if (field.get_int64().get(blockTime))
            return fail(u"blockTime is not an integer"_s);
        summary.blockTime = blockTime;
    }
    if (present(tx, "version", field)) {
        const std::optional<QString> version = versionText(field);
        if (!version)
            return fail(u"version is neither a string nor an integer"_s);
        summary.version = *version;
    }
    if (present(tx, "transactionIndex", field)) {
        uint64_t index = 0;
        if (field.get_uint64().get(index))
            return fail(u"transactionIndex is not an unsigned integer"_s);
        summary.transactionIndex = index;
    }

    object meta;
    const bool haveMeta = present(tx, "meta", field);
    if (haveMeta && field.get_object().get(meta))
        return fail(u"meta is not an object"_s);

    element transaction;
    if (!present(tx, "transaction", transaction))
        return fail(u"missing transaction"_s);

    MessageHeader header;
    bool parsedKeys = false;
    bool binary = false;
    lookupWritableCount = 0;
    lookupReadonlyCount = 0;
    keyViews.clear();
    programViews.clear();
    // Binary transactions decode their keys to QStrings anyway.
    keysAsViews = detail == TransactionSummarizer::Detail::Ingest && !transaction.is_array();
    if (transaction.is_array()) {
        binary = true;
        if (auto error = readBinaryTransaction(transaction, summary, header))
            return *error;
    } else if (transaction.is_object()) {
        if (auto error = readJsonMessage(transaction, summary, header, parsedKeys))
            return *error;
    } else {
        return fail(u"transaction is neither an object nor [\"<data>\", \"<encoding>\"]"_s);
    }

    if (!parsedKeys) {
        const qint64 staticCount = keysAsViews ? 0 : summary.accountKeys.size(); // Ingest: no writable list
        for (qint64 i = 0; i < staticCount; ++i) {
            if (isWritableByHeader(i, staticCount, header))
                summary.writableAccounts.append(summary.accountKeys.at(i));
        }
        if (haveMeta) {
            if (auto error = readLoadedAddresses(meta, summary))
                return *error;
        } else if (lookupWritableCount || lookupReadonlyCount) {
            return fail(u"address table lookups without meta.loadedAddresses"_s);
        }
    }
    summary.feePayer = keyAt(summary, 0);

    // Invoked programs: top-level instructions, then inner ones, first seen wins.
    if (binary) {
        for (const uint8_t index : binaryProgramIndexes) {
            if (index >= summary.accountKeys.size())
                return fail(u"programIdIndex %1 is outside the %2 account keys"_s.arg(index).arg(summary.accountKeys.size()));
            addProgram(summary.accountKeys.at(index), summary);
        }
    } else {
        array instructions;
        if (transaction["message"]["instructions"].get_array().get(instructions))
            return fail(u"message has no instructions array"_s);
        for (element instruction : instructions) {
            if (auto error = addInstructionProgram(instruction, summary))
                return *error;
        }
    }

    if (haveMeta) {
        array innerList;
        if (present(meta, "innerInstructions", field)) {
            if (field.get_array().get(innerList))
                return fail(u"meta.innerInstructions is not an array"_s);
            for (element inner : innerList) {
                array instructions;
                if (inner["instructions"].get_array().get(instructions))
                    return fail(u"innerInstructions entry without instructions"_s);
                for (element instruction : instructions) {
                    if (auto error = addInstructionProgram(instruction, summary))
                        return *error;
                }
            }
        }
        if (auto error = readMeta(meta, summary))
            return *error;
    }
    // No logs (none listed, or no meta at all): an empty JSON array still.
    if (detail == TransactionSummarizer::Detail::Ingest && summary.logsJson.isEmpty())
        summary.logsJson = QByteArrayLiteral("[]");
    return summary;
}

void keepJsonReadPadding(QByteArray &buffer, qsizetype size)
{
    buffer.resize(size + kJsonReadPadding);
    std::fill_n(buffer.data() + size, kJsonReadPadding, '\0');
    buffer.truncate(size);
}

TransactionSummarizer::TransactionSummarizer() : d(std::make_unique<Private>()) {}

TransactionSummarizer::~TransactionSummarizer() = default;

void TransactionSummarizer::setDetail(Detail detail)
{
    d->detail = detail;
}

TransactionSummarizer::Detail TransactionSummarizer::detail() const
{
    return d->detail;
}

Result<TransactionSummary> TransactionSummarizer::summarize(QByteArrayView json)
{
    return d->summarize(json, false);
}

Result<TransactionSummary> TransactionSummarizer::summarizeInPlace(QByteArrayView json)
{
    return d->summarize(json, true);
}

} // namespace SlotScope
