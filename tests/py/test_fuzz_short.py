"""Short libFuzzer runs as part of `make test`: every tests/fuzz/fuzz_*.c is
built (`make fuzz`, clang with ASan+UBSan) and run for a few seconds by
tests/fuzz/run.sh; each must execute inputs and find no crash, leak or
sanitizer report. The long run is documented in docs/reliability.md:
    FUZZ_SECONDS=600 tests/fuzz/run.sh
"""
import glob
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SECONDS_EACH = os.environ.get("FUZZ_SHORT_SECONDS", "3")


def test_every_fuzzer_runs_briefly_without_a_crash():
    targets = sorted(os.path.basename(p)[:-2] for p in glob.glob(
        os.path.join(ROOT, "tests", "fuzz", "fuzz_*.c")))
    assert targets, "no libFuzzer targets in tests/fuzz/"
    build = subprocess.run(["make", "-j2", "--no-print-directory", "fuzz"], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    env = dict(os.environ, FUZZ_SECONDS=SECONDS_EACH)
    env.pop("FUZZ_ARGS", None)
    run = subprocess.run(["tests/fuzz/run.sh"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60 + 30 * len(targets))
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    execs = {name: int(n) for name, n in
             re.findall(r"ok\s+(fuzz_\w+)\s+(\d+) executions", out)}
    for t in targets:
        assert t in execs, f"{t} did not report:\n{out}"
        assert execs[t] > 0, f"{t} executed nothing"
    print(out)
