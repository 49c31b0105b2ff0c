"""The return-register rule (docs/abi.md, TRD104), from raw `svc`s: for every
return variant the kernel gives and every class, the registers the variant
does not use, and r4-r11, come back as the caller left them (apps/regcheck).

Seen to fail with the kernel's return path writing r2/r3 on a Failure
(8 wrong registers in 4 cases) and r3 on a Success with 2 u32 (3 cases).
"""
import re

from qemu_env import KERNEL, app_image

REGCHECK_CASES = 20  # apps/regcheck/main.c


def test_unused_return_registers_keep_the_callers_values(qemu):
    boot = qemu(KERNEL, apps=app_image(qemu.tmp_path / "apps.bin", "regcheck"), timeout=30)
    assert not boot.timed_out
    m = re.search(r"regcheck: (\d+) passed, (\d+) failed", boot.output)
    assert m, "no summary"
    assert (int(m.group(1)), int(m.group(2))) == (REGCHECK_CASES, 0)
    assert boot.status == 0
