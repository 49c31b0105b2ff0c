"""Process-id generations do not wrap (issue 11, latent): a slot whose 24
generation bits are used up is stopped, never given an old id again.

tests/ktest/proc_generation.c starts slot 0 three generations before the
last; apps/restart_loop restarts itself forever. Before the fix it looped
on (the test timed out) with ids repeating those of the first lives.
"""
import re

from qemu_env import app_image, ktest

GEN_LEFT = 3  # tests/ktest/proc_generation.c KTEST_GEN_LEFT
PROC_GEN_LAST = 2**24 - 1


def test_slot_stops_when_its_generations_are_used_up(qemu):
    b = qemu(kernel=ktest("proc_generation"), timeout=30,
             apps=app_image(qemu.tmp_path / "apps.bin", "restart_loop"))
    assert not b.timed_out, "the slot kept restarting past its last generation"
    # The life at the moved generation, then one per generation left.
    assert b.output.count("restart_loop: life") == GEN_LEFT + 1
    assert "process ids of slot 0 used up: stopped" in b.output
    m = re.search(r"slot 0 ended at generation (\d+)", b.output)
    assert m and int(m.group(1)) == PROC_GEN_LAST
    assert b.status == 0
