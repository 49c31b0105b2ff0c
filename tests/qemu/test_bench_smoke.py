"""Smoke test for the benchmarks (docs/performance.md): each bench app runs
once and prints well-formed `BENCH name=value` lines with positive values,
and tools/bench.py's parser and trace reader do what the figures rely on.

No figure is compared with a threshold: speed is reported by `make bench`,
never asserted."""
import os
import re
import sys

from qemu_env import ROOT, app_image

sys.path.insert(0, os.path.join(ROOT, "tools"))
import bench  # noqa: E402

WELL_FORMED = re.compile(r"^BENCH [a-z0-9_]+=[0-9]+(\.[0-9])?( [a-z_]+=[0-9.]+)*$")
SYSCALL_FIGURES = ("command_exists", "null_command", "subscribe", "allow_rw", "yield_no_wait",
                   "upcall_wait_for", "upcall_fn", "grant_alarm_bytes", "grant_console_bytes")
STORAGE_FIGURES = ["nvs_get_size", "grant_storage_bytes"] + [
    f"nvs_{op}_{n}" for n in (1, 64, 512, 4096) for op in ("read", "write")]


def bench_lines(output):
    return [line.strip() for line in output.splitlines() if line.startswith("BENCH")]


def check_figures(boot, names):
    assert boot.status == 0 and not boot.timed_out
    lines = bench_lines(boot.output)
    bad = [line for line in lines if not WELL_FORMED.match(line)]
    assert not bad, f"malformed BENCH lines: {bad}"
    figures = bench.parse_bench(boot.output)
    for name in names:
        assert name in figures, f"{name} missing"
        assert figures[name]["value"] is not None and figures[name]["value"] > 0, name


def test_syscall_bench_prints_every_figure(qemu):
    apps = app_image(qemu.tmp_path / "apps.bin", "bench_syscall")
    boot = qemu(apps=apps, fram=str(qemu.tmp_path / "fram.img"), icount=True, timeout=120)
    check_figures(boot, SYSCALL_FIGURES)


def test_storage_bench_prints_every_figure(qemu):
    apps = app_image(qemu.tmp_path / "apps.bin", "bench_storage")
    boot = qemu(apps=apps, fram=str(qemu.tmp_path / "fram.img"), icount=True, timeout=300)
    check_figures(boot, STORAGE_FIGURES)


def test_storage_bench_reports_failure_without_fram(qemu):
    """No chip: the bench says FAIL instead of printing numbers."""
    apps = app_image(qemu.tmp_path / "apps.bin", "bench_storage")
    boot = qemu(apps=apps, fram=None, icount=True, timeout=120)
    assert "BENCH bench_storage FAIL" in boot.output
    assert not any(WELL_FORMED.match(line) and line.startswith("BENCH nvs_")
                   for line in bench_lines(boot.output))


def test_parser_accepts_both_shapes_and_marks_failures():
    text = "\n".join([
        "BENCH null_command=215.0",
        "BENCH fram_read_512 instr_per_byte=563.3 reps=8",
        "BENCH nvs_read_1 FAIL error -2001",
        "[kernel] INFO  BENCH in the middle of a line is not a figure",
        "BENCH garbage",
    ])
    figures = bench.parse_bench(text)
    assert figures["null_command"]["value"] == 215.0
    assert figures["fram_read_512"]["value"] == 563.3
    assert figures["fram_read_512"]["fields"]["reps"] == 8
    assert figures["nvs_read_1"]["value"] is None
    assert figures["garbage"]["value"] is None
    assert len(figures) == 4


def test_trace_counts_each_marked_svc():
    """The exact count: every labelled svc of bench_trace is seen 20 times
    and costs more than the svc instruction alone."""
    counts, where = bench.svc_segments("bench_trace", None)
    for op in ("command_exists", "null_command", "subscribe", "allow_rw", "yield_no_wait",
               "upcall_wait_for_cmd", "upcall_wait_for_yield"):
        assert len(counts[op]) == 20, op
        assert min(counts[op]) > 1, op
        assert "SVC_Handler" in where[op]
