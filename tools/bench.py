#!/usr/bin/python3
"""Run the benchmarks and report instruction counts and kernel footprint.

Builds nothing: `make bench` (mk/bench.mk) builds the kernel, the ktests and
the apps first. Every QEMU run uses -icount shift=0, so virtual time moves
1 ns per instruction and every figure is an instruction count that comes out
the same on every run and every machine. docs/performance.md explains each
figure; this script is the single place that produces them.

Two ways of counting, cross-checked against each other:
  * timed in the app: bench apps time many repetitions with the alarm
    capsule's tick (40 instructions at 25 MHz, 50 at 20 MHz: 10^9 / its
    frequency, which the apps ask the capsule for) and subtract a baseline loop;
    they print `BENCH name=value` lines.
  * traced: QEMU's `-singlestep -d exec,nochain` logs every executed
    instruction's PC; we count the kernel instructions between a marked
    `svc` in the app and the app's next instruction, between a trap and the
    return to a process (context switches), and from reset to the first app
    instruction (boot). The log streams through a pipe, never to disk.

Per board: --board (else NVK_BOARD, else mps2-an385) picks the kernel
(build/kernel.elf or build/<board>/kernel.elf) and the QEMU machine; the
apps are the same files on every board. `make bench BOARD=...` writes
build/bench.json (mps2-an385) or build/<board>/bench.json.

Usage: bench.py [--board B] [--json build/bench.json] [--skip-trace]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import qemu as qemu_tool  # noqa: E402
import klog  # noqa: E402  (the kernel's log records back to text)
import bench_kv  # noqa: E402  (the key-value store's figures)
import bench_figures as figs  # noqa: E402  (labels, targets, references)

BUILD = os.path.join(ROOT, "build")
APPS = os.path.join(BUILD, "apps")
CROSS = "arm-none-eabi-"
KERNEL_FLASH_SIZE = 0x40000   # boards/*/layout.ld: 256 KiB right below the app flash
TIMEOUT = 300                 # seconds of wall time for one QEMU run


def use_board(name):
    """Point every path and address here at board `name`."""
    global BOARD, KBUILD, KERNEL, KERNEL_MAP, OUT, APP_FLASH, APP_FLASH_END
    global KERNEL_FLASH, KERNEL_FLASH_END
    qemu_tool.select_board(name)
    BOARD = name
    KBUILD = qemu_tool.board_build(BUILD)
    KERNEL = os.path.join(KBUILD, "kernel.elf")
    KERNEL_MAP = os.path.join(KBUILD, "kernel.map")
    OUT = os.path.join(KBUILD, "bench")
    APP_FLASH, APP_FLASH_END = qemu_tool.APP_FLASH_ADDR, qemu_tool.APP_FLASH_END
    KERNEL_FLASH_END = APP_FLASH  # kernel code lies below the app flash
    KERNEL_FLASH = KERNEL_FLASH_END - KERNEL_FLASH_SIZE


use_board(qemu_tool.BOARD)

BENCH_LINE = re.compile(r"^BENCH (\S+)(.*)$")
TRACE_LINE = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/[0-9a-f]+\] ?(.*)$")
REWIND_LINE = re.compile(r"^cpu_io_recompile: rewound execution of TB to ([0-9a-f]+)")


# ---------------------------------------------------------------- running

def app_path(name):
    path = os.path.join(APPS, f"{name}.tbf")
    if not os.path.exists(path):
        raise SystemExit(f"bench.py: {path} missing: run `make apps` (or `make bench`)")
    return path


def app_image(names, tag):
    """Lay the apps' TBFs back to back, biggest first, so each image sits on
    a multiple of its own (power of two) size as the MPU needs."""
    blobs = [open(app_path(n), "rb").read() for n in names]
    blobs.sort(key=len, reverse=True)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"{tag}.bin")
    with open(path, "wb") as f:
        for b in blobs:
            f.write(b)
    return path


def fresh_fram(tag):
    """A zero-filled FRAM image (a fresh chip) for one run."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"{tag}.fram")
    with open(path, "wb") as f:
        f.write(bytes(qemu_tool.FRAM_SIZE))
    return path


def run(kernel, apps=None, fram=None, extra=(), timeout=TIMEOUT):
    """One deterministic boot; returns (UART output, kernel log decoded;
    exit status)."""
    argv = qemu_tool.qemu_argv(kernel, apps, fram, icount=True, extra=extra)
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        out, status = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, status = e.stdout or b"", None
    return klog.decode(kernel, out).decode("utf-8", "replace"), status


def parse_bench(text):
    """BENCH lines -> {name: {"value": float or None, "fields": {...}}}.

    Accepted shapes: `BENCH name=value [k=v ...]` and
    `BENCH name k=v [k=v ...]` (the FRAM ktest's). A line whose words
    include FAIL marks the figure failed (value None)."""
    found = {}
    for line in text.splitlines():
        m = BENCH_LINE.match(line.strip())
        if not m:
            continue
        head, rest = m.group(1), m.group(2).split()
        fields = {}
        for word in rest:
            if "=" in word:
                k, v = word.split("=", 1)
                fields[k] = number(v)
        if "=" in head:
            name, v = head.split("=", 1)
            value = number(v)
        else:
            name, value = head.rstrip(":"), None
            if "instr_per_byte" in fields:
                value = fields["instr_per_byte"]
        if "FAIL" in rest or value is None and not fields:
            found.setdefault(name, {"value": None, "fields": {"failed": " ".join(rest)}})
            continue
        found[name] = {"value": value, "fields": fields}
    return found


def number(text):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


# ---------------------------------------------------------------- tracing

def trace_lines(kernel, apps=None, fram=None, dfilter=None):
    """Yield (pc, symbol) for every executed instruction QEMU logs, in order.

    -singlestep makes each translation block one instruction; nochain makes
    QEMU log every execution. Under -icount a device access in the middle of
    a block is replayed ("rewound"): the first, abandoned execution is
    dropped here so that each instruction counts once."""
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=OUT)
    fifo = os.path.join(tmp, "exec.log")
    os.mkfifo(fifo)
    extra = ["-singlestep", "-d", "exec,nochain", "-D", fifo]
    if dfilter:
        extra += ["-dfilter", dfilter]
    argv = qemu_tool.qemu_argv(kernel, apps, fram, icount=True, extra=extra)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    pending = None
    try:
        with open(fifo, "r", errors="replace") as log:
            for line in log:
                m = TRACE_LINE.match(line)
                if m:
                    if pending is not None:
                        yield pending
                    pending = (int(m.group(1), 16), m.group(2).strip())
                    continue
                m = REWIND_LINE.match(line)
                if m and pending is not None and pending[0] == int(m.group(1), 16):
                    pending = None
            if pending is not None:
                yield pending
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.unlink(fifo)
        os.rmdir(tmp)


def in_app(pc):
    return APP_FLASH <= pc < APP_FLASH_END


def boot_instructions(apps, fram):
    """Instructions from reset to the first instruction of the first app,
    and the kernel functions they ran in (the ten biggest)."""
    where = collections.Counter()
    for pc, sym in trace_lines(KERNEL, apps, fram):
        if in_app(pc):
            return sum(where.values()), dict(where.most_common(10))
        where[sym or f"{pc:#x}"] += 1
    return None, {}


def symbols(elf):
    """{name: address} from nm."""
    out = subprocess.run([CROSS + "nm", elf], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def entry_point(elf):
    out = subprocess.run([CROSS + "readelf", "-h", elf], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r"Entry point address:\s+(0x[0-9a-f]+)", out).group(1), 16) & ~1


def svc_segments(app, fram):
    """Trace one app alone. For each instruction labelled bench_svc_<op> in
    its ELF: the instructions from that svc to the app's next instruction
    (the svc counted), one list per op, and which kernel functions they ran
    in (summed over all repetitions)."""
    elf = os.path.join(APPS, f"{app}.elf")
    marks = {v & ~1: k[len("bench_svc_"):] for k, v in symbols(elf).items()
             if k.startswith("bench_svc_")}
    entry = entry_point(elf)
    counts = collections.defaultdict(list)
    where = collections.defaultdict(collections.Counter)
    base = None           # runtime address of the ELF's entry point
    op, n, spent = None, 0, None
    for pc, sym in trace_lines(KERNEL, app_image([app], app), fram):
        if not in_app(pc):
            if op is not None:
                n += 1
                spent[sym or f"{pc:#x}"] += 1
            continue
        if base is None:
            base = pc     # the first app instruction is its entry point
        if op is not None:
            counts[op].append(n)
            where[op].update(spent)
            op = None
        name = marks.get(pc - base + entry)
        if name is not None:
            op, n, spent = name, 1, collections.Counter()
    return counts, where


def kernel_segments(apps, fram):
    """Trace only kernel code while apps run. A segment is everything the
    kernel executes between a trap from a process and its return into a
    process (one of SVC_Handler's `bx lr`). Returns a list of (first
    symbol, instruction count, Counter of symbols)."""
    exits = process_entry_pcs()
    segs, cur = [], None
    started = False
    for pc, sym in trace_lines(KERNEL, apps, fram, dfilter=f"{KERNEL_FLASH:#x}..{KERNEL_FLASH_END - 1:#x}"):
        if not started:
            started = pc in exits  # boot ends at the first process entry
            continue
        if cur is None:
            cur = [sym, 0, collections.Counter()]
        cur[1] += 1
        cur[2][sym] += 1
        if pc in exits:
            segs.append(tuple(cur))
            cur = None
    return segs


# The arch layer's instructions that return into a process (switch.S): the
# fast system call paths (`bx lr`, or `pop {.., pc}` with EXC_RETURN), the
# general path's "resume", a direct switch and the kernel thread's entry
# through PendSV.
ENTRY_FUNCTIONS = ("SVC_Handler", "dispatch_trap", "switch_direct", "PendSV_Handler")
# A segment switched processes if it ran one of these.
SWITCHERS = ("switch_direct", "arch_switch_to_user")


def process_entry_pcs():
    """Addresses of the `bx lr` and `pop {.., pc}` instructions by which
    the exception handlers of ENTRY_FUNCTIONS return into a process."""
    pcs = set()
    for fn in ENTRY_FUNCTIONS:
        out = subprocess.run([CROSS + "objdump", "-d", f"--disassemble={fn}", KERNEL],
                             capture_output=True, text=True, check=True).stdout
        pcs |= {int(m.group(1), 16) for m in
                (re.match(r"\s*([0-9a-f]+):\s+[0-9a-f ]+\s+(?:bx\s+lr|pop(?:\.w)?\s+\{[^}]*pc\})", line)
                 for line in out.splitlines()) if m}
    if not pcs:
        raise SystemExit("bench.py: no `bx lr` into a process found")
    return pcs


def switched(seg):
    return any(n in seg[2] for n in SWITCHERS)


def switch_figures(fram):
    """Context switches from kernel-only traces (see kernel_segments).

    preempt: two CPU-bound copies of bench_spin; every SysTick segment
             that switches is a switch from one to the other.
    yield:   bench_sleep beside bench_spin; the sleeper's blocking
             yield-wait-for switches to the spinner (SVC segment with a
             switch) and the timer interrupt switches back (IRQ segment
             with a switch, the capsule's alarm work included)."""
    res = {}
    segs = kernel_segments(app_image(["bench_spin", "bench_spin"], "spin2"), fram)
    pre = [s for s in segs if s[0] == "SysTick_Handler" and switched(s)]
    res["switch_preempt"] = summary([s[1] for s in pre], pre)
    segs = kernel_segments(app_image(["bench_sleep", "bench_spin"], "sleepspin"), fram)
    # Only the clean cases: no interrupt bottom half, command or idle
    # folded into the same kernel pass.
    noise = ("alarm_bottom_half", "alarm_command", "arch_wait_for_interrupt")
    on_yield = [s for s in segs if s[0] == "SVC_Handler" and switched(s)
                and "sched_block" in s[2]  # a yield that blocked
                and not any(n in s[2] for n in noise)]
    on_wake = [s for s in segs if s[0] == "IRQ_Handler" and switched(s)]
    res["switch_on_yield"] = summary([s[1] for s in on_yield], on_yield)
    res["switch_on_wake"] = summary([s[1] for s in on_wake], on_wake)
    return res


def summary(counts, segs=None):
    """Mean and spread of a list of exact counts, plus where they went."""
    if not counts:
        return None
    s = {"mean": round(sum(counts) / len(counts), 1), "min": min(counts),
         "max": max(counts), "samples": len(counts)}
    if segs:
        where = collections.Counter()
        for seg in segs:
            where.update(seg[2])
        s["where"] = {k: round(v / len(segs), 1) for k, v in where.most_common()}
    return s


# ---------------------------------------------------------------- footprint

# Subsystems by object path (build/kernel/<dir>/...) in the link map.
SUBSYSTEMS = [
    ("arch", "kernel/arch/"),
    ("core", "kernel/"),
    ("capsules", "capsules/"),
    ("drivers+hal", "drivers/"),
    ("drivers+hal", "hal/"),
    ("board", "boards/"),
    ("ktest", "tests/"),
]


def subsystem(obj):
    if "libc" in obj or "libgcc" in obj or "libnosys" in obj or "newlib" in obj:
        return "newlib+libgcc"
    for name, prefix in SUBSYSTEMS:
        if re.search(rf"build/({re.escape(BOARD)}/)?kernel/{re.escape(prefix)}", obj):
            return name
    return "other"


def object_name(obj):
    """build/[<board>/]kernel/capsules/alarm.c.o -> capsules/alarm.c; libc members by
    archive(member)."""
    m = re.search(rf"build/(?:{re.escape(BOARD)}/)?kernel/(.*)", obj)
    if m:
        return m.group(1).replace(".c.o", ".c").replace(".S.o", ".S")
    return os.path.basename(obj)


def section_kind(name):
    if name.startswith((".text", ".rodata", ".vectors", ".ARM.exidx", ".ARM.extab")):
        return "text"
    if name.startswith(".data"):
        return "data"
    if name.startswith((".bss", "COMMON")):
        return "bss"
    return None


def parse_map(path, classify=None):
    """Bytes of text (code + read-only data), data and bss per subsystem
    (classify(object path) -> name), from the input-section lines of the
    linker map's memory map."""
    classify = classify or subsystem
    sizes = collections.defaultdict(lambda: {"text": 0, "data": 0, "bss": 0})
    in_map = False
    pending = None
    with open(path) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map or line.startswith("/DISCARD/"):
                continue
            # " .text.foo  0x00001234  0x40 build/kernel/x.c.o", possibly with
            # the section name alone on the line before.
            m = re.match(r"^ (\.[^\s]+|COMMON)(?:\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+))?\s*$",
                         line)
            if m:
                if m.group(2) is None:
                    pending = m.group(1)
                    continue
                sec, addr, size, obj = m.group(1), m.group(2), m.group(3), m.group(4)
            else:
                m = re.match(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+\.o\)?)\s*$", line)
                if not (m and pending):
                    pending = None
                    continue
                sec, addr, size, obj = pending, m.group(1), m.group(2), m.group(3)
            pending = None
            kind = section_kind(sec)
            if kind is None or int(addr, 16) == 0:
                continue
            sizes[classify(obj)][kind] += int(size, 16)
    return {k: dict(v) for k, v in sorted(sizes.items())}


def size_of(elf):
    out = subprocess.run([CROSS + "size", elf], capture_output=True, text=True,
                         check=True).stdout.splitlines()[1].split()
    return {"text": int(out[0]), "data": int(out[1]), "bss": int(out[2])}


def dwarf_sizeof(elf, expr):
    """sizeof(expr) from the ELF's debug information (gdb-multiarch)."""
    try:
        out = subprocess.run(["gdb-multiarch", "-batch", "-nx", "-ex", f"print sizeof({expr})",
                              elf], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"\$1 = (\d+)", out)
    return int(m.group(1)) if m else None


def kernel_stack(syms):
    if "_estack" in syms and "_ebss" in syms:
        return syms["_estack"] - syms["_ebss"]
    return None


def footprint():
    fp = {"size": size_of(KERNEL), "subsystems": parse_map(KERNEL_MAP),
          "objects": parse_map(KERNEL_MAP, object_name)}
    syms = symbols(KERNEL)
    fp["kernel_stack"] = kernel_stack(syms)
    fp["sizeof_process"] = dwarf_sizeof(KERNEL, "struct process")
    fp["sizeof_procs"] = dwarf_sizeof(KERNEL, "procs")
    # What libnvstorage adds to an app: the archive members bench_storage
    # (which uses get-size, read and write) pulled in, from its link map.
    app_map = os.path.join(APPS, "bench_storage.map")
    if os.path.exists(app_map):
        parts = parse_map(app_map, lambda o: "lib" if "libnvstorage.a(" in o else "rest")
        fp["libnvstorage_app_bytes"] = parts.get("lib", {"text": 0, "data": 0, "bss": 0})
    return fp


# ---------------------------------------------------------------- headline

def headline(r):
    """{key: figure} for every figure of tools/bench_figures.py that has a
    target: its value here (the traced count when there is one), target,
    count before the hot-path work, the FreeRTOS-MPU reference constants
    (measured elsewhere, not by this tree) and a one-line description. The
    same table drives docs/performance.md (tools/bench_report.py)."""
    out = {}
    for fig in figs.FIGURES + figs.FOOTPRINT:
        if "target" not in fig:
            continue
        if "paths" in fig:
            value = figs.footprint_value(r, fig)
        else:
            value = figs.lookup(r, fig["traced"])
            if value is None:
                value = figs.lookup(r, fig["timed"])
        refs = fig.get("refs") or (None,) * len(figs.REF_COLUMNS)
        out[fig["key"]] = {"label": fig["label"], "value": value, "target": fig["target"],
                           "before": fig.get("before"), "description": fig.get("desc", ""),
                           "unit": "bytes" if "paths" in fig else "instructions",
                           "references": dict(zip(figs.REF_COLUMNS, refs))}
    return out


def print_headline(h):
    print("Hot paths: ours, target, before the work; FreeRTOS-MPU measured elsewhere "
          "(bench.json: figures_reference)")
    print(f"  {'figure':<56} {'ours':>9} {'target':>7} {'before':>7}  "
          + "  ".join(f"{c:>18}" for c in figs.REF_COLUMNS))
    for f in h.values():
        def cell(v, w):
            return f"{'-' if v is None else (f'{v:.1f}' if isinstance(v, float) else v):>{w}}"
        print(f"  {f['label']:<56} {cell(f['value'], 9)} {cell(f['target'], 7)} "
              f"{cell(f['before'], 7)}  "
              + "  ".join(cell(v, 18) for v in f["references"].values()))
    print()


# ---------------------------------------------------------------- report

def row(name, value, target=None, note=""):
    v = "-" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))
    t = "" if target is None else target
    return f"  {name:<34} {v:>12}  {t:<12} {note}"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--board", help="a board of tools/qemu.py (default: NVK_BOARD, else "
                    f"{qemu_tool.DEFAULT_BOARD})")
    ap.add_argument("--json", help="default: bench.json in the board's build folder")
    ap.add_argument("--skip-trace", action="store_true",
                    help="only the timed figures and the footprint (faster)")
    args = ap.parse_args()
    if args.board:
        use_board(args.board)
    json_path = args.json or os.path.join(KBUILD, "bench.json")
    result = {"method": "QEMU -icount shift=0: 1 instruction = 1 ns; figures in instructions",
              "board": BOARD}

    fram = fresh_fram("syscall")
    out, status = run(KERNEL, app_image(["bench_syscall"], "syscall"), fram)
    result["app"] = {k: v["value"] for k, v in parse_bench(out).items()}
    result["app_status"] = status

    if os.path.exists(os.path.join(APPS, "bench_storage.tbf")):
        out, status = run(KERNEL, app_image(["bench_storage"], "storage"), fresh_fram("storage"))
        result["storage"] = {k: v["value"] for k, v in parse_bench(out).items()}
        result["storage_status"] = status

    ktest = os.path.join(KBUILD, "ktest", "fram_bench.elf")
    if os.path.exists(ktest):
        out, status = run(ktest, None, fresh_fram("raw"))
        result["raw_fram"] = {k: v["value"] for k, v in parse_bench(out).items()
                              if v["value"] is not None}
        result["raw_fram_status"] = status

    if not args.skip_trace:
        counts, where = svc_segments("bench_trace", fresh_fram("trace"))
        result["trace"] = {op: summary(c) for op, c in counts.items()}
        result["trace_where"] = {op: {k: round(v / len(counts[op]), 1)
                                      for k, v in w.most_common()} for op, w in where.items()}
        result["switch"] = switch_figures(fresh_fram("switch"))
        result["boot_instructions"], result["boot_where"] = boot_instructions(
            app_image(["bench_spin"], "boot"), fresh_fram("boot"))

    result["footprint"] = footprint()
    result["figures"] = headline(result)
    result["figures_reference"] = figs.REF_SOURCE
    bench_kv.measure(result)
    if not args.skip_trace:
        import bench_scale  # here: it imports this module (alarm figures at N = 2, 4, 8)
        bench_scale.measure(result)
    os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
    with open(json_path, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
    print_table(result)
    print(f"\nwritten: {os.path.relpath(json_path, ROOT)}")
    ok = result["app_status"] == 0 and all(v is not None for v in result["app"].values())
    return 0 if ok else 1


def print_table(r):
    app, tr = r.get("app", {}), r.get("trace", {})
    print_headline(r.get("figures", {}))
    print(f"Benchmarks on {r.get('board')} (instructions; QEMU -icount shift=0)")
    print(row("figure", "timed", "target", "traced (exact)"))

    def traced(*ops):
        if not tr or any(tr.get(o) is None for o in ops):
            return ""
        return f"{sum(tr[o]['mean'] for o in ops):.1f}"

    print(row("command, driver exists (cmd 0)", app.get("command_exists"), "",
              traced("command_exists")))
    print(row("null command (alarm cmd 1)", app.get("null_command"), "<= 40",
              traced("null_command")))
    print(row("subscribe", app.get("subscribe"), "", traced("subscribe")))
    print(row("allow read-write", app.get("allow_rw"), "", traced("allow_rw")))
    print(row("yield-no-wait, nothing pending", app.get("yield_no_wait"), "<= 30",
              traced("yield_no_wait")))
    print(row("upcall round trip (wait-for)", app.get("upcall_wait_for"), "<= 200",
              traced("upcall_wait_for_cmd", "upcall_wait_for_yield")))
    print(row("upcall round trip (function)", app.get("upcall_fn"), ""))
    sw = r.get("switch", {})
    for key, label, target in (("switch_on_yield", "context switch on yield", "<= 90"),
                               ("switch_on_wake", "context switch on wake-up (irq)", "<= 250"),
                               ("switch_preempt", "context switch on timeslice", "<= 90")):
        s = sw.get(key)
        print(row(label, None, target, "" if not s else f"{s['mean']:.1f} (n={s['samples']})"))
    print(row("boot: reset to first app instruction", r.get("boot_instructions")))
    st, raw = r.get("storage", {}), r.get("raw_fram", {})
    if st:
        print(row("0x50004 get-size round trip", st.get("nvs_get_size")))
        for n in (1, 64, 512, 4096):
            for op in ("read", "write"):
                a = st.get(f"nvs_{op}_{n}")
                rr = raw.get(f"fram_{op}_{n}")
                ratio = ""
                if a and rr:
                    ratio = f"app/raw {a / (rr * n):.3f}"
                print(row(f"{op} {n} B: app total / raw total", a,
                          "<= 1.05" if (op, n) == ("read", 512) else "",
                          f"raw {rr * n:.0f}  {ratio}" if rr else ratio))
    else:
        print(row("storage figures", None, "", "not measured (no bench_storage app)"))
    fp = r.get("footprint", {})
    print("\nKernel footprint (bytes)")
    size = fp.get("size", {})
    print(f"  arm-none-eabi-size: text {size.get('text')} data {size.get('data')} "
          f"bss {size.get('bss')}; kernel stack {fp.get('kernel_stack')}")
    print(f"  {'subsystem':<16} {'text':>8} {'data':>8} {'bss':>8}")
    for name, s in fp.get("subsystems", {}).items():
        print(f"  {name:<16} {s['text']:>8} {s['data']:>8} {s['bss']:>8}")
    attributed = sum(s["text"] for s in fp.get("subsystems", {}).values())
    print(f"  {'(alignment)':<16} {size.get('text', 0) - attributed:>8}")
    print(f"  struct process: {fp.get('sizeof_process')} bytes "
          f"(table of all slots: {fp.get('sizeof_procs')})")
    print(f"  grants: alarm {app.get('grant_alarm_bytes')}, console "
          f"{app.get('grant_console_bytes')}, storage {st.get('grant_storage_bytes')}")
    if "libnvstorage_app_bytes" in fp:
        lib = fp["libnvstorage_app_bytes"]
        print(f"  {'libnvstorage':<16} {lib['text']:>8} {lib['data']:>8} {lib['bss']:>8}"
              "   (in an app using get-size, read and write)")
    bench_kv.print_table(r, row)
    scale = r.get("scale", {})
    if scale:
        print("\nAs the number of processes N grows (tools/bench_scale.py)")
        names = sorted({k.rsplit(".n", 1)[0] for k in scale if ".n" in k})
        print(f"  {'figure':<28}" + "".join(f"{f'N = {n}':>10}" for n in (2, 4, 8)))
        for name in names:
            print(f"  {name:<28}" + "".join(f"{str(scale.get(f'{name}.n{n}')):>10}"
                                            for n in (2, 4, 8)))
        print(f"  boot scan per region: {scale.get('boot_scan_per_region')} instructions")


if __name__ == "__main__":
    sys.exit(main())
