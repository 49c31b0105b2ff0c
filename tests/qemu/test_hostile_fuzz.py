"""Syscall fuzzing under QEMU: apps/syscall_fuzz makes 20,000 random and
adversarial system calls (seeded at build time) while a bystander app runs;
the kernel must not fault or hang, the fuzzer must see no answer the ABI
forbids, and the bystander must finish untouched.

The long run (10,000,000 calls) is documented in docs/reliability.md:
    make -C apps/syscall_fuzz NAME=syscall_fuzz_long FUZZ_CALLS=10000000 \
         FUZZ_SEED=0x5eed2 BUILD=$PWD/build
    make -C apps/nv_guard NAME=nv_guard_long NVG_ROUNDS=30000 BUILD=$PWD/build
    FUZZ_APP=syscall_fuzz_long GUARD_APP=nv_guard_long FUZZ_TIMEOUT=3000 \
         /usr/bin/python3 -m pytest -s \
         -q tests/qemu/test_hostile_fuzz.py
"""
import os
import re

from qemu_env import KERNEL, app_image

FUZZ_APP = os.environ.get("FUZZ_APP", "syscall_fuzz")
GUARD_APP = os.environ.get("GUARD_APP", "nv_guard")
FUZZ_TIMEOUT = int(os.environ.get("FUZZ_TIMEOUT", "60"))
SUMMARY = re.compile(r"syscall_fuzz: seed ([0-9a-f]{8}): (\d+) calls, (\d+) upcalls ran, "
                     r"(\d+) violations")
CLASS_LINE = re.compile(r"syscall_fuzz: class (\d) (\S+) +(\d+):((?: \w+=\d+)*)")


def fuzz_summary(out):
    m = SUMMARY.search(out)
    assert m, "no fuzzer summary: the fuzzer died or hung"
    classes = {int(c): int(n) for c, _, n, _ in CLASS_LINE.findall(out)}
    return int(m.group(2)), int(m.group(4)), classes


def check_fuzzer(boot, min_calls):
    out = boot.output
    asked = re.search(r"syscall_fuzz: seed [0-9a-f]{8}, (\d+) calls", out)
    assert asked, "the fuzzer never started"
    min_calls = max(min_calls, int(asked.group(1)))
    assert not boot.timed_out, "QEMU did not finish: a hang"
    assert "KERNEL FAULT" not in out and "kernel halted" not in out
    assert not re.search(r"process '\w+' faulted", out), "an app faulted"
    calls, violations, classes = fuzz_summary(out)
    assert calls >= min_calls
    assert violations == 0, "kernel gave answers the ABI forbids (VIOLATION lines)"
    # Every class 0-7 was exercised.
    assert sorted(classes) == list(range(8)) and all(n > 0 for n in classes.values())
    assert re.search(rf"process '{FUZZ_APP}' exited with code 0", out)
    # The figures (shown with pytest -s; docs/reliability.md records them).
    print("\n".join(line for line in out.splitlines() if line.startswith("syscall_fuzz:")))
    return out


def test_fuzz_beside_ticker_without_fram(qemu):
    image = app_image(qemu.tmp_path / "apps.bin", FUZZ_APP, "ticker")
    boot = qemu(KERNEL, apps=image, timeout=FUZZ_TIMEOUT)
    out = check_fuzzer(boot, 20000)
    assert "ticker: tick 20" in out and "ticker: done" in out
    assert "process 'ticker' exited with code 0" in out
    assert boot.status == 0


def test_fuzz_beside_nv_guard(qemu):
    fram = qemu.tmp_path / "fram.img"
    image = app_image(qemu.tmp_path / "apps.bin", FUZZ_APP, GUARD_APP)
    boot = qemu(KERNEL, apps=image, fram=str(fram), timeout=FUZZ_TIMEOUT)
    out = check_fuzzer(boot, 20000)
    assert "nv_guard: no storage driver" not in out
    assert "MISMATCH" not in out
    # The guard ran while the fuzzer was running, not only after it.
    start = out.index("syscall_fuzz: seed")
    end = SUMMARY.search(out).start()
    assert "nv_guard: round 1 ok" in out[start:end]
    assert re.search(r"nv_guard: done, \d+ rounds", out)
    assert f"process '{GUARD_APP}' exited with code 0" in out
    assert boot.status == 0
    # A second boot: the guard finds its last generation intact.
    gen = re.search(r"nv_guard: done, \d+ rounds, generation (\d+)", out).group(1)
    again = app_image(qemu.tmp_path / "guard.bin", "nv_guard")
    boot2 = qemu(KERNEL, apps=again, fram=str(fram), timeout=FUZZ_TIMEOUT)
    assert f"nv_guard: found generation {gen}, 256 bytes intact" in boot2.output
    assert boot2.status == 0
