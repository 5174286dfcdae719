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
    if (Internal::parseLeniently(d->parser, std::string_view(json.data(), size_t(json.size())), false, root)
            != simdjson::SUCCESS
        || root.get(object) != simdjson::SUCCESS)
        return false;
    Internal::AccountDiffView diff;
    Internal::readAccountDiff(object, diff);
    Internal::toAccountDiffRecord(diff, sessionId, out);
    return true;
}

} // namespace SlotScope
