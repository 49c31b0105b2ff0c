"""Every bound the kernel enforces on allow, brk and subscribe, exactly at the
bound and one byte past it (issue 16): apps/limits probes them and counts.

The count is exact, so a check that silently stops running is noticed.
Each check was seen to fail with the kernel's bound moved by one byte: the
mutants limit-* in tests/mutants/mutants.toml (`make mutants MUTANTS=...`).
"""
import re

from qemu_env import ARCH, KERNEL, app_image

LIMIT_CHECKS = 38  # apps/limits/main.c


def test_every_limit_at_and_one_past(qemu):
    boot = qemu(KERNEL, apps=app_image(qemu.tmp_path / "apps.bin", "limits"), timeout=30)
    assert not boot.timed_out
    m = re.search(r"limits: (\d+) passed, (\d+) failed", boot.output)
    assert m, "no summary"
    assert (int(m.group(1)), int(m.group(2))) == (LIMIT_CHECKS, 0)
    # The highest break the app found is exactly the MPU's: the last granule
    # boundary at or below the grants (PMSAv7: an eighth of the RAM block;
    # PMSAv8: 32 bytes).
    top, grant, start, end = (int(x, 16) for x in re.search(
        r"limits: highest break 0x(\w+), grants at 0x(\w+), RAM 0x(\w+)\.\.0x(\w+)",
        boot.output).groups())
    granule = (end - start) // 8 if ARCH == "armv7m" else 32
    assert top == start + (grant - start) // granule * granule, hex(top)
    assert boot.status == 0
