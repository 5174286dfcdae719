#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) into
# build-fuzz/ and runs each one for $SLOTSCOPE_FUZZ_SECONDS seconds (default
# 60), one after the other. Fails on the first crash, sanitizer report,
# timeout or broken invariant; prints every target's exec count.
#
#   scripts/run-fuzz.sh                 all targets
#   scripts/run-fuzz.sh dataplanecodec  just one (controlcodec, dataplanecodec, capturelines)
#
# Environment: SLOTSCOPE_FUZZ_SECONDS (per target), SLOTSCOPE_FUZZ_BUILD_DIR
# (default build-fuzz/), SLOTSCOPE_FIXTURES_DIR (seed transactions).
# The corpus grows in $build/fuzz-corpus/<target>/ across runs; seeds are
# regenerated each run (fuzz_seeds); tests/fuzz/regressions/<target>/ is
# loaded too, so every past crash is replayed under ASan/UBSan before fuzzing
# starts. A crashing input lands in $build/fuzz-artifacts/<target>/.
# To keep a crash as a regression: copy it to tests/fuzz/regressions/<target>/
# with a descriptive name and add a named row to tests/auto/codecregression.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLOTSCOPE_FUZZ_BUILD_DIR:-$here/build-fuzz}"
seconds="${SLOTSCOPE_FUZZ_SECONDS:-60}"
all_targets=(controlcodec dataplanecodec capturelines)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    case " ${all_targets[*]} " in
    *" $t "*) ;;
    *) echo "run-fuzz: unknown target '$t' (known: ${all_targets[*]})" >&2; exit 2 ;;
    esac
done

started=$(date +%s)
echo "run-fuzz: configuring and building $build"
cmake -S "$here" -B "$build" -G Ninja \
    -DCMAKE_CXX_COMPILER="${SLOTSCOPE_FUZZ_CXX:-clang++}" \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
    -DSLOTSCOPE_FUZZ=ON -DSLOTSCOPE_BUILD_APP=OFF -DSLOTSCOPE_BUILD_TESTS=OFF -DSLOTSCOPE_BUILD_BENCH=OFF \
    >/dev/null
cmake --build "$build" --target slotscope_fuzz --parallel "$(nproc)"
built=$(date +%s)
echo "run-fuzz: build took $((built - started)) s"

rm -rf "$build/fuzz-seeds"
"$build/tests/fuzz/fuzz_seeds" "$build/fuzz-seeds"

# Symbolized stack traces when llvm-symbolizer is installed (llvm-14 on Debian 12).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
    for s in llvm-symbolizer llvm-symbolizer-14; do
        if command -v "$s" >/dev/null; then
            export ASAN_SYMBOLIZER_PATH="$(command -v "$s")"
            break
        fi
    done
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$build/fuzz-logs"
summary=()
status=0
for t in "${targets[@]}"; do
    corpus="$build/fuzz-corpus/$t"
    artifacts="$build/fuzz-artifacts/$t"
    log="$build/fuzz-logs/$t.log"
    mkdir -p "$corpus" "$artifacts"
    dirs=("$corpus" "$build/fuzz-seeds/$t")
    [ -d "$here/tests/fuzz/regressions/$t" ] && dirs+=("$here/tests/fuzz/regressions/$t")
    echo "run-fuzz: $t for $seconds s (log: $log)"
    rc=0
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict="$here/tests/fuzz/slotscope.dict" -artifact_prefix="$artifacts/" \
        -print_final_stats=1 "${dirs[@]}" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    units=$(find "$corpus" -type f | wc -l)
    if [ "$rc" -ne 0 ]; then
        status=1
        echo "run-fuzz: $t FAILED (exit $rc) after ${execs:-?} execs; last lines of $log:" >&2
        tail -n 60 "$log" >&2
        echo "run-fuzz: crashing input(s):" >&2
        ls -1 "$artifacts" >&2 || true
        summary+=("$t: FAILED after ${execs:-?} execs")
        break
    fi
    summary+=("$t: ${execs:-?} execs in $seconds s (${secs:-?}/s), coverage ${cov:-?} edges, corpus $units inputs")
done

finished=$(date +%s)
echo "run-fuzz: summary"
for line in "${summary[@]}"; do
    echo "  $line"
done
echo "run-fuzz: total $((finished - started)) s (build $((built - started)) s)"
exit $status
