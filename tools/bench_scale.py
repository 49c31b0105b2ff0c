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

The idle processes never exit, so each run is stopped once bench_rt is done.
Called from tools/bench.py (measure(result) fills result["scale"]); also
runnable alone: bench_scale.py [--json out.json].
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import qemu as qemu_tool  # noqa: E402

COUNTS = (2, 4, 8)
TIMED = "BENCH alarm_roundtrip_timed="
TIMEOUT = 120  # wall seconds for one run


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


def timed(apps, fram):
    """The in-app figure: run until bench_rt prints it, then stop QEMU."""
    argv = qemu_tool.qemu_argv(bench.KERNEL, apps, fram, icount=True)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    try:
        for line in proc.stdout:
            if line.startswith(TIMED):
                return bench.number(line.strip()[len(TIMED):])
        return None
    finally:
        proc.kill()
        proc.wait()


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
