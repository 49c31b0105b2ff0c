"""The benchmark figures: what each one is, where it sits in build/bench.json,
its target, and reference numbers measured elsewhere.

One table, read by tools/bench.py (the printed table) and by
tools/bench_report.py (the tables in docs/performance.md), so that the two
never disagree on a label, a target or a reference.

A figure's `timed` and `traced` are dotted paths into bench.json (a list of
paths is summed); `None` where that method does not measure the figure.
`before` is the figure measured before the hot-path work (recorded in the
hot-path issue), kept as a constant so that the effect stays visible.
`desc` is one line on what is counted (written to bench.json beside the
value). `refs` are FreeRTOS-MPU figures measured on the same QEMU machine and
counted the same way, by the team that filed the hot-path issue (demo
CORTEX_MPU_M3_MPS2_QEMU_GCC, kernel 78069a79, arm-none-eabi-gcc 12.2, -Os):
they are reference constants, not measured by this tree.
"""

REF_SOURCE = ("FreeRTOS-MPU, CORTEX_MPU_M3_MPS2_QEMU_GCC demo, kernel 78069a79, "
              "gcc 12.2 -Os, same counting method; measured elsewhere, not by this tree")
REF_COLUMNS = ("FreeRTOS-MPU v2", "FreeRTOS-MPU v1", "hand-written floor")

FIGURES = [
    {"key": "command_exists", "label": "command 0 (driver exists; answered by the kernel)",
     "timed": "app.command_exists", "traced": "trace.command_exists.mean"},
    {"key": "null_command",
     "desc": "instructions from an app's `svc 2` (alarm command 1, frequency) to its next instruction", "label": "null command round trip (alarm command 1)",
     "timed": "app.null_command", "traced": "trace.null_command.mean",
     "before": 117, "target": 40, "refs": (183, 44, 22)},
    {"key": "subscribe", "label": "subscribe (alarm upcall 0, null function)",
     "timed": "app.subscribe", "traced": "trace.subscribe.mean"},
    {"key": "allow_rw", "label": "allow read-write (console allow 1, 16 bytes)",
     "timed": "app.allow_rw", "traced": "trace.allow_rw.mean"},
    {"key": "yield_no_wait",
     "desc": "instructions from `svc 0` (yield-no-wait, no upcall queued) to the next instruction", "label": "yield-no-wait, nothing pending",
     "timed": "app.yield_no_wait", "traced": "trace.yield_no_wait.mean",
     "before": 67, "target": 30},
    {"key": "switch_on_yield",
     "desc": "kernel instructions from a blocking yield-wait-for to the other app's next instruction", "label": "context switch on yield (svc -> other app)",
     "timed": None, "traced": "switch.switch_on_yield.mean",
     "before": 252, "target": 90, "refs": (101, 93, 20)},
    {"key": "switch_preempt",
     "desc": "kernel instructions from the SysTick that ends a slice to the other app's next instruction", "label": "context switch on timeslice (SysTick)",
     "timed": None, "traced": "switch.switch_preempt.mean", "before": 199, "target": 90},
    {"key": "upcall_wait_for",
     "desc": "alarm command 5 with dt 0 (fires inside the command) plus the yield-wait-for returning its upcall, both svc counted", "label": "upcall round trip (alarm set 0 ahead + yield-wait-for)",
     "timed": "app.upcall_wait_for",
     "traced": ["trace.upcall_wait_for_cmd.mean", "trace.upcall_wait_for_yield.mean"],
     "before": 584, "target": 200, "refs": (600, 204, 44)},
    {"key": "upcall_fn", "label": "upcall round trip, upcall function run by yield-wait",
     "timed": "app.upcall_fn", "traced": None},
    {"key": "switch_on_wake",
     "desc": "kernel instructions from the timer interrupt that ends a sleep (another app spinning) to the sleeper's next instruction, alarm bookkeeping included", "label": "context switch on wake-up (timer IRQ -> sleeper)",
     "timed": None, "traced": "switch.switch_on_wake.mean", "before": 639, "target": 250},
    {"key": "boot", "label": "boot: reset to first app instruction (FRAM attached)",
     "timed": None, "traced": "boot_instructions"},
    {"key": "nvs_get_size", "label": "0x50004 get-size round trip",
     "timed": "storage.nvs_get_size", "traced": None},
]

# Footprint figures, in bytes, from the `footprint` part of bench.json: the
# sum of `paths`, less `minus` (the kernel stack sits in .bss).
FOOTPRINT = [
    {"key": "kernel_flash",
     "desc": "text + rodata + data of the kernel ELF (FreeRTOS: core only)", "label": "kernel flash, whole kernel (text + data)",
     "paths": ["footprint.size.text", "footprint.size.data"],
     "before": 18844, "target": 16384, "refs": ("20 373 (core only)", 16337, None)},
    {"key": "kernel_ram",
     "desc": "data + bss of the kernel ELF, kernel stack excluded", "label": "kernel static RAM incl. process table (stack excluded)",
     "paths": ["footprint.size.bss", "footprint.size.data"],
     "minus": "footprint.kernel_stack",
     "before": 4040, "target": 4096,
     "refs": ("2 617 + 796 per task", "533 + 252 per task", None)},
]


def lookup(result, path):
    """The number at a dotted path of bench.json, a sum for a list of paths,
    or None when any part is missing."""
    if path is None:
        return None
    if isinstance(path, list):
        parts = [lookup(result, p) for p in path]
        return None if any(p is None for p in parts) else sum(parts)
    node = result
    for name in path.split("."):
        if not isinstance(node, dict) or name not in node:
            return None
        node = node[name]
    return node if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def footprint_value(result, fig):
    total = lookup(result, fig["paths"])
    if total is None or "minus" not in fig:
        return total
    less = lookup(result, fig["minus"])
    return None if less is None else total - less
