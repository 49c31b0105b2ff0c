#!/usr/bin/python3
"""Power cuts on the key-value store (libnvstorage/nvs_kv.h) under QEMU.

The workload is apps/kv_stress (batches of related keys, one generation per
batch, self-checked at every boot; docs in its source) beside
apps/ot_settings (the OpenThread-style adaptor: a boot counter and a child
list). The cuts are made the way tools/powercut.py makes them: one
deterministic run records every FRAM image QEMU writes back
(one per I2C write that reached its STOP); a cut after write k is the k-th
image; the UART text before it says what the apps had been told was done.
Each cut image is booted (the recovery boot) and must show:
  * kv_stress: the store opens without reporting damage (a cut is not
    damage), holds one whole generation G (the app checks every key against
    G and fails with BAD otherwise), and G is the last generation reported
    done before the cut or the next one (a batch in flight lands whole or
    not at all);
  * ot_settings: the boot count it stored is the last one reported or the
    next, and its child list is in order and ends with this boot;
  * the kernel boots and ends cleanly, every app exits 0.
The next recorded run starts from the last recovery boot's image.

Usage: tools/powercut_kv.py --cuts 40 --seed 1   (or tools/powercut.py --kv ...)
Exit status 0 if every check held; the figures go to stdout (and --json).
"""
import argparse
import json
import os
import random
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import powercut as pc  # noqa: E402  (recording and booting)
import qemu as qemu_tool  # noqa: E402

APPS = ["kv_stress", "ot_settings"]
DONE = re.compile(r"kv_stress: batch (\d+) done")
LOADED = re.compile(r"kv_stress: loaded generation (\d+) single (\d+)")
OT_BOOT = re.compile(r"ot_settings: boot (\d+)")
OT_DONE = "ot_settings: done"
OT_CHILDREN = re.compile(r"ot_settings: children \d+:([ \d]*)")


def last_done(text, before):
    """The newest generation reported done in text, else `before`."""
    done = [int(g) for g in DONE.findall(text)]
    return done[-1] if done else before


def ot_stored(text, before):
    """The boot count ot_settings has stored for sure: that of a boot that
    printed its boot line (the count is written before it), else before."""
    boots = [int(b) for b in OT_BOOT.findall(text)]
    return boots[-1] if boots else before


def check_boot(status, out, gen_range, ot_range, log):
    """The invariants of one boot; returns (generation, ot boot count)."""
    if status is None:
        raise pc.Violation("QEMU hung")
    if "KERNEL FAULT" in out:
        raise pc.Violation("kernel fault")
    bad = re.search(r"kv_stress: (BAD|generation \d+ failed).*", out)
    if bad:
        raise pc.Violation(bad.group(0))
    opened = re.search(r"kv_stress: open: (.*)", out)
    if not opened or opened.group(1).strip() != "success":
        raise pc.Violation("store did not open cleanly: " + (opened.group(0) if opened else "-"))
    loaded = LOADED.search(out)
    gen = int(loaded.group(1)) if loaded else 0
    if not loaded and "kv_stress: empty store" not in out:
        raise pc.Violation("kv_stress printed no generation")
    lo, hi = gen_range
    if not lo <= gen <= hi:
        raise pc.Violation(f"store shows generation {gen}, expected {lo}..{hi}")
    log["gen_new" if gen == hi and hi != lo else "gen_old"] += 1
    boot = OT_BOOT.search(out)
    if not boot or OT_DONE not in out:
        raise pc.Violation("ot_settings did not finish")
    b = int(boot.group(1))
    if not ot_range[0] + 1 <= b <= ot_range[1] + 1:
        raise pc.Violation(f"ot_settings boot {b}, expected {ot_range[0] + 1}..{ot_range[1] + 1}")
    children = [int(c) for c in OT_CHILDREN.search(out).group(1).split()]
    if children != sorted(set(children)) or children[-1] != b or len(children) > 4:
        raise pc.Violation(f"ot_settings child list {children} at boot {b}")
    if status != 0:
        raise pc.Violation(f"exit status {status}")
    return gen, b


def run(cuts, seed, cuts_per_run=10, json_path=None):
    rng = random.Random(seed)
    log = {"cuts": 0, "runs": 0, "states": 0, "gen_old": 0, "gen_new": 0, "mid_batch": 0}
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="powercut-kv-") as work:
        apps_bin = pc.assemble(work, "kv.bin", APPS)
        fram = os.path.join(work, "fram.img")
        cut_img = os.path.join(work, "cut.img")
        image = bytes(qemu_tool.FRAM_SIZE)  # a fresh chip
        gen_known, ot_known = 0, 0
        try:
            while log["cuts"] < cuts:
                with open(fram, "wb") as f:
                    f.write(image)
                status, out, states = pc.record(apps_bin, fram, work)
                log["runs"] += 1
                log["states"] += len(states)
                check_boot(status, out, (gen_known, gen_known), (ot_known, ot_known), log)
                if not states:
                    raise pc.Violation("the workload wrote nothing")
                for _ in range(min(cuts_per_run, cuts - log["cuts"])):
                    k = rng.randrange(1, len(states) + 1)
                    uart_at, cut = states[k - 1]
                    text = out[:uart_at]
                    g = last_done(text, gen_known)
                    log["mid_batch"] += len(re.findall(r"batch \d+ begin", text)) > len(
                        DONE.findall(text))
                    o = ot_stored(text, ot_known)
                    with open(cut_img, "wb") as f:
                        f.write(cut)
                    vstatus, vout = pc.boot(apps_bin, cut_img)
                    pc.LAST_OUTPUT[0] = vout
                    # A generation (or boot count) in flight may have landed.
                    vgen, vboot = check_boot(vstatus, vout, (g, g + 1), (o, o + 1), log)
                    log["cuts"] += 1
                with open(cut_img, "rb") as f:
                    image = f.read()
                gen_known = last_done(vout, vgen)
                ot_known = vboot
        except pc.Violation as e:
            print(f"powercut_kv: VIOLATION after {log['cuts']} cuts (seed {seed}): {e}")
            print(pc.LAST_OUTPUT[0][-2000:])
            return 1
    log["seconds"] = round(time.monotonic() - start, 1)
    log["seed"] = seed
    print("powercut_kv: " + ", ".join(f"{k} {v}" for k, v in log.items()))
    print(f"powercut_kv: {log['cuts']} power cuts survived, 0 violations")
    if json_path:
        with open(json_path, "w") as f:
            json.dump(log, f, indent=1)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cuts", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cuts-per-run", type=int, default=10)
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    return run(args.cuts, args.seed, args.cuts_per_run, args.json)


if __name__ == "__main__":
    sys.exit(main())
