#!/bin/bash
# Run every test and print one summary; exits nonzero if anything failed.
# Called by `make test` after the build. The work is done by tests/runner.py
# (it counts what each program declared and ran, reports import errors per
# file, lists skips, writes JUnit XML under build/test-results/).
#   --host-only   cmocka tests only (plain and sanitizer builds)
#   --qemu-only   pytest suites only (tools and QEMU boots)
# PYTEST_ARGS adds pytest options, e.g. PYTEST_ARGS="-k fram".
set -eu
cd "$(dirname "$0")/.."
exec /usr/bin/python3 tests/runner.py "$@"
