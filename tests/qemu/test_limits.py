"""Every bound the kernel enforces on allow, brk and subscribe, exactly at the
bound and one byte past it (issue 16): apps/limits probes them and counts.

The count is exact, so a check that silently stops running is noticed.
Each check was seen to fail with the kernel's bound moved by one byte: the
mutants limit-* in tests/mutants/mutants.toml (`make mutants MUTANTS=...`).
"""
import re

from qemu_env import KERNEL, app_image

LIMIT_CHECKS = 38  # apps/limits/main.c


def test_every_limit_at_and_one_past(qemu):
    boot = qemu(KERNEL, apps=app_image(qemu.tmp_path / "apps.bin", "limits"), timeout=30)
    assert not boot.timed_out
    m = re.search(r"limits: (\d+) passed, (\d+) failed", boot.output)
    assert m, "no summary"
    assert (int(m.group(1)), int(m.group(2))) == (LIMIT_CHECKS, 0)
    assert boot.status == 0
