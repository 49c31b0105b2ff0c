"""The kernel's build switches (mk/config.mk: KERNEL_FASTPATH, KERNEL_LTO)
are part of what its objects are: building with another value in the same
build folder must recompile the kernel (mk/kernel.mk keeps them in
<build>/kernel/switches), not link the objects of the other setting. A
stale kernel here would run `make test-qemu KERNEL_FASTPATH=0` on the fast
paths without anyone noticing. Three builds of the kernel alone in a
scratch folder (the cross toolchain is needed; newlib is not)."""
import os
import shutil
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FAST_PATH_SYMBOL = "fast_command"  # kernel/arch/cortex-m/switch.S, KERNEL_FASTPATH=1 only

pytestmark = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None,
                                reason="needs the cross toolchain")


# The switches of an enclosing make (`make test-qemu KERNEL_FASTPATH=0`
# passes its command line down in MAKEFLAGS) must not set this test's.
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "KERNEL_FASTPATH", "KERNEL_LTO")}


def build(build_dir, *switches):
    out = subprocess.run(["make", "--no-print-directory", "kernel", f"BUILD={build_dir}", *switches],
                         cwd=ROOT, env=CLEAN_ENV, capture_output=True, text=True,
                         check=True).stdout
    return [line for line in out.splitlines() if line.lstrip().startswith(("CC ", "AS "))]


def has_fast_paths(build_dir):
    symbols = subprocess.run(["arm-none-eabi-nm", os.path.join(build_dir, "kernel.elf")],
                             capture_output=True, text=True, check=True).stdout
    return any(line.split()[-1] == FAST_PATH_SYMBOL for line in symbols.splitlines())


def test_a_changed_switch_recompiles_the_kernel_and_an_unchanged_one_does_not(tmp_path):
    b = str(tmp_path / "build")
    assert build(b)
    assert has_fast_paths(b)
    assert build(b) == [], "nothing changed, yet the kernel was recompiled"
    recompiled = build(b, "KERNEL_FASTPATH=0")
    assert len(recompiled) > 10, recompiled
    assert not has_fast_paths(b), "KERNEL_FASTPATH=0 linked the objects of the fast kernel"
    assert build(b, "KERNEL_FASTPATH=0") == []
    assert build(b)
    assert has_fast_paths(b)
