#!/usr/bin/python3
"""Run the test suites, count what really ran, write JUnit XML, summarise.

Called by tests/run_all.sh (`make test`, `make test-host`, `make test-qemu`).

Host programs: the list comes from the sources (tests/host/test_*.c), never
from build/: each source's two builds (gcc, and clang with ASan+UBSan) must
exist and run, and a binary left over from a deleted source is reported as
stale and not run. Each program runs with cmocka's TAP output, which states
every group's declared count before its first case ("1..N") and marks the
group's end; a program passes only if every group it started ran all its
declared cases, none failed, it ran at least one case and it exited 0. So a
program that runs 0 cases, or exits part-way (a stray exit(), a crash), fails.
(cmocka's own XML output cannot show this: it is written when a group ends,
so a group cut short leaves no trace, and its "tests" count is the number
executed, not declared; two groups in one file also give two XML roots.)

pytest: each test folder is its own session, with
--continue-on-collection-errors, so a file that fails to import is reported
as a collection error while every other file still runs.

Results: one JUnit XML file per suite under build/test-results/ (host-gcc/
and host-san/ hold one file per program; pytest-<folder>.xml per folder).
The summary lists failures, collection errors and skipped tests by name, and
the last line reads "N passed, N failed" (plus skipped when there are any).
Exit status 0 only if nothing failed.
"""
import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# The two builds of each host test (mk/host.mk): suite name, binary folder.
HOST_VARIANTS = (("host-gcc", "host"), ("host-san", os.path.join("host", "san")))
PYTEST_DIRS = ("tests/py", "tests/qemu")
# The QEMU suites run once per board (NVK_BOARD tells tools/qemu.py and
# tests/qemu/qemu_env.py which); NVK_BOARDS="a b" picks others. tests/py
# (host tools) runs once. The default board's results keep their old name.
QEMU_DIR = "tests/qemu"
QEMU_BOARDS = ("mps2-an385", "mps2-an505")
DEFAULT_BOARD = QEMU_BOARDS[0]
PYTEST_NO_TESTS = 5  # pytest's exit status when nothing was collected

PLAN = re.compile(r"^\s*1\.\.(\d+)\s*$")
# cmocka 1.1.5 prints skips as "not ok N # SKIP name", later ones "ok N # SKIP name".
SKIP = re.compile(r"^\s*(?:not )?ok \d+ # SKIP (.*)$")
OK = re.compile(r"^\s*ok \d+ - (.*)$")
NOT_OK = re.compile(r"^\s*not ok \d+ - (.*)$")
DIAG = re.compile(r"^\s*# (.*)$")
GROUP_END = re.compile(r"^\s*# (?:not )?ok - (.*)$")


class Case:
    """One test case: outcome is 'passed', 'failed', 'skipped' or 'error'."""

    def __init__(self, suite, name, outcome, message="", seconds=0.0):
        self.suite = suite
        self.name = name
        self.outcome = outcome
        self.message = message
        self.seconds = seconds

    @property
    def label(self):
        return f"{self.suite}::{self.name}"


class Group:
    def __init__(self, declared):
        self.declared = declared
        self.cases = []   # (name, outcome, message)
        self.ended = False


def parse_tap(text):
    """cmocka's TAP output -> list of Group. Lines that are not TAP (the
    program's own prints) are ignored."""
    groups = []
    last = None
    for line in text.splitlines():
        m = PLAN.match(line)
        if m:
            groups.append(Group(int(m.group(1))))
            last = None
            continue
        if not groups or groups[-1].ended:
            continue
        g = groups[-1]
        if GROUP_END.match(line):
            g.ended = True
        elif (m := SKIP.match(line)):
            g.cases.append([m.group(1).strip(), "skipped", ""])
            last = None
        elif (m := OK.match(line)):
            g.cases.append([m.group(1).strip(), "passed", ""])
            last = None
        elif (m := NOT_OK.match(line)):
            last = [m.group(1).strip(), "failed", ""]
            g.cases.append(last)
        elif (m := DIAG.match(line)) and last is not None:
            last[2] += m.group(1) + "\n"
    return groups


class HostRun:
    """The verdict on one host test program."""

    def __init__(self, suite, program, name):
        self.suite = suite          # host-gcc / host-san
        self.program = program      # path of the binary
        self.name = name            # test_<x>
        self.cases = []             # Case
        self.problem = None         # why the program as a whole failed
        self.declared = 0
        self.missing = 0            # declared cases that never reported
        self.output = ""

    @property
    def ok(self):
        return self.problem is None and all(c.outcome != "failed" for c in self.cases)


def judge_host(run, groups, status, timed_out):
    """Compare declared and reported cases; set run.problem if the program
    did not run everything it declared, or ended badly."""
    run.declared = sum(g.declared for g in groups)
    for g in groups:
        for name, outcome, message in g.cases:
            run.cases.append(Case(f"{run.suite}.{run.name}", name, outcome, message))
    ran = len(run.cases)
    run.missing = max(run.declared - ran, 0)
    cut = [g for g in groups if not g.ended]
    if timed_out:
        run.problem = f"timed out after running {ran} of {run.declared} declared cases"
    elif not groups:
        run.problem = f"declared no cases (exit status {status})"
    elif run.declared == 0:
        run.problem = "declared 0 cases"
    elif cut or ran < run.declared:
        run.problem = (f"declared {run.declared} cases, ran {ran}: exited part-way "
                       f"(exit status {status})")
    elif status != 0 and all(c.outcome != "failed" for c in run.cases):
        run.problem = f"exit status {status} although every case passed"
    if run.problem and run.missing == 0 and ran == run.declared:
        run.missing = 1  # the program itself counts as one failure


def run_host_program(suite, program, name, timeout):
    run = HostRun(suite, program, name)
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    timed_out = False
    try:
        proc = subprocess.run([program], capture_output=True, env=env, timeout=timeout)
        out, err, status = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        out, err, status, timed_out = e.stdout or b"", e.stderr or b"", None, True
    out = out.decode("utf-8", "replace")
    err = err.decode("utf-8", "replace")
    run.output = out + ("\n--- stderr ---\n" + err if err.strip() else "")
    judge_host(run, parse_tap(out), status, timed_out)
    return run


def host_sources(src_dir):
    return sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(src_dir, "test_*.c")))


def stale_binaries(build, names):
    """Test binaries in build/ whose source is gone: reported, never run."""
    stale = []
    for _, sub in HOST_VARIANTS:
        for p in sorted(glob.glob(os.path.join(build, sub, "test_*"))):
            base = os.path.basename(p)
            if os.path.isfile(p) and os.access(p, os.X_OK) and base not in names:
                stale.append(p)
    return stale


def run_host(args, results):
    names = host_sources(args.host_src)
    print(f"== host unit tests: {len(names)} programs from {args.host_src}/test_*.c, "
          "each built with gcc and with clang ASan+UBSan")
    for p in stale_binaries(args.build, set(names)):
        print(f"  stale {p}: its source is gone, not run (make clean removes it)")
    runs = []
    for name in names:
        for suite, sub in HOST_VARIANTS:
            program = os.path.join(args.build, sub, name)
            if not os.access(program, os.X_OK):
                run = HostRun(suite, program, name)
                run.problem = "not built (run `make host-tests`)"
                run.missing = 1
            else:
                run = run_host_program(suite, program, name, args.timeout)
            runs.append(run)
            report_host(run)
            write_host_junit(run, os.path.join(results, suite, f"{name}.xml"))
    return runs


def report_host(run):
    passed = sum(c.outcome == "passed" for c in run.cases)
    if run.ok:
        skipped = sum(c.outcome == "skipped" for c in run.cases)
        extra = f", {skipped} skipped" if skipped else ""
        print(f"  ok    {run.program:<44} {passed:3d}/{run.declared} cases{extra}")
        return
    print(f"  FAIL  {run.program}: " + (run.problem or "failed cases: " + ", ".join(
        c.name for c in run.cases if c.outcome == "failed")))
    for line in run.output.splitlines():
        print("        " + line)


# ---- JUnit XML ------------------------------------------------------------

def junit_tree(suites):
    """suites: list of (name, [Case], extra_failure or None) -> ElementTree."""
    root = ET.Element("testsuites")
    for name, cases, extra in suites:
        failures = sum(c.outcome == "failed" for c in cases) + (1 if extra else 0)
        errors = sum(c.outcome == "error" for c in cases)
        skipped = sum(c.outcome == "skipped" for c in cases)
        ts = ET.SubElement(root, "testsuite", name=name, tests=str(len(cases) + (1 if extra else 0)),
                           failures=str(failures), errors=str(errors), skipped=str(skipped),
                           time=f"{sum(c.seconds for c in cases):.3f}")
        for c in cases:
            tc = ET.SubElement(ts, "testcase", classname=name, name=c.name,
                               time=f"{c.seconds:.3f}")
            if c.outcome in ("failed", "error", "skipped"):
                tag = {"failed": "failure", "error": "error", "skipped": "skipped"}[c.outcome]
                el = ET.SubElement(tc, tag, message=c.message.strip().split("\n")[0][:200])
                el.text = c.message
        if extra:
            # The program as a whole: cut short, crashed, timed out, not built.
            tc = ET.SubElement(ts, "testcase", classname=name, name="(program)")
            el = ET.SubElement(tc, "failure", message=extra[0])
            el.text = extra[1]
    return ET.ElementTree(root)


def write_host_junit(run, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    extra = (run.problem, run.output) if run.problem else None
    junit_tree([(f"{run.suite}.{run.name}", run.cases, extra)]).write(
        path, encoding="utf-8", xml_declaration=True)


# ---- pytest ---------------------------------------------------------------

class PytestRun:
    def __init__(self, folder, board=None):
        self.folder = folder + (f" [{board}]" if board else "")
        self.cases = []
        self.collection_errors = []   # (file, message)
        self.problem = None


def read_pytest_junit(path, run):
    """Fill run from the JUnit file pytest wrote."""
    for tc in ET.parse(path).getroot().iter("testcase"):
        classname, name = tc.get("classname", ""), tc.get("name", "")
        seconds = float(tc.get("time", "0") or 0)
        failure = tc.find("failure")
        error = tc.find("error")
        skipped = tc.find("skipped")
        if error is not None and not classname and "collection" in error.get("message", ""):
            module = name.replace(".", "/") + ".py"
            text = (error.text or "").strip().splitlines()
            last = text[-1] if text else error.get("message", "")
            run.collection_errors.append((module, re.sub(r"^E\s+", "", last)))
            continue
        label = classname.replace(".", "/") + ".py" if classname else run.folder
        if failure is not None:
            outcome, msg = "failed", failure.get("message", "") + "\n" + (failure.text or "")
        elif error is not None:
            outcome, msg = "error", error.get("message", "") + "\n" + (error.text or "")
        elif skipped is not None:
            outcome, msg = "skipped", skipped.get("message", "")
        else:
            outcome, msg = "passed", ""
        run.cases.append(Case(label, name, outcome, msg, seconds))


def tbf_hashes_path(results, board):
    return os.path.join(results, f"tbf-sha256-{board}.json")


def run_pytest(folder, results, extra_args, board=None):
    run = PytestRun(folder, board)
    suffix = f"-{board}" if board and board != DEFAULT_BOARD else ""
    xml = os.path.join(results, "pytest-" + os.path.basename(folder.rstrip("/")) + suffix + ".xml")
    if os.path.exists(xml):
        os.remove(xml)
    env = None
    if board:
        hashes = tbf_hashes_path(results, board)
        if os.path.exists(hashes):
            os.remove(hashes)
        env = dict(os.environ, NVK_BOARD=board, NVK_TBF_HASHES=hashes)
    print(f"== pytest {run.folder}")
    sys.stdout.flush()
    # -p no:cacheprovider keeps the tree clean; -rfEs lists failures, errors
    # and skips at the end of pytest's own report.
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rfEs", "-q",
            "--continue-on-collection-errors", f"--junitxml={xml}"] + extra_args + [folder]
    status = subprocess.run(argv, cwd=ROOT, env=env).returncode
    if not os.path.exists(xml):
        run.problem = f"pytest exited with status {status} and wrote no results"
        return run
    read_pytest_junit(xml, run)
    if status == PYTEST_NO_TESTS and not extra_args:
        run.problem = "no tests collected"
    elif status not in (0, 1, PYTEST_NO_TESTS):
        run.problem = f"pytest exited with status {status}"
    return run


def compare_tbf_hashes(per_board):
    """per_board: {board: {app: sha256}} of the apps each board's QEMU
    session booted. One TBF build runs on every board: an app booted on
    several boards must have been the same file on each. Returns a list of
    problems (empty: all the same) and the number of apps compared."""
    problems, compared = [], 0
    boards = sorted(per_board)
    apps = sorted(set().union(*per_board.values())) if per_board else []
    for app in apps:
        seen = {b: per_board[b][app] for b in boards if app in per_board[b]}
        if len(seen) < 2:
            continue
        compared += 1
        if len(set(seen.values())) != 1:
            problems.append(f"{app}: " + ", ".join(f"{b} {h[:12]}" for b, h in seen.items()))
    if len(boards) >= 2 and compared == 0:
        problems.append("no app was booted on two boards")
    return problems, compared


def check_tbf_hashes(results, boards):
    """The cross-board check as one test case (its own JUnit file)."""
    run = PytestRun("same TBF files on every board")
    per_board, missing = {}, []
    for board in boards:
        path = tbf_hashes_path(results, board)
        if os.path.exists(path):
            with open(path) as f:
                per_board[board] = json.load(f)["tbfs"]
        else:
            missing.append(board)
    problems, compared = compare_tbf_hashes(per_board)
    problems += [f"{b}: its QEMU session wrote no TBF hashes" for b in missing]
    name = f"{compared} apps booted on {', '.join(boards)}"
    run.cases.append(Case("tbf-hashes", name, "failed" if problems else "passed",
                          "\n".join(problems)))
    print(f"== TBF files across boards: {name}: " + ("differ: " + "; ".join(problems)
                                                     if problems else "identical"))
    junit_tree([("tbf-hashes", run.cases, None)]).write(
        os.path.join(results, "tbf-hashes.xml"), encoding="utf-8", xml_declaration=True)
    return run


# ---- summary --------------------------------------------------------------

def summarise(host_runs, pytest_runs, stale):
    passed = failed = skipped = 0
    failures, skips = [], []
    for r in host_runs:
        passed += sum(c.outcome == "passed" for c in r.cases)
        skipped += sum(c.outcome == "skipped" for c in r.cases)
        failed += sum(c.outcome == "failed" for c in r.cases) + r.missing
        skips += [c for c in r.cases if c.outcome == "skipped"]
        failures += [c.label for c in r.cases if c.outcome == "failed"]
        if r.problem:
            failures.append(f"{r.program}: {r.problem}")
    collection = []
    for r in pytest_runs:
        passed += sum(c.outcome == "passed" for c in r.cases)
        skipped += sum(c.outcome == "skipped" for c in r.cases)
        bad = [c for c in r.cases if c.outcome in ("failed", "error")]
        failed += len(bad) + len(r.collection_errors) + (1 if r.problem else 0)
        skips += [c for c in r.cases if c.outcome == "skipped"]
        failures += [c.label for c in bad]
        collection += r.collection_errors
        if r.problem:
            failures.append(f"pytest {r.folder}: {r.problem}")

    print()
    print("== summary")
    if host_runs:
        bad = sum(not r.ok for r in host_runs)
        print(f"host:   {len(host_runs) - bad} programs passed, {bad} failed "
              f"({sum(len(r.cases) for r in host_runs)} cmocka cases run)")
    for r in pytest_runs:
        counts = {o: sum(c.outcome == o for c in r.cases)
                  for o in ("passed", "failed", "error", "skipped")}
        print(f"pytest: {r.folder}: " + ", ".join(f"{n} {o}" for o, n in counts.items() if n)
              + (f", {len(r.collection_errors)} collection error(s)" if r.collection_errors else ""))
    if stale:
        print(f"stale binaries not run: {len(stale)}")
    if skips:
        print("skipped:")
        for c in skips:
            reason = c.message.strip().splitlines()[0] if c.message.strip() else ""
            print(f"  {c.suite}::{c.name}" + (f": {reason}" if reason else ""))
    if collection:
        print("collection errors (the file's tests did not run):")
        for module, message in collection:
            print(f"  {module}: {message}")
    if failures:
        print("failed:")
        for f in failures:
            print(f"  {f}")
    print("RESULT: FAILED" if failed else "RESULT: all tests passed")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return failed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host-only", action="store_true")
    ap.add_argument("--qemu-only", action="store_true", help="pytest suites only")
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("--host-src", default="tests/host")
    ap.add_argument("--pytest-dir", action="append", dest="pytest_dirs",
                    help="pytest folder (repeatable; default: " + " ".join(PYTEST_DIRS) + ")")
    ap.add_argument("--results", help="JUnit folder (default: BUILD/test-results)")
    ap.add_argument("--timeout", type=float,
                    default=float(os.environ.get("HOST_TEST_TIMEOUT", "300")),
                    help="seconds per host program")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    results = args.results or os.path.join(args.build, "test-results")
    os.makedirs(results, exist_ok=True)

    host_runs, pytest_runs, stale = [], [], []
    if not args.qemu_only:
        stale = stale_binaries(args.build, set(host_sources(args.host_src)))
        host_runs = run_host(args, results)
    if not args.host_only:
        extra = shlex.split(os.environ.get("PYTEST_ARGS", ""))
        boards = os.environ.get("NVK_BOARDS", "").split() or QEMU_BOARDS
        for folder in args.pytest_dirs or PYTEST_DIRS:
            if os.path.normpath(folder) == QEMU_DIR:
                for board in boards:
                    pytest_runs.append(run_pytest(folder, results, extra, board))
                if len(boards) > 1 and not extra:
                    pytest_runs.append(check_tbf_hashes(results, boards))
            else:
                pytest_runs.append(run_pytest(folder, results, extra))
    print(f"JUnit XML: {results}/")
    return 1 if summarise(host_runs, pytest_runs, stale) else 0


if __name__ == "__main__":
    sys.exit(main())
