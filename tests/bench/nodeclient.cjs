// Node.js peer of bench_ingest (DESIGN.md §7): a `ws` client that creates a
// session on the reference server, subscribes to every transaction and parses
// each notification with JSON.parse, keeping slot, signature and fee per row.
//
// Usage (bench_ingest runs it): NODE_PATH=<prefix>/node_modules node nodeclient.cjs '<job JSON>'
// job: {controlUrl, apiKey, expected, create, subscribe, continue, close, timeoutMs}
// (the frames are encoded by lib/protocol, so this script knows no protocol).
// Prints one JSON line: {frames, bytes, firstNs, lastNs, cpuUs, rows, uniqueSignatures}.
'use strict';

const WebSocket = require('ws');

const job = JSON.parse(process.argv[2]);
const rows = [];
let frames = 0;
let bytes = 0;
let firstNs = 0n;
let lastNs = 0n;
let ready = false;
let subscribed = false;
let continueSent = false;
let done = false;
const cpuStart = process.cpuUsage();

function fail(message) {
    if (done)
        return;
    done = true;
    process.stderr.write(`nodeclient: ${message}\n`);
    process.exit(1);
}

const timer = setTimeout(() => fail(`timed out with ${frames} of ${job.expected} transactions`), job.timeoutMs);

const control = new WebSocket(job.controlUrl, {
    headers: { 'X-API-Key': job.apiKey },
    perMessageDeflate: false,
});
let data = null;

function maybeContinue() {
    if (ready && subscribed && !continueSent) {
        continueSent = true;
        control.send(job.continue);
    }
}

function finish() {
    done = true;
    clearTimeout(timer);
    const cpu = process.cpuUsage(cpuStart);
    const unique = new Set(rows.map((row) => row.signature)).size;
    process.stdout.write(JSON.stringify({
        frames,
        bytes,
        firstNs: Number(firstNs),
        lastNs: Number(lastNs),
        cpuUs: cpu.user + cpu.system,
        rows: rows.length,
        uniqueSignatures: unique,
    }) + '\n');
    control.send(job.close);
    control.close();
    if (data)
        data.close();
    setTimeout(() => process.exit(0), 200);
}

control.on('open', () => control.send(job.create));
control.on('error', (error) => fail(`control: ${error.message}`));
control.on('close', () => { if (!done) fail('control connection closed'); });
control.on('message', (message) => {
    const frame = JSON.parse(message);
    switch (frame.method) {
    case 'sessionCreated': {
        const params = frame.params;
        const endpoint = params.rpc_endpoint ?? params.rpcEndpoint;
        const url = new URL(job.controlUrl);
        data = new WebSocket(`ws://${url.host}/${endpoint.replace(/^\/+/, '')}`, { perMessageDeflate: false });
        data.on('open', () => data.send(job.subscribe));
        data.on('error', (error) => fail(`data: ${error.message}`));
        data.on('message', onData);
        data.on('close', () => setTimeout(() => {
            if (!done)
                fail(`stream ended after ${frames} of ${job.expected} transactions`);
        }, 1000));
        break;
    }
    case 'readyForContinue':
        ready = true;
        maybeContinue();
        break;
    case 'error':
        fail(`server error: ${JSON.stringify(frame.params)}`);
        break;
    default:
        break;
    }
});

function onData(message) {
    if (done)
        return;
    if (!subscribed) {
        const ack = JSON.parse(message);
        if (ack.result === undefined)
            return fail(`expected the subscribe ack, got ${String(message).slice(0, 200)}`);
        subscribed = true;
        maybeContinue();
        return;
    }
    const now = process.hrtime.bigint();
    if (frames === 0)
        firstNs = now;
    lastNs = now;
    ++frames;
    bytes += message.length;
    const result = JSON.parse(message).params.result;
    rows.push({ slot: result.slot, signature: result.transaction.signatures[0], fee: result.meta.fee });
    if (frames === job.expected)
        finish();
}
