#pragma once

// What the fuzz targets (tests/fuzz/fuzztarget.cpp) and tst_codecregression run on
// one input: every decoder of a family, plus invariants that must hold for
// ANY input. A crash, a sanitizer report or a Q_ASSERT is a failure by itself;
// a broken invariant comes back as one line of text per violation (empty list:
// the input is fine). The fuzz targets abort on a non-empty list, the
// regression test fails its row.
//
// Invariants checked (beyond "does not crash"):
//  * control plane: a decoded request/response re-encodes to a frame that
//    decodes to the same value (encodeControl*() is strict, decode is lenient);
//  * data plane: views returned by decodeDataPlaneMessage() lie inside the
//    frame; a valid transactionNotification (simdjson judges) decodes as one;
//    acks, errors and notifications survive encode → decode; subscribe
//    requests survive encodeTransactionSubscribe/encodeAccountDiffSubscribe →
//    decodeSubscribeRequest; jsonValueSpan() agrees with simdjson on where a
//    valid JSON value ends; base58 decode/encode round trips;
//  * capture lines: a `tx` line always has slot and signature, a malformed
//    line always says why, and every view survives conversion to Qt types.

#include <QByteArrayView>
#include <QStringList>

namespace SlotScope::Internal {

/// decodeControlResponse() and decodeControlRequest() (PROTOCOL.md §2–§4),
/// with describe()/methodName()/BacktestError::message() on what decodes.
QStringList checkControlCodec(QByteArrayView input);

/// decodeDataPlaneMessage(), decodeSubscribeRequest(), jsonValueSpan()
/// (PROTOCOL.md §5), TransactionSummarizer::summarize() on the frame and on a
/// notification's result, transactionErrorText(), base58.
QStringList checkDataPlaneCodec(QByteArrayView input);

/// lib/capture's line parsing (captureparsing.h): parseLine() at both detail
/// levels, rawOfTxLine() (and a summary of the raw it finds), parseEventLine(),
/// and the legacy parseTx/Metadata/SummaryDocument().
QStringList checkCaptureLine(QByteArrayView input);

/// Installs a Qt message handler that drops debug/info/warning output (the
/// decoders log what they skip) so fuzzing output stays readable. Fatal
/// messages still abort.
void silenceQtMessages();

/// Prints each violation to stderr and aborts (the fuzz targets' failure signal).
void abortOnViolations(const QStringList &violations);

} // namespace SlotScope::Internal
