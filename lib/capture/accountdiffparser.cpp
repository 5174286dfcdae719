#include "accountdiffparser.h"

#include "captureparsing.h"

#include <simdjson.h>

namespace SlotScope {

struct AccountDiffParser::Private
{
    simdjson::dom::parser parser;
};

AccountDiffParser::AccountDiffParser()
    : d(std::make_unique<Private>())
{
}

AccountDiffParser::~AccountDiffParser() = default;

bool AccountDiffParser::parse(QByteArrayView json, const QString &sessionId, AccountDiffRecord &out)
{
    simdjson::dom::element root;
    simdjson::dom::object object;
    if (d->parser.parse(json.data(), size_t(json.size())).get(root) != simdjson::SUCCESS
        || root.get(object) != simdjson::SUCCESS)
        return false;
    Internal::AccountDiffView diff;
    Internal::readAccountDiff(object, diff);
    out = {};
    out.sessionId = sessionId;
    out.slot = diff.slot;
    out.signature = Internal::toQString(diff.signature);
    out.account = Internal::toQString(diff.account);
    out.preExists = diff.pre.present;
    out.postExists = diff.post.present;
    out.preLamports = diff.pre.lamports;
    out.postLamports = diff.post.lamports;
    out.preOwner = Internal::toQString(diff.pre.owner);
    out.postOwner = Internal::toQString(diff.post.owner);
    out.preDataLen = diff.pre.dataLen;
    out.postDataLen = diff.post.dataLen;
    return true;
}

} // namespace SlotScope
