"""The mutation testing table and its runner (tests/mutants/), checked
cheaply on every `make test`: each mutant of the real table still finds its
pattern exactly once and names tests that exist (so a refactor that breaks
a mutant fails here, not at the next `make mutants`), the docs list the same
mutants, and the runner itself works, on the fixture tree in
tests/fixtures/mutants/ (one mutant of each outcome)."""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUN = os.path.join(ROOT, "tests", "mutants", "run.py")
TABLE = os.path.join(ROOT, "tests", "mutants", "mutants.toml")
DOC = os.path.join(ROOT, "docs", "reliability.md")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "mutants")

spec = importlib.util.spec_from_file_location("mutants_run", RUN)
mutants = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mutants)


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "MUTANTS"}
    return subprocess.run([sys.executable, RUN, *args], capture_output=True, text=True,
                          cwd=ROOT, env=env)


# ---- the real table -------------------------------------------------------------

def test_every_mutant_matches_once_and_names_tests_that_exist():
    table = mutants.load_table(TABLE)
    assert len(table) >= 20
    problems = mutants.check_table(ROOT, table)
    assert problems == [], "\n".join(problems)


def test_docs_show_a_table_of_exactly_these_mutants():
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    assert text.count(mutants.DOC_BEGIN) == 1 and text.count(mutants.DOC_END) == 1
    shown = text.split(mutants.DOC_BEGIN)[1].split(mutants.DOC_END)[0]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", shown, re.M)
    assert sorted(listed) == sorted(m.id for m in mutants.load_table(TABLE)), \
        "docs/reliability.md is not the table of the current mutants: run `make mutants` " \
        "then `make mutants-doc`"
    assert "SURVIVED" not in shown and "STALE" not in shown


# ---- the runner on the fixture ---------------------------------------------------

@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    """One whole run on the fixture tree: (process, {id: result}, work)."""
    work = tmp_path_factory.mktemp("mutants") / "work"
    proc = run("--root", FIXTURE, "--work", str(work), "--host-timeout", "2")
    results_file = work.parent / "mutants.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    return proc, {r["id"]: r for r in results.get("mutants", [])}, results, work


def test_each_outcome_is_told_apart(fixture_run):
    proc, by_id, _, _ = fixture_run
    assert proc.returncode == 1, proc.stdout + proc.stderr
    status = {k: (r["status"], r["detail"]) for k, r in by_id.items()}
    assert status["clamp-off-by-one"] == ("KILLED", "test_calc: clamp_keeps_the_limits")
    assert status["sign-flipped"] == ("KILLED", "tests/py/test_calc_py.py::test_sign")
    assert status["sign-small-negatives"] == ("KILLED", "make check (exit status 2)")
    assert status["steps-never-end"][0] == "KILLED"
    assert "timed out" in status["steps-never-end"][1]
    assert status["checksum-skips-first"] == ("SURVIVED", "")
    assert status["gone-pattern"] == ("STALE", "pattern found 0 times")
    assert status["not-c"][0] == "BUILD FAILED"
    assert "error" in status["not-c"][1]


def test_table_and_summary_are_printed(fixture_run):
    proc, _, results, work = fixture_run
    lines = proc.stdout.splitlines()
    assert lines[-1] == "RESULT: FAILED (survivor, stale or unbuildable mutant)"
    assert re.match(r"7 mutants: 4 killed, 1 survived, 1 stale, 1 build failed; \d+ s$",
                    lines[-2]), lines[-2]
    assert "| `checksum-skips-first` | `src/calc.c` | the first byte is not summed " \
           "(no test looks) | **SURVIVED** |" in lines
    assert (work.parent / "mutants.md").read_text().splitlines()[-1] == results["summary"]
    assert results["subset"] is False


def test_the_copy_is_restored_and_the_tree_never_touched(fixture_run):
    _, _, _, work = fixture_run
    for name in ("src/calc.c", "src/calc.py"):
        with open(os.path.join(FIXTURE, name), encoding="utf-8") as f:
            assert (work / "tree" / name).read_text() == f.read()
    assert not os.path.exists(os.path.join(FIXTURE, "build"))


def test_a_subset_runs_only_the_named_mutants(tmp_path):
    proc = run("--root", FIXTURE, "--work", str(tmp_path / "work"), "--only", "clamp-off-by-one")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((tmp_path / "mutants.json").read_text())
    assert [r["id"] for r in results["mutants"]] == ["clamp-off-by-one"]
    assert results["subset"] is True
    assert proc.stdout.splitlines()[-1] == "RESULT: every mutant killed"
    proc = run("--root", FIXTURE, "--work", str(tmp_path / "work"), "--only", "no-such-mutant")
    assert proc.returncode == 2
    assert "MUTANTS names unknown mutant(s): no-such-mutant" in proc.stderr


def test_a_test_failing_unmutated_stops_the_run_naming_it(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURE, tree)
    calc = tree / "src" / "calc.py"
    calc.write_text(calc.read_text().replace("else 0", "else 5"))  # sign(0) is wrong
    proc = run("--root", str(tree), "--work", str(tmp_path / "work"), "--host-timeout", "2")
    assert proc.returncode == 2, proc.stdout
    assert "mutants: fails unmutated: tests/py/test_calc_py.py::test_sign" in proc.stdout
    assert "[1/" not in proc.stdout  # no mutant was tried
    assert not (tmp_path / "mutants.json").exists()


def test_check_mode_names_stale_patterns_and_missing_tests(tmp_path):
    proc = run("--root", FIXTURE, "--check")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "gone-pattern: pattern found 0 times in src/calc.c (must be once)"]
    table = tmp_path / "t.toml"
    table.write_text('[[mutant]]\nid = "x"\nfile = "src/calc.c"\npattern = "return v;"\n'
                     'replace = "return 0;"\nbreaks = "b"\n'
                     'tests = ["host:test_nothing", "tests/py/test_calc_py.py::test_gone"]\n')
    proc = run("--root", FIXTURE, "--table", str(table), "--check")
    assert proc.stdout.splitlines() == [
        "x: host:test_nothing: no tests/host/test_nothing.c",
        "x: tests/py/test_calc_py.py::test_gone: tests/py/test_calc_py.py defines no test_gone()"]


@pytest.mark.parametrize("entry, message", [
    ('id = "x"\nfile = "f"\npattern = "p"\nreplace = "r"\nbreaks = "b"\ntests = ["nonsense"]',
     "test 'nonsense': not host:NAME"),
    ('id = "x"\nfile = "f"\npattern = "p"\nreplace = "p"\nbreaks = "b"\ntests = ["host:t"]',
     "x: empty pattern, or replacement equal to it"),
    ('id = "x"\nfile = "f"\npattern = "p"\nreplace = "r"\ntests = ["host:t"]',
     "missing field(s) ['breaks']"),
    ('id = "Bad Id"\nfile = "f"\npattern = "p"\nreplace = "r"\nbreaks = "b"\ntests = ["host:t"]',
     "id 'Bad Id' is not lower-case words"),
], ids=["unknown-test-kind", "no-change", "missing-field", "bad-id"])
def test_malformed_table_entries_are_refused(tmp_path, entry, message):
    table = tmp_path / "t.toml"
    table.write_text("[[mutant]]\n" + entry + "\n")
    with pytest.raises(mutants.TableError, match=re.escape(message)):
        mutants.load_table(str(table))


def test_doc_takes_the_table_of_a_whole_run_only(tmp_path, fixture_run):
    _, _, results, _ = fixture_run
    doc = tmp_path / "doc.md"
    doc.write_text(f"intro\n{mutants.DOC_BEGIN}\nold table\n{mutants.DOC_END}\noutro\n")
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps(results))
    assert run("--doc", str(doc), "--results", str(whole)).returncode == 0
    text = doc.read_text()
    assert "old table" not in text and text.startswith("intro\n") and text.endswith("outro\n")
    assert "| `clamp-off-by-one` | `src/calc.c` |" in text
    subset = tmp_path / "subset.json"
    subset.write_text(json.dumps(dict(results, subset=True)))
    proc = run("--doc", str(doc), "--results", str(subset))
    assert proc.returncode == 2
    assert "is from a subset run" in proc.stderr
