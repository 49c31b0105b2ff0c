"""libnvstorage on the real kernel and FRAM: every public function through
real apps (nvs_apitest checks each entry point's success and error paths),
the example apps, permissions (none, read-only), isolation between apps
running together, a full storage area (NOMEM), a missing FRAM chip, and the
boot counter growing by one per boot (what `make run` shows)."""
import re

import pytest

from qemu_env import KERNEL, qemu_tool
from libnvs_apps import build_apps, image, repack, tbf

NVS_OK = 0
NVS_ERR_FAIL = -1
NVS_ERR_NOMEM = -9
NVS_ERR_NOSUPPORT = -10
NVS_ERR_NO_RECORD = -2005

# Every public function of the library has at least one check by these
# names in apps/nvs_apitest (success and error paths); if one disappears,
# this list notices.
APITEST_CHECKS = [
    # nvs_exists, nvs_size
    "exists", "size", "size_null", "size_stable",
    # nvs_read / nvs_write: success, zero length, NULL, outside, upper word
    "read_matches", "read_last_matches", "read_len0", "write_len0", "read_null", "write_null",
    "read_across_end", "write_across_end", "read_at_end", "write_past_end",
    "read_upper_word", "write_upper_word", "whole_region_matches",
    # async calls, busy rules, callbacks, errors delivered by upcall
    "busy_while_pending", "sync_read_busy", "read_async_busy", "size_async_busy",
    "write_async_cb_once", "write_async_moved", "not_busy_after", "read_async_matches",
    "size_async_value", "read_async_past_end_cb", "write_async_upper_cb",
    "read_async_null_cb", "read_async_null_buf", "write_async_len0", "size_async_null_cb",
    "sync_after_async",
    # nvs_pread / nvs_pwrite
    "pread_inside", "pwrite_short_at_end", "pread_short_at_end", "pread_at_end",
    "pread_past_end", "pwrite_at_end", "pwrite_past_end", "pread_upper_word", "pread_null",
    "pwrite_null",
    # nvs_fopen and the stream
    "fopen_append_refused", "fopen_append_err", "fopen_null_mode", "fopen_ok",
    "fprintf_buffered", "fflush_reached_chip", "fscanf_value", "ftell_end", "fread_to_eof",
    "feof", "fseek_past_end", "write_past_end_refused", "write_past_end_errno", "fclose",
    "persisted_text", "partial_flush_landed",
    # records, crc
    "footprint", "crc32_check_value", "record_load_none", "record_save", "record_value",
    "record_seq", "record_valid_both", "record_other_size", "record_null",
    "record_save_null", "record_outside",
    # errors
    "strerror_nosupport", "strerror_unknown", "from_tock", "to_errno",
]


@pytest.fixture(scope="module", autouse=True)
def apps_built():
    build_apps()


REGION_SIZE = 4096  # boards/*/board.h BOARD_NVS_REGION_SIZE


def fram(qemu, name="fram.img"):
    return str(qemu.tmp_path / name)


def finished_ok(boot):
    assert not boot.timed_out, "QEMU did not finish"
    assert "KERNEL FAULT" not in boot.output
    assert boot.status == 0, f"kernel exit status {boot.status}"


def probe_results(output, app):
    """nvs_noperm's lines: {call: error number}."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(rf"^{app}: (\w+): (-?\d+) ", output, re.M)}


def test_apitest_every_public_function_success_and_errors(qemu):
    boot = qemu(KERNEL, apps=image(qemu.tmp_path, [tbf("nvs_apitest")]), fram=fram(qemu))
    out = boot.output
    assert not boot.timed_out
    failures = re.findall(r"^apitest: FAIL .*$", out, re.M)
    assert failures == []
    summary = re.search(r"apitest: (\d+) checks, (\d+) failed", out)
    assert summary, "apitest did not finish"
    assert int(summary.group(2)) == 0
    passed = set(re.findall(r"^apitest: ok (\w+)$", out, re.M))
    assert len(passed) == int(summary.group(1))
    missing = [c for c in APITEST_CHECKS if c not in passed]
    assert missing == []
    print(f"nvs_apitest: {len(passed)} checks passed")
    finished_ok(boot)


def test_boot_counter_grows_by_one_per_boot(qemu):
    apps = image(qemu.tmp_path, [tbf("boot_counter")])
    counts = []
    for _ in range(3):
        boot = qemu(KERNEL, apps=apps, fram=fram(qemu))
        finished_ok(boot)
        m = re.search(r"boot_counter: this board has booted (\d+) times?", boot.output)
        assert m, "no boot count printed"
        counts.append(int(m.group(1)))
    assert counts == [1, 2, 3]


def test_make_run_style_boots_twice_increase_count_by_one(qemu, tmp_path):
    """The `make run` demo on an FRAM image that already has history: two
    runs in a row differ by exactly one."""
    apps = image(tmp_path, [tbf("boot_counter")])
    img = fram(qemu, "used.img")
    for _ in range(4):
        finished_ok(qemu(KERNEL, apps=apps, fram=img))
    first = qemu(KERNEL, apps=apps, fram=img)
    second = qemu(KERNEL, apps=apps, fram=img)
    finished_ok(first)
    finished_ok(second)
    n1 = int(re.search(r"booted (\d+) time", first.output).group(1))
    n2 = int(re.search(r"booted (\d+) time", second.output).group(1))
    assert (n1, n2) == (5, 6)


def test_fresh_fram_boot_counter_starts_at_one_even_with_other_data(qemu):
    """A region that held something else (not a record) reads as no record."""
    apps = image(qemu.tmp_path, [tbf("boot_counter")])
    img = qemu.tmp_path / "junk.img"
    img.write_bytes(bytes([0xFF]) * qemu_tool.FRAM_SIZE)  # erased-looking chip: no regions
    boot = qemu(KERNEL, apps=str(apps), fram=str(img))
    finished_ok(boot)
    assert "booted 1 time" in boot.output


def test_nvs_demo_tour(qemu):
    apps = image(qemu.tmp_path, [tbf("nvs_demo")])
    boot = qemu(KERNEL, apps=apps, fram=fram(qemu))
    finished_ok(boot)
    out = boot.output
    assert "nvs_demo: driver present, region is" in out
    assert 'nvs_demo: sync read back "hello, nonvolatile world"' in out
    assert 'async read moved 25 bytes: "hello, nonvolatile world"' in out
    assert 'nvs_demo: stdio read back "demo 42"' in out
    assert "pread of 16 bytes 8 before the end got 8 (short read)" in out
    assert "nvs_demo: pread at the end got 0" in out
    assert "pread past the end: offset past the end of the region" in out
    assert "demo has run 1 times" in out
    assert "nvs_demo: tour complete" in out
    again = qemu(KERNEL, apps=apps, fram=fram(qemu))
    finished_ok(again)
    assert "demo has run 2 times" in again.output


def test_settings_survive_reboots(qemu):
    apps = image(qemu.tmp_path, [tbf("settings")])
    first = qemu(KERNEL, apps=apps, fram=fram(qemu))
    finished_ok(first)
    assert "settings: no settings yet, using defaults" in first.output
    assert "settings: saved generation 4" in first.output
    second = qemu(KERNEL, apps=apps, fram=fram(qemu))
    finished_ok(second)
    assert "settings: loaded generation 4 slots valid=3 damaged=0" in second.output
    assert "settings: name=user-4 brightness=4 volume=28" in second.output


def test_noperm_app_gets_nosupport_everywhere_and_exits_cleanly(qemu):
    apps = image(qemu.tmp_path, [tbf("nvs_noperm")])
    boot = qemu(KERNEL, apps=apps, fram=fram(qemu))
    finished_ok(boot)
    res = probe_results(boot.output, "nvs_noperm")
    assert res.pop("nvs_exists") == NVS_OK
    assert len(res) == 8
    assert all(err == NVS_ERR_NOSUPPORT for err in res.values()), res
    assert "no storage permission; running without persistent state" in boot.output
    assert "exited with code 0" in boot.output


def test_read_only_permission_reads_but_cannot_write(qemu):
    ro = repack(qemu.tmp_path, "nvs_noperm", "nvs_ro", write_id=0x3001, read_ids=[0x3001])
    boot = qemu(KERNEL, apps=image(qemu.tmp_path, [ro]), fram=fram(qemu))
    finished_ok(boot)
    res = probe_results(boot.output, "nvs_noperm")
    assert res["nvs_size"] == NVS_OK
    assert res["nvs_read"] == NVS_OK
    assert res["nvs_pread"] == NVS_OK
    assert res["nvs_fopen"] == NVS_OK
    assert res["nvs_record_load"] == NVS_ERR_NO_RECORD
    assert res["nvs_write"] == NVS_ERR_NOSUPPORT
    assert res["nvs_pwrite"] == NVS_ERR_NOSUPPORT
    assert res["nvs_record_save"] == NVS_ERR_NOSUPPORT


def test_apps_running_together_stay_isolated(qemu):
    """nvs_stress hammers its region while boot_counter, settings and the
    refused nvs_noperm run beside it: every app sees only its own data."""
    apps = image(qemu.tmp_path, [tbf("nvs_stress"), tbf("boot_counter"), tbf("settings"),
                                 tbf("nvs_noperm")])
    for run in (1, 2):
        boot = qemu(KERNEL, apps=apps, fram=fram(qemu), timeout=60)
        finished_ok(boot)
        out = boot.output
        m = re.search(r"nvs_stress: (\d+) operations verified, (\d+) mismatches", out)
        assert m and int(m.group(2)) == 0 and int(m.group(1)) > 100
        assert f"booted {run} time" in out
        assert "settings: TORN" not in out
        assert "nvs_noperm: no storage permission" in out


def test_storage_beside_a_spinner_and_a_ticker_all_finish(qemu):
    """The timer interrupts the spinner while the storage driver's next step
    (a deferred call) is pending. The interrupt's bottom half runs in its
    own exception (kernel/sched.c, sched_interrupt): the spinner goes back
    into the run queue there, and the work left makes the kernel loop take
    over without queueing it a second time. A second queueing links the
    preempted process to itself or cuts the queue after it: the processes
    that wait in the queue without an event to wake them, the other
    spinner, would never run again."""
    apps = image(qemu.tmp_path, [tbf("nvs_stress"), tbf("spin"), tbf("spin"), tbf("ticker")])
    boot = qemu(KERNEL, apps=apps, fram=fram(qemu), timeout=60)
    finished_ok(boot)
    out = boot.output
    m = re.search(r"nvs_stress: (\d+) operations verified, (\d+) mismatches", out)
    assert m and int(m.group(2)) == 0 and int(m.group(1)) > 100
    assert "ticker: done" in out
    assert len(set(re.findall(r"spin@([0-9a-f]+): done", out))) == 2, "both spinners finish"
    for app in ("nvs_stress", "spin", "ticker"):
        assert f"process '{app}' exited with code 0" in out


def test_area_full_gives_nomem_to_the_app_that_does_not_fit(qemu):
    """More apps with distinct write ids than the FRAM area has regions for:
    exactly as many as fit get a region, every other one a clean NOMEM. The
    area holds FRAM size / 4 KiB - 1 regions of 4 KiB (the directory and the
    END record take less than one region: docs/nvstorage.md), so 7 on the
    32 KiB FRAM. One boot holds at most 8 apps (the process limit), so boots
    of 8 new owners each, on one FRAM, until one more than fits has asked."""
    fit = qemu_tool.FRAM_SIZE // REGION_SIZE - 1
    boots = fit // 8 + 1
    sizes = []
    for b in range(boots):
        ids = [0x4000 + 8 * b + i for i in range(8)]
        apps = [repack(qemu.tmp_path, "nvs_noperm", f"nvs_fill{i:02x}", write_id=i, read_ids=[i],
                       modify_ids=[i]) for i in ids]
        boot = qemu(KERNEL, apps=image(qemu.tmp_path, apps), fram=fram(qemu), timeout=60)
        finished_ok(boot)
        got = [int(x) for x in re.findall(r"^nvs_noperm: nvs_size: (-?\d+) ", boot.output, re.M)]
        assert len(got) == 8
        sizes += got
    assert sizes.count(NVS_OK) == fit
    assert sizes.count(NVS_ERR_NOMEM) == len(sizes) - fit
    assert "no room left for a storage region (NOMEM)" in boot.output


def test_missing_fram_chip_is_an_error_not_a_crash(qemu):
    app = repack(qemu.tmp_path, "nvs_noperm", "nvs_nochip", write_id=0x5001,
                 read_ids=[0x5001], modify_ids=[0x5001])
    boot = qemu(KERNEL, apps=image(qemu.tmp_path, [app]), fram=None)
    finished_ok(boot)
    res = probe_results(boot.output, "nvs_noperm")
    # The contract's error for a device that is not there: FAIL, everywhere.
    assert res["nvs_size"] == NVS_ERR_FAIL
    assert res["nvs_read"] == NVS_ERR_FAIL and res["nvs_write"] == NVS_ERR_FAIL
    assert res["nvs_record_save"] == NVS_ERR_FAIL


def test_stress_twice_on_the_same_fram(qemu):
    apps = image(qemu.tmp_path, [tbf("nvs_stress")])
    for _ in range(2):
        boot = qemu(KERNEL, apps=apps, fram=fram(qemu))
        finished_ok(boot)
        m = re.search(r"nvs_stress: (\d+) operations verified, (\d+) mismatches", boot.output)
        assert m, "nvs_stress did not finish"
        assert int(m.group(2)) == 0
        print(f"nvs_stress: {m.group(1)} operations verified")
