"""tests/runner.py, the runner behind `make test`, run on the fixtures in
tests/fixtures/runner/ (never on the real suite): it must count what ran,
take the host list from the sources, survive an import error in one pytest
file, name skips, and write well-formed JUnit XML."""
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUNNER = os.path.join(ROOT, "tests", "runner.py")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "runner")
HOST_FIXTURES = os.path.join(FIXTURES, "host")
PYTEST_FIXTURES = os.path.relpath(os.path.join(FIXTURES, "pytest"), ROOT)


def build_host(src_dir, build, names):
    """Compile fixture programs where the runner looks for both builds."""
    for sub in ("host", os.path.join("host", "san")):
        os.makedirs(build / sub, exist_ok=True)
        for name in names:
            subprocess.run(["gcc", "-o", str(build / sub / name),
                            os.path.join(src_dir, name + ".c"), "-lcmocka"], check=True)


def run_runner(*args):
    env = dict(os.environ)
    env.pop("PYTEST_ARGS", None)  # an outer -k must not filter the fixtures
    proc = subprocess.run([sys.executable, RUNNER, *args], capture_output=True, text=True,
                          env=env, cwd=ROOT)
    return proc, proc.stdout.strip().splitlines()


def host_src(tmp_path, names):
    """A source folder holding copies of the given fixtures only."""
    src = tmp_path / "src"
    src.mkdir()
    for name in names:
        shutil.copy(os.path.join(HOST_FIXTURES, name + ".c"), src)
    return src


def run_host_fixtures(tmp_path, names):
    """The runner on these fixtures alone, both builds of each compiled."""
    src = host_src(tmp_path, names)
    build_host(src, tmp_path / "build", names)
    return run_runner("--host-only", "--host-src", str(src), "--build", str(tmp_path / "build"))


def test_program_declaring_three_cases_and_running_one_fails(tmp_path):
    proc, lines = run_host_fixtures(tmp_path, ["test_all_pass", "test_exits_early"])
    assert proc.returncode == 1, proc.stdout
    assert "declared 3 cases, ran 1: exited part-way (exit status 0)" in proc.stdout
    assert "RESULT: FAILED" in lines
    # Both builds of each: test_all_pass 2 + 2 passed; test_exits_early 1 + 1
    # passed and 2 + 2 never ran.
    assert lines[-1] == "6 passed, 4 failed"


def test_program_running_no_case_fails(tmp_path):
    proc, lines = run_host_fixtures(tmp_path, ["test_runs_nothing"])
    assert proc.returncode == 1
    assert "declared no cases (exit status 0)" in proc.stdout
    assert lines[-1] == "0 passed, 2 failed"


def test_passing_programs_pass_with_exact_counts(tmp_path):
    proc, lines = run_host_fixtures(tmp_path, ["test_all_pass"])
    assert proc.returncode == 0, proc.stdout
    assert lines[-2:] == ["RESULT: all tests passed", "4 passed, 0 failed"]
    assert sum("2/2 cases" in line for line in lines) == 2


def test_stale_binary_of_deleted_source_is_not_run(tmp_path):
    src = host_src(tmp_path, ["test_all_pass"])
    build = tmp_path / "build"
    build_host(src, build, ["test_all_pass"])
    marker = tmp_path / "stale-ran"
    stale = build / "host" / "test_deleted"
    stale.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    stale.chmod(0o755)
    proc, lines = run_runner("--host-only", "--host-src", str(src), "--build", str(build))
    assert proc.returncode == 0, proc.stdout
    assert not marker.exists(), "a binary without a source must not run"
    assert f"stale {stale}: its source is gone, not run" in proc.stdout
    assert lines[-1] == "4 passed, 0 failed"


def test_source_without_binary_fails(tmp_path):
    src = host_src(tmp_path, ["test_all_pass"])
    (tmp_path / "build").mkdir()
    proc, lines = run_runner("--host-only", "--host-src", str(src), "--build",
                             str(tmp_path / "build"))
    assert proc.returncode == 1
    assert "not built" in proc.stdout
    assert lines[-1] == "0 passed, 2 failed"


def test_import_error_is_reported_and_other_files_still_run(tmp_path):
    results = tmp_path / "results"
    proc, lines = run_runner("--qemu-only", "--pytest-dir", PYTEST_FIXTURES, "--results",
                             str(results))
    assert proc.returncode == 1, proc.stdout
    at = lines.index("collection errors (the file's tests did not run):")
    assert "test_import_error.py" in lines[at + 1]
    assert "no_such_module_nvkernel_fixture" in lines[at + 1]
    # The other file ran: its passing test counts, its skip is listed by name.
    at = lines.index("skipped:")
    assert lines[at + 1].endswith("test_fine.py::test_is_skipped: fixture skip reason")
    assert lines[-1] == "1 passed, 1 failed, 1 skipped"


def junit_counts(path):
    root = ET.parse(path).getroot()   # raises on a malformed file
    assert root.tag == "testsuites"
    out = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.iter("testsuite"):
        for key in out:
            out[key] += int(suite.get(key))
    assert out["tests"] == len(list(root.iter("testcase")))
    return out


def test_junit_files_are_written_one_per_suite_and_well_formed(tmp_path):
    names = ["test_all_pass", "test_exits_early"]
    src = host_src(tmp_path, names)
    build = tmp_path / "build"
    build_host(src, build, names)
    results = tmp_path / "results"
    run_runner("--host-src", str(src), "--build", str(build), "--results", str(results),
               "--pytest-dir", PYTEST_FIXTURES)
    files = sorted(str(p.relative_to(results)) for p in results.rglob("*.xml"))
    assert files == ["host-gcc/test_all_pass.xml", "host-gcc/test_exits_early.xml",
                     "host-san/test_all_pass.xml", "host-san/test_exits_early.xml",
                     "pytest-pytest.xml"]
    assert junit_counts(results / "host-gcc" / "test_all_pass.xml") == \
        {"tests": 2, "failures": 0, "errors": 0, "skipped": 0}
    # The cut program: its one case passed, and the program itself failed.
    assert junit_counts(results / "host-san" / "test_exits_early.xml") == \
        {"tests": 2, "failures": 1, "errors": 0, "skipped": 0}
    counts = junit_counts(results / "pytest-pytest.xml")
    assert counts["skipped"] == 1 and counts["errors"] == 1 and counts["tests"] == 3


@pytest.mark.parametrize("tap, declared, outcomes", [
    ("1..2\nok 1 - a\nnot ok 2 - b\n# 1 != 2\n# where\n# ok - g\n", 2,
     [("a", "passed", ""), ("b", "failed", "1 != 2\nwhere\n")]),
    ("noise\n1..2\nnot ok 1 # SKIP a\nok 2 # SKIP b\n# ok - g\n", 2,
     [("a", "skipped", ""), ("b", "skipped", "")]),
])
def test_tap_parser(tap, declared, outcomes):
    sys.path.insert(0, os.path.dirname(RUNNER))
    import runner
    groups = runner.parse_tap(tap)
    assert len(groups) == 1 and groups[0].ended and groups[0].declared == declared
    assert [tuple(c) for c in groups[0].cases] == outcomes


@pytest.mark.parametrize("tap, status, problem", [
    ("1..2\nok 1 - a\nok 2 - b\n# ok - g\n", 0, None),                    # all declared ran
    ("1..2\nok 1 - a\n", 0, "declared 2 cases, ran 1: exited part-way (exit status 0)"),
    ("1..2\nok 1 - a\nok 2 - b\n", 0,                                     # no group end
     "declared 2 cases, ran 2: exited part-way (exit status 0)"),
    ("1..2\nok 1 - a\nok 2 - b\n# ok - g\n", 3, "exit status 3 although every case passed"),
    ("1..0\n# ok - g\n", 0, "declared 0 cases"),
])
def test_declared_and_run_counts_are_compared(tap, status, problem):
    sys.path.insert(0, os.path.dirname(RUNNER))
    import runner
    run = runner.HostRun("host-gcc", "prog", "test_x")
    runner.judge_host(run, runner.parse_tap(tap), status, False)
    assert run.problem == problem
    assert run.ok == (problem is None)


# ---- the same TBF files on every board ------------------------------------------

sys.path.insert(0, os.path.dirname(RUNNER))
import runner  # noqa: E402

def test_tbf_hashes_identical_on_both_boards_pass():
    problems, compared = runner.compare_tbf_hashes({
        "mps2-an385": {"hello": "aa" * 32, "ticker": "bb" * 32, "only385": "cc" * 32},
        "mps2-an505": {"hello": "aa" * 32, "ticker": "bb" * 32}})
    assert problems == [] and compared == 2


def test_tbf_hash_that_differs_between_boards_fails_naming_the_app():
    problems, compared = runner.compare_tbf_hashes({
        "mps2-an385": {"hello": "aa" * 32, "ticker": "bb" * 32},
        "mps2-an505": {"hello": "aa" * 32, "ticker": "b0" * 32}})
    assert compared == 2
    assert len(problems) == 1 and problems[0].startswith("ticker: ")


def test_tbf_hashes_with_nothing_in_common_fail():
    problems, _ = runner.compare_tbf_hashes({"mps2-an385": {"hello": "aa" * 32},
                                             "mps2-an505": {"ticker": "bb" * 32}})
    assert problems == ["no app was booted on two boards"]
