"""Power cuts under QEMU: a short run of tools/powercut.py (seeded cuts at
device-write boundaries, recovery boots, region-table, no-lost-region,
cleared-before-live and old-or-new record invariants). The long run
(thousands of cuts) is documented in docs/reliability.md."""
import os
import re
import subprocess
import sys

from qemu_env import ROOT

CUTS = int(os.environ.get("POWERCUT_CUTS", "12"))


def test_short_powercut_run_keeps_every_invariant(tmp_path):
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "powercut.py"),
                        "--cuts", str(CUTS), "--seed", "7", "--cuts-per-run", "4"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{CUTS} power cuts survived, 0 violations" in r.stdout
    figures = dict(re.findall(r"(\w+) (\d+)", r.stdout.splitlines()[-2]))
    assert int(figures["states_checked"]) > 100
    assert int(figures["allocations"]) >= 2   # the recorded runs allocated regions


def test_harness_catches_a_region_that_was_not_cleared():
    # The image-level check must be able to fail: a region made live over junk.
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import powercut

    import fram_inspect
    img = bytearray(powercut.junk_image(32768))
    hdr = fram_inspect.region_record(0x1234, 32768 - 4096, 4096)
    img[0:40] = hdr + hdr
    log = {"allocations": 0}
    try:
        powercut.check_states([bytes(img)], {}, log)
    except powercut.Violation as e:
        assert "not cleared" in str(e)
    else:
        raise AssertionError("a live region full of junk was not reported")
