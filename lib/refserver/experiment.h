#pragma once

// The changes an Experiment (RefServerConfig::experiment, issue 12) makes to
// one transaction's JSON. Internal; TransactionPlan applies them.

#include "refserver/refserverconfig.h"

#include <QByteArray>
#include <QString>

namespace SlotScope::Internal {

/// One transaction after the experiment's fail / fee / computeUnits / sol /
/// token aspects.
struct ExperimentChange
{
    QByteArray json;       ///< the transaction JSON, edited textually (other bytes kept)
    bool success = true;   ///< meta.err is null afterwards
    bool changed = false;  ///< json differs from the input
};

/// Apply the aspects of `experiment` that select `signature` to `json` (an
/// EncodedConfirmedTransactionWithStatusMeta in any encoding; `success` is its
/// meta.err == null), as Experiment documents. A member an aspect needs that
/// is missing (no meta.fee, no postTokenBalances entry, …) leaves that aspect
/// without effect. Omit and add are the plan's business, not applied here.
ExperimentChange applyExperiment(const Experiment &experiment, const QString &signature, const QByteArray &json,
                                 bool success);

/// `json` with every quoted occurrence of signature `from` replaced by `to`
/// (the experiment's added copy).
QByteArray replaceSignature(const QByteArray &json, const QString &from, const QString &to);

} // namespace SlotScope::Internal
