#!/usr/bin/env python3
"""Regenerate the tables of docs/performance.md from build/bench.json.

Usage: bench_report.py [--json [BOARD=]build/bench.json ...] [--doc docs/performance.md]
                       [--check]

The page holds hand-written prose and generated blocks. A block starts with
a line `<!-- bench:NAME -->` and ends with `<!-- /bench:NAME -->`; this
script replaces what lies between with a table made from the measurement,
so a figure on the page is never copied by hand. Blocks: `figures` (the
system-call, switch and upcall figures with targets and references),
`footprint`, `storage`, `kv`, `scale` and `where` (per-function breakdown).

Several --json files (one per board) give one column per board where a
table has room for it; the first one is the main measurement. `--check`
exits 1 (writing nothing) when the page is not what the measurement gives.
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_figures as figs  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEFAULT_BOARD = "mps2-an385"
BLOCK = re.compile(r"(<!-- bench:(\w+) -->\n)(.*?)(<!-- /bench:\2 -->)", re.S)


class ReportError(Exception):
    pass


def num(value, digits=0):
    """A figure as people read it: thousands separated by a thin space."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and digits:
        return f"{value:.{digits}f}"
    return f"{round(value):,}".replace(",", " ")


def table(header, rows, right_from=1):
    align = ["---"] * right_from + ["---:"] * (len(header) - right_from)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def verdict(value, target):
    if value is None or target is None:
        return ""
    if value <= target:
        return "met"
    return f"missed by {num(value - target)} ({value / target:.2f}x)"


def block_figures(runs):
    """One row per figure: the main board's timed and traced counts, the
    other boards' best count each, then before, target and verdict (for the
    main board) and the reference columns."""
    main_board, main = runs[0]
    others = runs[1:]
    suffix = f" {main_board}" if others else ""
    header = ["figure (instructions)", f"timed{suffix} (app)", f"traced{suffix} (exact)",
              *[b for b, _ in others], "before", "target", "verdict", *figs.REF_COLUMNS]
    rows = []
    for f in figs.FIGURES:
        timed = figs.lookup(main, f["timed"])
        traced = figs.lookup(main, f["traced"])
        other_cells = []
        for _, r in others:
            t = figs.lookup(r, f["traced"])
            other_cells.append(num(t if t is not None else figs.lookup(r, f["timed"])))
        target = f.get("target")
        refs = f.get("refs", (None,) * len(figs.REF_COLUMNS))
        best = traced if traced is not None else timed
        rows.append([f["label"], num(timed), num(traced), *other_cells, num(f.get("before")),
                     "" if target is None else f"<= {num(target)}",
                     verdict(best, target), *[num(r) if r else "" for r in refs]])
    note = (f"\nReference columns: {figs.REF_SOURCE}. \"before\": measured before the "
            "hot-path work, as recorded in the hot-path issue.")
    if others:
        note += (" Columns of other boards: the traced count where there is one, else "
                 "the timed one; the verdict is the main board's.")
    return table(header, rows) + note + "\n" if rows else ""


def block_footprint(runs):
    rows = []
    for f in figs.FOOTPRINT:
        cells = [num(figs.footprint_value(r, f)) for _, r in runs]
        value = figs.footprint_value(runs[0][1], f)
        refs = f.get("refs", (None,) * len(figs.REF_COLUMNS))
        rows.append([f["label"], *cells, num(f.get("before")), f"<= {num(f['target'])}",
                     verdict(value, f["target"]), *[num(r) if r else "" for r in refs[:2]]])
    header = ["bytes", *[b for b, _ in runs], "before", "target", "verdict",
              *figs.REF_COLUMNS[:2]]
    out = table(header, rows)
    fp = runs[0][1].get("footprint", {})
    subs = fp.get("subsystems", {})
    if subs:
        size = fp.get("size", {})
        srows = [[name, num(s["text"]), num(s["bss"])] for name, s in sorted(subs.items())]
        attributed = sum(s["text"] for s in subs.values())
        srows.append(["(alignment)", num(size.get("text", 0) - attributed), ""])
        out += f"\nWhere the kernel's bytes go ({runs[0][0]}, from `build/kernel.map`):\n\n"
        out += table(["part", "text", "bss"], srows)
    facts = []
    if fp.get("kernel_stack") is not None:
        facts.append(f"kernel stack {num(fp['kernel_stack'])} B (in .bss, not counted above)")
    if fp.get("sizeof_process") is not None:
        facts.append(f"`struct process` {num(fp['sizeof_process'])} B "
                     f"(table of all slots {num(fp.get('sizeof_procs'))} B)")
    app, st = runs[0][1].get("app", {}), runs[0][1].get("storage", {})
    grants = [("alarm", app.get("grant_alarm_bytes")), ("console", app.get("grant_console_bytes")),
              ("storage", st.get("grant_storage_bytes"))]
    if any(v is not None for _, v in grants):
        facts.append("grant bytes per process: " +
                     ", ".join(f"{n} {num(v)}" for n, v in grants))
    lib = fp.get("libnvstorage_app_bytes")
    if lib:
        facts.append(f"libnvstorage in an app using get-size, read and write: "
                     f"text {num(lib['text'])}, bss {num(lib['bss'])}")
    return out + "".join(f"\n- {f}" for f in facts) + ("\n" if facts else "")


def block_storage(runs):
    st, raw = runs[0][1].get("storage", {}), runs[0][1].get("raw_fram", {})
    rows = []
    for n in (1, 64, 512, 4096):
        row = [str(n)]
        for op in ("read", "write"):
            app, per_byte = st.get(f"nvs_{op}_{n}"), raw.get(f"fram_{op}_{n}")
            floor = per_byte * n if per_byte is not None else None
            ratio = f"{app / floor:.3f}" if app and floor else "-"
            row += [num(app), num(floor), ratio]
        rows.append(row)
    if not st:
        return "Not measured (no bench_storage app in this run).\n"
    return table(["bytes", "nvs_read", "raw read", "ratio", "nvs_write", "raw write", "ratio"],
                 rows)


def block_kv(runs):
    kv = runs[0][1].get("kv")
    if not kv:
        return "Not measured (no bench_kv app in this run).\n"
    ratio = (lambda a, b: f" = **{a / b:.2f}x** raw" if a and b else "")
    rows = [
        ["raw `nvs_read` of 32 bytes", num(kv.get("raw_read_32")), ""],
        ["raw `nvs_write` of 32 bytes", num(kv.get("raw_write_32")), ""],
        ["**get**, 32-byte value, 8-byte key",
         num(kv.get("kv_get_32")) + ratio(kv.get("kv_get_32"), kv.get("raw_read_32")), "<= 1.5x"],
        ["**put** replacing it (no compaction)",
         num(kv.get("kv_put_32")) + ratio(kv.get("kv_put_32"), kv.get("raw_write_32")), "<= 3x"],
        ["put of a new key", num(kv.get("kv_put_32_new")), ""],
        ["log bytes per entry / overhead", f"{num(kv.get('kv_entry_bytes'))} / "
         f"{num(kv.get('kv_overhead_bytes'))} + key", "<= 16 + key"],
        ["RAM index bytes per value", num(kv.get("kv_index_bytes_per_value")), ""],
    ]
    for n in (1, 10, 50, 100):
        rows.append([f"with {n} other keys: get / open / compaction / put amortized",
                     " / ".join(num(kv.get(k)) for k in (f"kv_get_32_n{n}", f"kv_open_n{n}",
                                                          f"kv_compact_n{n}",
                                                          f"kv_put_32_amortized_n{n}")), ""])
    code = kv.get("code_bytes")
    if code:
        rows.append(["store code in an app (`nvs_kv*.o`, text)", num(code["text"]), ""])
    return table(["figure", "instructions", "target"], rows)


SCALE_KEY = re.compile(r"^(.*?)[._]n(\d+)$")


SCALE_LABELS = {
    "alarm_roundtrip": "alarm round trip, traced (instructions)",
    "alarm_roundtrip_timed": "alarm round trip, timed in the app (instructions)",
    "wakeup_switch": "switch on wake-up, traced (instructions)",
    "wake_latency_max": "sleep-to-run latency among N - 1 spinners, worst (alarm ticks)",
    "wake_latency_mean": "sleep-to-run latency among N - 1 spinners, mean (alarm ticks)",
    "storage_read_64": "64-byte nvs_read beside N - 1 processes (instructions)",
    "storage_write_64": "64-byte nvs_write beside N - 1 processes (instructions)",
}


def block_scale(runs):
    scale = runs[0][1].get("scale")
    if not scale:
        return "Not measured in this run.\n"
    series, counts = {}, set()
    for key, value in scale.items():
        m = SCALE_KEY.match(key)
        if m and isinstance(value, (int, float)):
            series.setdefault(m.group(1), {})[int(m.group(2))] = value
            counts.add(int(m.group(2)))
    ns = sorted(counts)
    order = [k for k in SCALE_LABELS if k in series] + sorted(set(series) - set(SCALE_LABELS))
    rows = [[SCALE_LABELS.get(name, name), *[num(series[name].get(n)) for n in ns]]
            for name in order]
    out = table(["figure", *[f"N = {n}" for n in ns]], rows)
    scan = scale.get("boot_scan_per_region")
    if scan is not None:
        out += f"\nBoot scan of the storage capsule: {num(scan)} instructions per region.\n"
    return out


def block_where(runs):
    r = runs[0][1]
    parts = []
    for f in figs.FIGURES:
        if f.get("target") is None:
            continue
        paths = f["traced"] if isinstance(f["traced"], list) else [f["traced"]]
        where = {}
        for p in paths:
            if p is None:
                continue
            op = p.split(".")[1]
            src = r.get("trace_where", {}).get(op) or r.get("switch", {}).get(op, {}).get("where")
            for fn, n in (src or {}).items():
                where[fn] = where.get(fn, 0) + n
        if where:
            top = sorted(where.items(), key=lambda kv: -kv[1])
            parts.append(f"- **{f['label']}**: " +
                         ", ".join(f"{fn} {num(n, 1) if n % 1 else num(n)}" for fn, n in top))
    return "\n".join(parts) + "\n" if parts else "No traces in this run.\n"


BLOCKS = {"figures": block_figures, "footprint": block_footprint, "storage": block_storage,
          "kv": block_kv, "scale": block_scale, "where": block_where}


def commit():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def render(page, runs):
    def fill(m):
        name = m.group(2)
        if name == "measured":
            boards = ", ".join(b for b, _ in runs)
            body = (f"Measured on {boards} at commit {commit()} by `make bench-doc` "
                    f"(QEMU -icount shift=0).\n")
        elif name in BLOCKS:
            body = BLOCKS[name](runs)
        else:
            raise ReportError(f"unknown generated block '{name}' in the page")
        return m.group(1) + body + m.group(4)

    if not BLOCK.search(page):
        raise ReportError("the page has no generated blocks (<!-- bench:NAME --> ... "
                          "<!-- /bench:NAME -->)")
    return BLOCK.sub(fill, page)


def load(spec):
    board, _, path = spec.rpartition("=")
    try:
        with open(path) as f:
            return board or DEFAULT_BOARD, json.load(f)
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}; run `make bench` first")
    except json.JSONDecodeError as e:
        raise ReportError(f"{path}: not a bench result ({e})")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="append",
                    help="bench result, optionally BOARD=path (repeat per board)")
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "performance.md"))
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the page differs from the measurement; write nothing")
    args = ap.parse_args(argv)
    try:
        runs = [load(s) for s in (args.json or [os.path.join(ROOT, "build", "bench.json")])]
        with open(args.doc) as f:
            page = f.read()
        new = render(page, runs)
    except (ReportError, OSError) as e:
        print(f"bench_report: {e}", file=sys.stderr)
        return 2
    if args.check:
        if new != page:
            print(f"bench_report: {args.doc} is not what the measurement gives; "
                  "run `make bench-doc`", file=sys.stderr)
            return 1
        return 0
    with open(args.doc, "w") as f:
        f.write(new)
    print(f"bench_report: wrote {os.path.relpath(args.doc, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
