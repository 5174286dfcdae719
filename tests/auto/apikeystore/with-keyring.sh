#!/bin/sh
# Runs a command inside a private D-Bus session bus with a real Secret Service:
# GNOME Keyring, its login keyring created and unlocked for this run only in a
# scratch HOME (never the user's keyring). Used by ctest for tst_apikeystore.
# Needs dbus-run-session, dbus-send (dbus) and gnome-keyring-daemon (gnome-keyring).
set -eu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
       XDG_RUNTIME_DIR="$scratch/run" XDG_CACHE_HOME="$scratch/cache"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# dbus-run-session ends the bus when the inner shell exits; the keyring daemon
# is stopped by its pid first.
dbus-run-session -- sh -c '
    printf "%s\n" slotscope-test | gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$XDG_RUNTIME_DIR/gnome-keyring.log" 2>&1 &
    keyring=$!
    tries=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ] || ! kill -0 "$keyring" 2>/dev/null; then
            echo "with-keyring: gnome-keyring-daemon did not come up:" >&2
            cat "$XDG_RUNTIME_DIR/gnome-keyring.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    status=0
    "$@" || status=$?
    kill "$keyring" 2>/dev/null || true
    wait "$keyring" 2>/dev/null || true
    exit "$status"
' with-keyring "$@"
