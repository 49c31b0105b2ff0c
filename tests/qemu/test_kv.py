"""The key-value store (libnvstorage/nvs_kv.h) on the real kernel and FRAM.

- ot_settings (the OpenThread-style adaptor) keeps its boot count, dataset
  and child list across boots, and after bytes of one entry are damaged on
  the chip, reports it and keeps every other entry;
- kv_stress finds one whole generation at each boot (it checks every key);
- nvs_demo and settings show their key-value sections;
- bench_kv prints well-formed, positive figures (no value is checked:
  performance is reported by `make bench`, never asserted).
"""
import re

from qemu_env import app_image
from libnvs_apps import build_apps
from test_bench_smoke import check_figures

KV_APPS = ["ot_settings", "kv_stress", "nvs_demo", "settings", "bench_kv"]
BENCH_FIGURES = ["raw_read_32", "raw_write_32", "kv_get_32", "kv_put_32", "kv_put_32_new",
                 "kv_entry_bytes", "kv_overhead_bytes", "kv_open_n100", "kv_get_32_n100",
                 "kv_compact_n100", "kv_put_32_amortized_n100"]


def boot(qemu, apps, fram, timeout=60):
    b = qemu(apps=apps, fram=fram, timeout=timeout)
    assert not b.timed_out and b.status == 0, b.output[-1500:]
    return b.output


def expect_ot_boot(out, n, dataset="present"):
    info = "absent" if n == 1 else "present"
    assert f"ot_settings: boot {n} (network info {info}, dataset {dataset})" in out
    children = list(range(max(1, n - 3), n + 1))
    assert f"ot_settings: children {len(children)}: {' '.join(map(str, children))}" in out
    assert "ot_settings: done" in out


def test_ot_settings_keeps_state_across_boots(qemu):
    build_apps(KV_APPS)
    apps = app_image(qemu.tmp_path / "apps.bin", "ot_settings")
    fram = str(qemu.tmp_path / "fram.img")
    for n in range(1, 7):
        out = boot(qemu, apps, fram)
        expect_ot_boot(out, n, "absent" if n == 1 else "present")
        assert "store damaged" not in out


def test_ot_settings_survives_a_damaged_entry(qemu):
    build_apps(KV_APPS)
    apps = app_image(qemu.tmp_path / "apps.bin", "ot_settings")
    fram = qemu.tmp_path / "fram.img"
    for n in range(1, 4):
        boot(qemu, apps, str(fram))
    img = bytearray(fram.read_bytes())
    at = img.find(b"nvkernel-mesh")  # the dataset's value, written once
    assert at > 0 and img.find(b"nvkernel-mesh", at + 1) < 0
    img[at + 3] ^= 0x20
    fram.write_bytes(bytes(img))
    out = boot(qemu, apps, str(fram))
    assert "ot_settings: store damaged: 1 entries failed their checks" in out
    expect_ot_boot(out, 4, dataset="absent")  # the damaged entry is gone, the rest kept
    out = boot(qemu, apps, str(fram))
    expect_ot_boot(out, 5)


def test_kv_stress_finds_whole_generations(qemu):
    build_apps(KV_APPS)
    apps = app_image(qemu.tmp_path / "apps.bin", "kv_stress")
    fram = str(qemu.tmp_path / "fram.img")
    assert "kv_stress: empty store" in boot(qemu, apps, fram)
    for g in (6, 12, 18):
        out = boot(qemu, apps, fram)
        assert "kv_stress: open: success" in out
        assert re.search(rf"kv_stress: loaded generation {g} single {g} keys \d+", out), out
        assert f"kv_stress: batch {g + 6} done" in out
    assert int(re.search(r"kv_stress: done \(epoch (\d+)\)", out).group(1)) > 1  # compacted


def test_demo_apps_show_the_store(qemu):
    build_apps(KV_APPS)
    apps = app_image(qemu.tmp_path / "apps.bin", "nvs_demo", "settings")
    fram = str(qemu.tmp_path / "fram.img")
    first = boot(qemu, apps, fram)
    assert 'nvs_demo: key-value store: runs=1 greeting="hello from the key-value store" keys=2' \
        in first
    assert "settings: kv empty" in first and "settings: kv saved generation 4" in first
    second = boot(qemu, apps, fram)
    assert "nvs_demo: key-value store: runs=2" in second
    assert "settings: kv generation 4 (brightness 4 volume 28 name user-4)" in second
    assert "settings: kv saved generation 8" in second


def test_bench_kv_prints_every_figure(qemu):
    build_apps(KV_APPS)
    apps = app_image(qemu.tmp_path / "apps.bin", "bench_kv")
    b = qemu(apps=apps, fram=str(qemu.tmp_path / "fram.img"), icount=True, timeout=300)
    check_figures(b, BENCH_FIGURES)
