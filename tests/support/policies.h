#pragma once

#include "net/connectionpolicy.h"

namespace SlotScope::Testing {

/// Millisecond timings for a client talking to a peer on 127.0.0.1 that the
/// test scripts (ScriptedServer, PeerServer): connect 2 s, 500 ms per
/// handshake response (also per parallel-create read), a ping every 100 ms
/// with a 1 s miss deadline, 300 ms graceful close, backoff 10 ms doubling up
/// to 40 ms without jitter, 3 attempts within 10 s, a 3 s drain idle backstop, 200 ms for a
/// replay after a re-attach's handshake.
/// Tests change the one or two values their scenario is about.
ConnectionPolicy fastPolicy();

/// Timings for whole runs against lib/refserver, sized for a loaded CI
/// machine (2 cores, two tests at a time): fastPolicy() with 3 s per
/// handshake response and a 5 s miss deadline, 10 attempts within 20 s.
ConnectionPolicy refServerPolicy();

/// Timings for parallel batches of many sub-sessions against lib/refserver:
/// refServerPolicy() with a ping every 500 ms and a 10 s miss deadline (a
/// batch has two sockets per sub-session), 10 s per handshake response and
/// parallel-create read, a 60 s budget and a 10 s drain idle backstop.
ConnectionPolicy batchPolicy();

} // namespace SlotScope::Testing
