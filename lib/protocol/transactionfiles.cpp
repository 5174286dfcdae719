#include "protocol/transactionfiles.h"
#include "protocol/jsonencoding.h"
#include "protocol/logging.h"
#include "protocol/rpcjson.h"
#include "protocol/transactionsummary.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

// Read with simdjson rather than QJsonDocument: simdjson keeps every integer
// as int64/uint64 and re-serialises it digit for digit, so lamports, slots and
// u64::MAX rentEpoch values never pass through a double (CAPTURE_FORMAT.md §9).

namespace SlotScope {

using namespace Qt::StringLiterals;

namespace {

using namespace RpcJson;

QByteArray compactJson(element value)
{
    return QByteArray::fromStdString(simdjson::minify(value));
}

using Internal::appendJsonString;

class FileReader
{
public:
    Result<QList<LoadedTransaction>> read(const QString &path, const QString &sourceName);

private:
    std::optional<Error> addTransaction(element tx, QByteArray json, int position, const QString &where);
    std::optional<Error> addBlock(object block, const QString &where);

    simdjson::dom::parser m_parser;
    TransactionSummarizer m_summarizer; // only for binary transactions' signatures
    QList<LoadedTransaction> m_out;
    QString m_sourceName;
};

std::optional<Error> FileReader::addTransaction(element tx, QByteArray json, int position, const QString &where)
{
    LoadedTransaction loaded;
    element field;
    if (!tx.at_key("slot").get(field) && !field.is_null()) {
        uint64_t slot = 0;
        if (field.get_uint64().get(slot))
            return makeError(u"%1: transaction %2 has a slot that is not an unsigned integer"_s.arg(where).arg(position));
        loaded.slot = slot;
    }
    std::string_view signature;
    if (!tx["transaction"]["signatures"].at(0).get_string().get(signature) && !signature.empty()) {
        loaded.signature = toQString(signature);
    } else if (tx["transaction"].is_array()) {
        // ["<base64>", "base64"]: the signature is inside the wire bytes.
        auto summary = m_summarizer.summarize(json);
        if (!summary)
            return makeError(u"%1: transaction %2: %3"_s.arg(where).arg(position).arg(summary.error().message));
        loaded.signature = summary->signature;
    } else {
        return makeError(u"%1: transaction %2 has no signature"_s.arg(where).arg(position));
    }
    loaded.json = std::move(json);
    loaded.sourceFile = m_sourceName;
    loaded.positionInSource = position;
    m_out.append(std::move(loaded));
    return std::nullopt;
}

// getBlock result: the entries carry no slot or blockTime, so each standalone
// transaction gets {"slot": parentSlot + 1, "blockTime": <header blockTime>, …entry}.
std::optional<Error> FileReader::addBlock(object block, const QString &where)
{
    uint64_t parentSlot = 0;
    if (block["parentSlot"].get_uint64().get(parentSlot))
        return makeError(u"%1: block without parentSlot"_s.arg(where));
    const uint64_t slot = parentSlot + 1;
    QByteArray blockTime = "null"_ba;
    element field;
    if (!block.at_key("blockTime").get(field) && !field.is_null()) {
        int64_t seconds = 0;
        if (field.get_int64().get(seconds))
            return makeError(u"%1: block blockTime is not an integer"_s.arg(where));
        blockTime = QByteArray::number(qint64(seconds));
    }
    array entries;
    if (block["transactions"].get_array().get(entries))
        return makeError(u"%1: block transactions is not an array"_s.arg(where));
    int position = 0;
    for (element entry : entries) {
        object members;
        if (entry.get_object().get(members))
            return makeError(u"%1: block entry %2 is not an object"_s.arg(where).arg(position));
        QByteArray json;
        json += "{\"slot\":" + QByteArray::number(quint64(slot)) + ",\"blockTime\":" + blockTime;
        for (const auto member : members) {
            if (member.key == "slot" || member.key == "blockTime")
                continue;
            json += ',';
            appendJsonString(json, member.key);
            json += ':';
            json += compactJson(member.value);
        }
        json += '}';
        if (auto error = addTransaction(entry, json, position, where))
            return error;
        m_out.last().slot = slot;
        ++position;
    }
    return std::nullopt;
}

Result<QList<LoadedTransaction>> FileReader::read(const QString &path, const QString &sourceName)
{
    m_out.clear();
    m_sourceName = sourceName;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"%1: cannot read (%2)"_s.arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();

    element root;
    if (const auto error = m_parser.parse(bytes.constData(), std::size_t(bytes.size())).get(root))
        return makeError(u"%1: not JSON (%2)"_s.arg(path, QString::fromUtf8(simdjson::error_message(error))));

    std::optional<Error> error;
    array list;
    object top;
    if (!root.get_array().get(list)) {
        // Derived replay stream [{source, indexInSourceBlock?, encoding, result}], or bare transactions.
        int position = 0;
        for (element item : list) {
            element tx;
            if (item["result"].get(tx) || !tx.is_object())
                tx = item;
            if (!tx.is_object() || tx.at_key("transaction").error())
                return makeError(u"%1: array element %2 is not a transaction"_s.arg(path).arg(position));
            if ((error = addTransaction(tx, compactJson(tx), position, path)))
                return *error;
            ++position;
        }
    } else if (!root.get_object().get(top)) {
        element body = root;
        element result;
        if (top.at_key("transaction").error() && !top.at_key("result").get(result)) {
            // JSON-RPC envelope of getTransaction or getBlock.
            if (!result.is_object())
                return makeError(u"%1: JSON-RPC result is not an object"_s.arg(path));
            body = result;
        }
        object bodyObject = body.get_object().value_unsafe();
        if (!bodyObject.at_key("transactions").error())
            error = addBlock(bodyObject, path);
        else if (!bodyObject.at_key("transaction").error())
            error = addTransaction(body, compactJson(body), 0, path);
        else
            return makeError(u"%1: no recognised transaction shape"_s.arg(path));
        if (error)
            return *error;
    } else {
        return makeError(u"%1: no recognised transaction shape"_s.arg(path));
    }
    return std::move(m_out);
}

} // namespace

Result<QList<LoadedTransaction>> loadTransactionFile(const QString &path)
{
    FileReader reader;
    return reader.read(path, QFileInfo(path).fileName());
}

Result<QList<LoadedTransaction>> loadTransactionDirectory(const QString &dir)
{
    if (!QFileInfo(dir).isDir())
        return makeError(u"%1: not a directory"_s.arg(dir));
    // Absolute: QDir::relativeFilePath() hands a relative path back as it is,
    // so "fixtures" would have read "fixtures/fixtures/…".
    const QDir root(QFileInfo(dir).absoluteFilePath());

    QStringList relativePaths;
    QDirIterator it(root.path(), {u"*.json"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        relativePaths.append(root.relativeFilePath(it.next()));
    std::sort(relativePaths.begin(), relativePaths.end());

    FileReader reader;
    QList<LoadedTransaction> all;
    QSet<QString> seen;
    for (const QString &relative : std::as_const(relativePaths)) {
        auto loaded = reader.read(root.filePath(relative), relative);
        if (!loaded) {
            qCWarning(lcProtocol).noquote() << "Skipping" << loaded.error().message;
            continue;
        }
        for (LoadedTransaction &tx : *loaded) {
            if (seen.contains(tx.signature))
                continue; // the first file in path order wins
            seen.insert(tx.signature);
            all.append(std::move(tx));
        }
    }
    if (all.isEmpty())
        return makeError(u"%1: no transactions found"_s.arg(dir));

    std::stable_sort(all.begin(), all.end(), [](const LoadedTransaction &a, const LoadedTransaction &b) {
        if (a.slot != b.slot)
            return a.slot < b.slot;
        if (a.sourceFile != b.sourceFile)
            return a.sourceFile < b.sourceFile;
        return a.positionInSource < b.positionInSource;
    });
    return all;
}

} // namespace SlotScope
