"""Shared write ids (driver 0x50004): two apps packed with the same storage
write id share one region, as in Tock. The region belongs to the id, not to
the app: whichever app asks first allocates it, the other finds it, and what
one writes the other reads, in the same boot and across boots.

The two apps are nv_guard packed twice under different names with one
write id (tools/tbf_pack.py, elf2tab's options)."""
import os
import re
import subprocess
import sys

from qemu_env import BUILD, KERNEL, ROOT, app_image

sys.path.insert(0, os.path.join(ROOT, "tools"))
import fram_inspect  # noqa: E402

SHARED = 0x5EA


def pack(tmp_path, name, write_id=SHARED):
    out = tmp_path / f"{name}.tbf"
    ids = hex(write_id)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "tbf_pack.py"),
                    os.path.join(BUILD, "apps", "nv_guard.elf"), "-o", str(out), "-n", name,
                    "--stack", "2048", "--app-heap", "2048", "--write_id", ids,
                    "--read_ids", ids, "--access_ids", ids],
                   check=True, capture_output=True)
    return out.read_bytes()


def boot(qemu, fram, *tbfs, sharers_race=False):
    image = app_image(qemu.tmp_path / "apps.bin", *tbfs)
    b = qemu(KERNEL, apps=image, fram=str(fram))
    assert not b.timed_out, "hang"
    assert "KERNEL FAULT" not in b.output
    if not sharers_race:
        assert b.status == 0, b.output
        assert "MISMATCH" not in b.output
    return b.output


def regions(fram):
    return fram_inspect.live_regions(open(fram, "rb").read())


def test_second_app_with_the_same_write_id_reads_the_first_ones_data(qemu):
    fram = qemu.tmp_path / "fram.img"
    out = boot(qemu, fram, pack(qemu.tmp_path, "guard_a"))
    gen = re.search(r"nv_guard: done, \d+ rounds, generation (\d+)", out).group(1)
    assert out.count(f"nvstorage: region for owner {hex(SHARED)}") == 1
    first = regions(fram)
    assert list(first) == [SHARED]
    # Another app, same write id: no new region, the first app's block.
    out = boot(qemu, fram, pack(qemu.tmp_path, "guard_b"))
    assert f"nv_guard: found generation {gen}, 256 bytes intact" in out
    assert "nvstorage: region for owner" not in out
    assert regions(fram) == first


def test_two_apps_with_the_same_write_id_in_one_boot_get_one_region(qemu):
    fram = qemu.tmp_path / "fram.img"
    out = boot(qemu, fram, pack(qemu.tmp_path, "guard_a"), pack(qemu.tmp_path, "guard_b"),
               pack(qemu.tmp_path, "guard_c", write_id=SHARED + 1), sharers_race=True)
    # One allocation for the shared id, one for the other.
    assert out.count(f"nvstorage: region for owner {hex(SHARED)}") == 1
    assert out.count(f"nvstorage: region for owner {hex(SHARED + 1)}") == 1
    assert sorted(regions(fram)) == [SHARED, SHARED + 1]
    # The sharers write the same block in turn, so one of them sees the
    # other's generation where it expected its own (nv_guard reports it);
    # the app with its own id is undisturbed.
    assert "MISMATCH" in out or "found generation" in out
    assert "process 'guard_c' exited with code 0" in out
