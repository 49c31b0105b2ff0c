#!/usr/bin/python3
"""Scale benchmarks: alarm figures as the number of processes grows.

For N = 2, 4 and 8 processes, QEMU (-icount shift=0) runs apps/bench_rt
(first, slot 0), apps/bench_spin and N - 2 apps/bench_idle (alive, blocked
for good). Figures, in instructions (docs/performance.md):

  alarm_roundtrip.nN        traced: the kernel's instructions for an alarm
                            set 0 ticks ahead plus the yield-wait-for that
                            takes its upcall (each from its `svc` to the
                            app's next instruction; median of 200)
  alarm_roundtrip_timed.nN  the same loop timed in the app with the alarm's
                            own counter (loop and register set-up included)
  wakeup_switch.nN          traced: from the timer interrupt that preempts
                            the spinner (IRQ_Handler's first instruction) to
                            bench_rt's first instruction after its sleep
                            (median of the ~200 wake-ups)

  wake_latency_max.nN,      sleep-to-run latency among CPU-bound apps, in
  wake_latency_mean.nN      alarm ticks (40 instructions each): apps/bench_wake
                            (1,000 sleeps of 500 ticks, each measured from
                            the instant the alarm was due to the moment it
                            reads the clock again) beside N - 1 apps/bench_fair
                            spinners
  storage_read_64.nN,       one 64-byte nvs_read / nvs_write in
  storage_write_64.nN       apps/bench_storage (timed in the app, FRAM
                            transfer included) beside N - 1 bench_idle
  boot_scan_per_region      the boot (reset to the first app instruction)
                            over an FRAM holding SCAN_REGIONS regions, minus
                            the same boot over an empty FRAM, divided by
                            SCAN_REGIONS: what the storage capsule's boot
                            scan costs per region

The idle and spinning processes never exit, so each run is stopped once the
measuring app has printed its figures. Called from tools/bench.py
(measure(result) fills result["scale"]); also runnable alone:
bench_scale.py [--json out.json].
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import fram_inspect  # noqa: E402
import qemu as qemu_tool  # noqa: E402

COUNTS = (2, 4, 8)
TIMED = re.compile(r"^BENCH alarm_roundtrip_timed=(\S+)")
WAKE = re.compile(r"^BENCH wake_latency_max_ticks=(\d+) wakeups=\d+ mean_ticks=(\d+)")
STORAGE_64 = re.compile(r"^BENCH nvs_(read|write)_64=(\S+)")
SCAN_REGIONS = 7          # as many as the smallest board's FRAM holds
SCAN_OWNER_BASE = 0x5c00  # write ids of the regions laid on the FRAM
REGION_LEN = 4096         # boards/*/board.h: BOARD_NVS_REGION_SIZE
TIMEOUT = 120             # wall seconds for one run


def image(n):
    """bench_rt first (slot 0, at the start of app flash), then the spinner
    and the idle processes; returns (path, bench_rt's flash range)."""
    names = ["bench_rt", "bench_spin"] + ["bench_idle"] * (n - 2)
    os.makedirs(bench.OUT, exist_ok=True)
    path = os.path.join(bench.OUT, f"scale_n{n}.bin")
    subprocess.run([sys.executable, os.path.join(bench.ROOT, "tools", "tbf_assemble.py"), "-o",
                    path] + [bench.app_path(x) for x in names], check=True, capture_output=True)
    size = os.path.getsize(bench.app_path("bench_rt"))
    return path, (bench.APP_FLASH, bench.APP_FLASH + size)


def first_lines(apps, fram, pattern, wanted=1):
    """The first `wanted` lines matching pattern in a boot under -icount
    (QEMU is stopped there: the other processes never end)."""
    argv = qemu_tool.qemu_argv(bench.KERNEL, apps, fram, icount=True)
    return qemu_tool.boot_until(argv, pattern, wanted, TIMEOUT)[0]


def timed(apps, fram):
    """The in-app figure: run until bench_rt prints it."""
    found = first_lines(apps, fram, TIMED)
    return bench.number(found[0].group(1)) if found else None


def wake_latency(n):
    """(worst, mean) sleep-to-run latency in ticks beside n - 1 spinners."""
    apps = bench.app_image(["bench_wake"] + ["bench_fair"] * (n - 1), f"wake_n{n}")
    found = first_lines(apps, bench.fresh_fram(f"wake{n}"), WAKE)
    return (int(found[0].group(1)), int(found[0].group(2))) if found else (None, None)


def storage_64(n):
    """{read: x, write: y}: one 64-byte transfer beside n - 1 idle processes."""
    apps = bench.app_image(["bench_storage"] + ["bench_idle"] * (n - 1), f"storage_n{n}")
    found = first_lines(apps, bench.fresh_fram(f"storage{n}"), STORAGE_64, wanted=2)
    return {m.group(1): bench.number(m.group(2)) for m in found}


def boot_scan_per_region():
    """Boot over SCAN_REGIONS regions minus boot over none, per region."""
    apps = bench.app_image(["bench_spin"], "scan")
    full = os.path.join(bench.OUT, "scan_full.fram")
    regions = [(SCAN_OWNER_BASE + i, REGION_LEN) for i in range(SCAN_REGIONS)]
    with open(full, "wb") as f:
        f.write(fram_inspect.build_image(regions, qemu_tool.FRAM_SIZE))
    with_regions, _ = bench.boot_instructions(apps, full)
    empty, _ = bench.boot_instructions(apps, bench.fresh_fram("scan_empty"))
    if with_regions is None or empty is None:
        return None
    return round((with_regions - empty) / SCAN_REGIONS)


def traced(apps, rt_range, fram):
    """(round trip samples, wake-up samples) from one instruction trace."""
    elf = os.path.join(bench.APPS, "bench_rt.elf")
    marks = {v & ~1: k[len("bench_svc_rt_"):] for k, v in bench.symbols(elf).items()
             if k.startswith("bench_svc_rt_")}
    entry = bench.entry_point(elf)
    irq = bench.symbols(bench.KERNEL)["IRQ_Handler"] & ~1
    lo, hi = rt_range
    trips = {"cmd": [], "yield": []}
    wakes = []
    base = None
    op = n = wake = None
    last_mine = True
    for pc, _sym in bench.trace_lines(bench.KERNEL, apps, fram):
        if not bench.in_app(pc):
            if op is not None:
                n += 1
            if wake is not None:
                wake += 1
            elif pc == irq and not last_mine:
                wake = 1
            continue
        mine = lo <= pc < hi
        if base is None:
            if not mine:
                raise SystemExit("bench_scale.py: bench_rt did not run first")
            base = pc  # its entry point
        if op is not None and mine:
            trips[op].append(n)
        if wake is not None and mine:
            wakes.append(wake)
        op = wake = None
        last_mine = mine
        name = marks.get(pc - base + entry) if mine else None
        if name == "done":
            break
        if name in trips:
            op, n = name, 1
    return trips, wakes


def median(xs):
    return round(statistics.median(xs), 1) if xs else None


def measure(result):
    scale = result.setdefault("scale", {})
    for n in COUNTS:
        apps, rt_range = image(n)
        scale[f"alarm_roundtrip_timed.n{n}"] = timed(apps, bench.fresh_fram(f"scale{n}"))
        trips, wakes = traced(apps, rt_range, bench.fresh_fram(f"scale{n}t"))
        if trips["cmd"] and trips["yield"]:
            scale[f"alarm_roundtrip.n{n}"] = round(median(trips["cmd"]) +
                                                   median(trips["yield"]), 1)
        scale[f"wakeup_switch.n{n}"] = median(wakes)
        result.setdefault("scale_samples", {})[f"wakeup_switch.n{n}"] = len(wakes)
        scale[f"wake_latency_max.n{n}"], scale[f"wake_latency_mean.n{n}"] = wake_latency(n)
        st = storage_64(n)
        scale[f"storage_read_64.n{n}"] = st.get("read")
        scale[f"storage_write_64.n{n}"] = st.get("write")
    scale["boot_scan_per_region"] = boot_scan_per_region()
    return scale


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", help="write {'scale': ...} here")
    args = ap.parse_args()
    scale = measure({})
    for k in sorted(scale):
        print(f"  {k:<34} {scale[k]}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"scale": scale}, f, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
