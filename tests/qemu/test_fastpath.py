"""The system call fast paths and direct switches against the general paths.

A fast path that answers differently from the general one is a security
bug, so the same runs go through two kernels: build/kernel.elf (fast paths
on) and build/nofast/kernel.elf (`KERNEL_FASTPATH=0`: every call through
syscall_entry(), every switch through the kernel loop; `make test-build`
builds both). Under -icount each run is deterministic; the two kernels take
different numbers of instructions, so only time-independent answers are
compared: every line of the conformance app, and the syscall fuzzer's digest
of all four registers after each non-yield call (apps/syscall_fuzz,
fz_stats_digest)."""
import os
import re
import subprocess

import pytest

from qemu_env import BUILD, KERNEL, app_image, qemu_tool

# `make kernel-nofast` (BUILD=build/nofast): the board's folder inside it.
NOFAST = os.path.join(qemu_tool.board_build(os.path.join(BUILD, "nofast")), "kernel.elf")
DIGEST = re.compile(r"syscall_fuzz: answers digest ([0-9a-f]{8})")
SUMMARY = re.compile(r"syscall_fuzz: seed [0-9a-f]{8}: (\d+) calls, \d+ upcalls ran, (\d+) violations")


def symbols(elf):
    out = subprocess.run(["arm-none-eabi-nm", elf], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[-1] for line in out.splitlines()}


@pytest.fixture(scope="module")
def kernels():
    assert os.path.exists(NOFAST), f"{NOFAST} missing: run `make test-build`"
    return {"fast": KERNEL, "nofast": NOFAST}


def test_the_two_kernels_differ_in_their_fast_paths(kernels):
    """The switch really takes the fast paths out (else the comparison
    below would compare a kernel with itself)."""
    assert "fast_command" in symbols(kernels["fast"])
    assert "fast_command" not in symbols(kernels["nofast"])


def test_conformance_answers_are_identical(qemu, kernels):
    image = app_image(qemu.tmp_path / "apps.bin", "conformance", "hello")
    lines = {}
    for name, elf in kernels.items():
        boot = qemu(elf, apps=image, icount=True)
        assert not boot.timed_out and boot.status == 0, name
        m = re.search(r"conformance: (\d+) passed, 0 failed", boot.output)
        assert m and int(m.group(1)) >= 130, name
        lines[name] = [line for line in boot.output.splitlines() if line.startswith("conformance")]
    assert lines["fast"] == lines["nofast"]


def test_seeded_syscall_fuzz_answers_are_identical(qemu, kernels):
    image = app_image(qemu.tmp_path / "apps.bin", "syscall_fuzz", "ticker")
    seen = {}
    for name, elf in kernels.items():
        boot = qemu(elf, apps=image, icount=True, timeout=120)
        assert not boot.timed_out, name
        assert "KERNEL FAULT" not in boot.output, name
        summary, digest = SUMMARY.search(boot.output), DIGEST.search(boot.output)
        assert summary and digest, name
        assert int(summary.group(2)) == 0, f"{name}: ABI violations"
        seen[name] = (int(summary.group(1)), digest.group(1))
    assert seen["fast"] == seen["nofast"]
