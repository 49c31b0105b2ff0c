"""Power cuts during atomic record saves (libnvstorage/nvs_record.h).

The settings app loads its record, checks that it is whole (every field is
derived from the generation number, so a mix of two versions shows without
trusting the library's CRC), then saves four new generations. This test
boots it again and again on one FRAM image and cuts the power in most of
those boots at a seeded, reproducible instant.

How the cut is made deterministic: QEMU runs with -icount shift=0 (the guest
is deterministic) and a small TCG plugin (tests/qemu/powercut_plugin.c,
built here with the host compiler) that ends QEMU with _exit() just before
guest instruction N + 1. The same seed gives the same N sequence and so the
same cuts; the FRAM image keeps exactly the I2C writes that reached their
STOP, as a real FRAM would after a power loss.

After every boot the record the app loads must be the last generation known
to be saved, or (if a save was cut off) the one after it; never older, never
torn, never missing. Parameters: NVS_POWERCUT_CUTS (default 60) and
NVS_POWERCUT_SEED (default 1).
"""
import os
import random
import re
import subprocess

import pytest

from qemu_env import KERNEL, ROOT
from libnvs_apps import build_apps, image, tbf

CUTS = int(os.environ.get("NVS_POWERCUT_CUTS", "60"))
SEED = int(os.environ.get("NVS_POWERCUT_SEED", "1"))
POWERCUT_STATUS = 99  # powercut_plugin.c POWERCUT_STATUS
PLUGIN_SRC = os.path.join(ROOT, "tests", "qemu", "powercut_plugin.c")


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    build_apps(["settings"])
    so = tmp_path_factory.mktemp("powercut") / "powercut.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-o", str(so), PLUGIN_SRC], check=True)
    return str(so)


def boot_settings(qemu, plugin, apps, fram, cut=None):
    arg = plugin if cut is None else f"{plugin},cut={cut}"
    return qemu(KERNEL, apps=apps, fram=fram, icount=True, timeout=60,
                extra=("-plugin", arg, "-d", "plugin"))


class Ledger:
    """What is known about the stored record across boots."""

    def __init__(self):
        self.known = 0        # newest generation known to be on the chip
        self.in_flight = False  # a save of known + 1 may have been cut off
        self.loads = 0
        self.new_after_cut = 0
        self.old_after_cut = 0
        self.damaged_seen = 0

    def follow(self, out, was_cut):
        assert "settings: TORN" not in out, "a torn record was loaded"
        assert "settings: load failed" not in out
        assert "settings: save failed" not in out
        loaded = re.search(r"settings: loaded generation (\d+) slots valid=(\d+) "
                           r"damaged=(\d+)", out)
        if "settings: no settings yet" in out:
            assert self.known == 0, "a saved record disappeared"
            self.in_flight = False
        elif loaded:
            gen = int(loaded.group(1))
            allowed = {self.known, self.known + 1} if self.in_flight else {self.known}
            assert gen in allowed, f"loaded generation {gen}, expected one of {allowed}"
            if self.in_flight:
                if gen == self.known + 1:
                    self.new_after_cut += 1
                else:
                    self.old_after_cut += 1
            self.damaged_seen += int(loaded.group(3)) != 0
            self.known = gen
            self.in_flight = False
            self.loads += 1
        for m in re.finditer(r"settings: saved generation (\d+)", out):
            self.known = int(m.group(1))
            self.in_flight = False
        # A cut boot that did not finish may have started one more save,
        # even if its "saving" line did not make it out of the UART.
        if was_cut and "settings: done" not in out and (loaded or "no settings yet" in out):
            self.in_flight = True


def test_records_are_old_or_new_after_power_cuts_at_seeded_instants(qemu, plugin):
    apps = image(qemu.tmp_path, [tbf("settings")])
    fram = str(qemu.tmp_path / "fram.img")
    ledger = Ledger()

    # Calibrate: how many instructions a whole boot with four saves takes
    # (the second boot: the first also allocates and clears the region).
    for want in (4, 8):
        calib = boot_settings(qemu, plugin, apps, fram)
        assert calib.status == 0 and not calib.timed_out
        ledger.follow(calib.output, was_cut=False)
        assert ledger.known == want
    total = int(re.search(r"powercut: (\d+) instructions", calib.output).group(1))

    rng = random.Random(SEED)
    cuts = mid_save = 0
    for _ in range(CUTS):
        at = rng.randrange(total)
        boot = boot_settings(qemu, plugin, apps, fram, cut=at)
        assert not boot.timed_out
        was_cut = boot.status == POWERCUT_STATUS
        if not was_cut:
            assert boot.status == 0, f"status {boot.status}"
        cuts += was_cut
        saving = re.findall(r"settings: saving generation (\d+)", boot.output)
        saved = re.findall(r"settings: saved generation (\d+)", boot.output)
        mid_save += was_cut and len(saving) > len(saved)
        ledger.follow(boot.output, was_cut)

    # A last, uncut boot must load cleanly too.
    final = boot_settings(qemu, plugin, apps, fram)
    assert final.status == 0
    ledger.follow(final.output, was_cut=False)

    print(f"power cuts: {cuts} cuts (seed {SEED}, {total} instructions per boot), "
          f"{mid_save} during a save; loads after a cut save: {ledger.new_after_cut} new, "
          f"{ledger.old_after_cut} old; {ledger.damaged_seen} loads saw a damaged slot")
    assert cuts >= CUTS * 3 // 4, "most boots should have been cut"
    assert mid_save > 0, "no cut landed inside a save: the test proved nothing"
    assert ledger.loads >= CUTS // 2


def test_same_seed_gives_same_cut(qemu, plugin):
    """Determinism: the same instruction count cuts at the same place."""
    apps = image(qemu.tmp_path, [tbf("settings")])
    outs = []
    for name in ("a.img", "b.img"):
        fram = str(qemu.tmp_path / name)
        boot_settings(qemu, plugin, apps, fram)
        cut = boot_settings(qemu, plugin, apps, fram, cut=1_500_000)
        assert cut.status == POWERCUT_STATUS
        with open(fram, "rb") as f:
            outs.append((cut.output, f.read()))
    assert outs[0][0] == outs[1][0]
    assert outs[0][1] == outs[1][1]
