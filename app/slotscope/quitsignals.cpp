#include "quitsignals.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace SlotScope {

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int signal)
{
    // Only async-signal-safe work here; the event loop reads the signal number.
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

} // namespace

void installQuitSignals(QObject *context, std::function<void(int)> onSignalReceived)
{
    if (g_signalPipe[0] >= 0 || ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [onSignalReceived] {
        char byte = 0;
        if (::read(g_signalPipe[0], &byte, 1) == 1)
            onSignalReceived(int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(signal, &action, nullptr);
    // With the terminal gone, stderr may be a pipe nobody reads: a progress
    // or log line must not kill the process before it closed its sessions.
    std::signal(SIGPIPE, SIG_IGN);
}

} // namespace SlotScope
