#!/bin/bash
# Run every test and print one summary. Called by `make test` after the
# build; exits nonzero if anything failed.
#   --host-only   cmocka tests only (plain and sanitizer builds)
#   --qemu-only   pytest tests only (tools and QEMU boots)
# PYTEST_ARGS adds pytest options, e.g. PYTEST_ARGS="-k fram".
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
HOST_TEST_TIMEOUT=${HOST_TEST_TIMEOUT:-300} # seconds per host test program
mode=${1:-all}
host_pass=0 host_fail=0 host_cases=0
py_status=0

if [ "$mode" != "--qemu-only" ]; then
    echo "== host unit tests (cmocka; gcc, then clang with ASan+UBSan)"
    for t in "$BUILD"/host/test_* "$BUILD"/host/san/test_*; do
        [ -x "$t" ] && [ -f "$t" ] || continue
        # A hung test program must fail, not stall the whole run.
        if timeout "$HOST_TEST_TIMEOUT" "$t" >"$t.log" 2>&1; then ok=1; else ok=0; fi
        n=$(grep -c '^\[       OK \]' "$t.log")
        host_cases=$((host_cases + n))
        if [ $ok -eq 1 ]; then
            host_pass=$((host_pass + 1))
            printf '  ok    %-44s %3d cases\n' "$t" "$n"
        else
            host_fail=$((host_fail + 1))
            echo "  FAIL  $t"
            sed 's/^/        /' "$t.log"
        fi
    done
fi

if [ "$mode" != "--host-only" ]; then
    echo "== pytest: tool tests and QEMU boots"
    dirs=""
    for d in tests/py tests/qemu; do [ -d "$d" ] && dirs="$dirs $d"; done
    # -p no:cacheprovider keeps the tree clean; -rfE lists failures at the end.
    # shellcheck disable=SC2086
    /usr/bin/python3 -m pytest -p no:cacheprovider -rfE -q ${PYTEST_ARGS:-} $dirs \
        2>&1 | tee "$BUILD/pytest.log"
    py_status=${PIPESTATUS[0]}
fi

echo
echo "== summary"
[ "$mode" = "--qemu-only" ] ||
    echo "host: $host_pass programs passed, $host_fail failed ($host_cases cmocka cases)"
[ "$mode" = "--host-only" ] ||
    echo "pytest: $(grep -E '(passed|failed|error)' "$BUILD/pytest.log" | tail -n 1)"
if [ $host_fail -ne 0 ] || [ "$py_status" -ne 0 ]; then
    echo "RESULT: FAILED"
    exit 1
fi
echo "RESULT: all tests passed"
