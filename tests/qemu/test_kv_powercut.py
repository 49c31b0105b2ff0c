"""Power cuts on the key-value store under QEMU (tools/powercut_kv.py):
kv_stress and ot_settings are recorded (tools/powercut.py), the FRAM image after
a seeded choice of device writes is booted, and every recovery boot must
open the store without a damage report and show one whole generation,
the last one reported done or the one in flight (see the tool's docs).
NVS_KV_POWERCUT_CUTS (default 16) and NVS_KV_POWERCUT_SEED (default 1) make
a longer or different run."""
import os
import sys

from qemu_env import ROOT
from libnvs_apps import build_apps

sys.path.insert(0, os.path.join(ROOT, "tools"))
import powercut_kv  # noqa: E402

CUTS = int(os.environ.get("NVS_KV_POWERCUT_CUTS", "16"))
SEED = int(os.environ.get("NVS_KV_POWERCUT_SEED", "1"))


def test_store_is_old_or_new_after_power_cuts(capsys):
    build_apps(powercut_kv.APPS)
    assert powercut_kv.run(CUTS, SEED, cuts_per_run=8) == 0
    out = capsys.readouterr().out
    print(out)
    stats = dict(part.rsplit(" ", 1) for part in
                 out.splitlines()[-2].split("powercut_kv: ", 1)[1].split(", "))
    assert int(stats["cuts"]) == CUTS
    assert int(stats["mid_batch"]) > 0, "no cut fell inside a batch: the test proved nothing"
