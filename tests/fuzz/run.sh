#!/bin/bash
# Run every libFuzzer target built by `make fuzz` for FUZZ_SECONDS each
# (default 10; `make test` keeps it short, the long run sets e.g. 3600) and
# print the executions per target from libFuzzer's final statistics.
#   FUZZ_SECONDS=N    seconds per target
#   FUZZ_ARGS="..."   extra libFuzzer options (e.g. -jobs=2)
# A target with a seed script tests/fuzz/seed_<name>.py gets its corpus
# (build/fuzz/corpus/<name>/) seeded with valid images first. Crashes are
# written to build/fuzz/crash/. Exits nonzero if any target failed.
set -u
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
SECONDS_EACH=${FUZZ_SECONDS:-10}
status=0 total=0 ran=0

mkdir -p "$BUILD/fuzz/crash"
for bin in "$BUILD"/fuzz/fuzz_*; do
    [ -x "$bin" ] && [ -f "$bin" ] || continue
    case "$bin" in *.log) continue ;; esac
    name=${bin##*/fuzz_}
    corpus="$BUILD/fuzz/corpus/$name"
    mkdir -p "$corpus"
    if [ -f "tests/fuzz/seed_$name.py" ]; then
        /usr/bin/python3 "tests/fuzz/seed_$name.py" "$corpus" || status=1
    fi
    log="$BUILD/fuzz/fuzz_$name.log"
    # shellcheck disable=SC2086
    # -timeout: one input running longer than that is a finding (a hang).
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$BUILD/fuzz/crash/$name-" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    execs=${execs:-0}
    ran=$((ran + 1))
    total=$((total + execs))
    if [ $rc -eq 0 ]; then
        printf '  ok    %-24s %12s executions in %ss\n' "fuzz_$name" "$execs" "$SECONDS_EACH"
    else
        status=1
        printf '  FAIL  %-24s %12s executions (exit %d; log %s)\n' "fuzz_$name" "$execs" "$rc" "$log"
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | sed 's/^/        /'
    fi
done

if [ $ran -eq 0 ]; then
    echo "fuzz: no fuzzers in $BUILD/fuzz (run \`make fuzz\` first)"
    exit 1
fi
echo "fuzz: $ran targets, $total executions in total"
exit $status
