#!/usr/bin/python3
"""RAM block per process on each board, for the same TBF files.

Boots every app of build/apps/ (or the ones named) alone on each board's
kernel and reads the block the loader gave it from the boot log ("app
'NAME': flash ... RAM <addr> (<bytes> bytes)"); QEMU is stopped at that
line. PMSAv7 (mps2-an385) rounds a block up to a power of two aligned to
its size; PMSAv8 (mps2-an505) to 32 bytes. Prints one row per app and the
totals, i.e. the RAM the second board saves per process
(docs/porting.md, "What the second board changed").

    tools/ram_by_board.py [--json out.json] [APP ...]

Needs `make apps kernel` and `make BOARD=mps2-an505 kernel` first.
"""
import argparse
import glob
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu as qemu_tool  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.join(ROOT, "build")
BOARDS = ("mps2-an385", "mps2-an505")
LOADED = re.compile(r"^\[kernel\] INFO  app '([^']+)': flash \S+ \(\d+ bytes\), RAM [0-9a-f]+ "
                    r"\((\d+) bytes\)")
REFUSED = re.compile(r"^\[kernel\] \w+ +app '[^']+'.*(not loaded|rejected)")
TIMEOUT = 30  # wall seconds for one boot


def block_bytes(board, tbf, tmp):
    """The RAM block board's loader gives tbf's app, or None."""
    qemu_tool.select_board(board)
    kernel = os.path.join(qemu_tool.board_build(BUILD), "kernel.elf")
    if not os.path.exists(kernel):
        raise SystemExit(f"ram_by_board.py: {kernel} missing: make BOARD={board} kernel")
    fram = os.path.join(tmp, f"{board}.fram")
    qemu_tool.write_fresh_image(fram)
    argv = qemu_tool.qemu_argv(kernel, tbf, fram)
    either = re.compile(f"{LOADED.pattern}|{REFUSED.pattern}")
    found, _ = qemu_tool.boot_until(argv, either, timeout=TIMEOUT)
    m = found and LOADED.match(found[0].group(0))
    return int(m.group(2)) if m else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("apps", nargs="*", help="app names (default: every build/apps/*.tbf)")
    ap.add_argument("--json", help="write {app: {board: bytes}} here")
    args = ap.parse_args(argv)
    names = args.apps or sorted(os.path.basename(p)[:-4]
                                for p in glob.glob(os.path.join(BUILD, "apps", "*.tbf")))
    if not names:
        raise SystemExit("ram_by_board.py: no apps: run `make apps` first")
    table = {}
    previous = qemu_tool.BOARD  # given back: callers may be in a test session
    try:
        with tempfile.TemporaryDirectory(prefix="ram-by-board-") as tmp:
            for name in names:
                tbf = os.path.join(BUILD, "apps", f"{name}.tbf")
                if not os.path.exists(tbf):
                    raise SystemExit(f"ram_by_board.py: {tbf} missing")
                table[name] = {b: block_bytes(b, tbf, tmp) for b in BOARDS}
    finally:
        qemu_tool.select_board(previous)
    print(f"{'app':<22}" + "".join(f"{b:>12}" for b in BOARDS) + f"{'saved':>10}")
    both = {n: row for n, row in table.items() if all(row[b] is not None for b in BOARDS)}
    for name, row in table.items():
        cells = "".join(f"{'-' if row[b] is None else row[b]:>12}" for b in BOARDS)
        saved = row[BOARDS[0]] - row[BOARDS[1]] if name in both else "-"
        print(f"{name:<22}{cells}{saved:>10}")
    totals = [sum(row[b] for row in both.values()) for b in BOARDS]
    if both:
        saved = totals[0] - totals[1]
        print(f"{'total':<22}" + "".join(f"{t:>12}" for t in totals) + f"{saved:>10}")
        print(f"{len(both)} apps loaded on both boards: {saved} bytes saved "
              f"({100 * saved / totals[0]:.1f}%), {saved / len(both):.0f} bytes per process")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table, f, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
