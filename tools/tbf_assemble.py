#!/usr/bin/python3
"""Lay TBF images back to back into one app flash image for QEMU's loader.

    tbf_assemble.py -o apps.bin a.tbf b.tab ... [--arch ARCH] [--pad-to SIZE]
                    [--sort] [--no-align] [--strict]

Each input is copied byte for byte (a corrupted image stays corrupted: the
hostile-input tests rely on that). Its slot is its file length. An input
ending in .tab is a Tock Application Bundle: its TBF for --arch is taken
(tools/tablib.py), and a TAB without a valid one is an error whatever the
other options, naming the file and the reason.

Alignment: on Cortex-M (PMSAv7) an MPU region must start at a multiple of
its size, and a process's flash region covers its whole image, so each
image whose length is a power of two is placed at an offset that is a
multiple of that length (the app flash area itself starts at a large
power-of-two address, 0x40000 on mps2-an385). The gap in front of it is
filled with a padding image (a disabled header-only TBF), never with zeros:
the kernel stops at the first blank word. --sort places the largest images
first, which needs no padding at all; --no-align packs them tight.

The output ends with END_MARK_SIZE zero bytes, which the kernel reads as
"no more images" (TBF_ERR_END), whatever follows in flash. --pad-to extends
it with zeros to a fixed size (e.g. the board's app area).

Malformed inputs are reported on stderr and laid out anyway, unless
--strict, which refuses them (exit status 1).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tablib  # noqa: E402
import tbflib  # noqa: E402

END_MARK_SIZE = 4
WORD = 4


def is_pow2(n):
    return n > 0 and n & (n - 1) == 0


def align_up(n, a):
    return (n + a - 1) // a * a


def assemble(images, align=True, pad_to=None):
    """images: list of bytes. Returns (blob, [offset of each image])."""
    out = bytearray()
    offsets = []
    for img in images:
        want = align_up(len(out), len(img)) if align and is_pow2(len(img)) \
            else align_up(len(out), WORD)
        gap = want - len(out)
        if gap:
            out += tbflib.make_padding(gap)
        offsets.append(len(out))
        out += img
    out += bytes(END_MARK_SIZE)
    if pad_to is not None:
        if len(out) > pad_to:
            raise ValueError(f"images take {len(out)} bytes, more than --pad-to {pad_to}")
        out += bytes(pad_to - len(out))
    return bytes(out), offsets


def check(path, img):
    """Problems with one input image, as strings (empty: fine)."""
    problems = []
    try:
        info = tbflib.parse_tbf(img)
    except tbflib.TbfError as err:
        return [f"{path}: malformed TBF: {err}"]
    if info.total_size != len(img):
        problems.append(f"{path}: total_size {info.total_size} but the file has "
                        f"{len(img)} bytes")
    if not is_pow2(len(img)):
        problems.append(f"{path}: {len(img)} bytes is not a power of two")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("images", nargs="+", help="TBF or TAB files, laid out in this order")
    ap.add_argument("--arch", help="the board's architecture, for TAB inputs (e.g. cortex-m3)")
    ap.add_argument("--pad-to", type=lambda s: int(s, 0), metavar="SIZE",
                    help="zero-fill the output to SIZE bytes")
    ap.add_argument("--sort", action="store_true",
                    help="largest image first (no alignment padding needed)")
    ap.add_argument("--no-align", action="store_true",
                    help="do not align images to their size")
    ap.add_argument("--strict", action="store_true", help="refuse malformed images")
    args = ap.parse_args(argv)

    images = []
    problems = []
    for path in args.images:
        try:
            if path.endswith(".tab"):
                if not args.arch:
                    ap.error(f"{path}: a TAB input needs --arch")
                member, img = tablib.read_tbf(path, args.arch)
                path = f"{path}[{member}]"
            else:
                with open(path, "rb") as f:
                    img = f.read()
        except (tablib.TabError, OSError) as err:
            print(f"tbf_assemble: error: {err}", file=sys.stderr)
            return 1
        problems += check(path, img)
        images.append((path, img))
    for p in problems:
        print(f"tbf_assemble: {'error' if args.strict else 'warning'}: {p}", file=sys.stderr)
    if problems and args.strict:
        return 1
    if args.sort:
        images.sort(key=lambda pi: -len(pi[1]))
    try:
        blob, offsets = assemble([img for _, img in images], align=not args.no_align,
                                 pad_to=args.pad_to)
    except ValueError as err:
        print(f"tbf_assemble: error: {err}", file=sys.stderr)
        return 1
    with open(args.output, "wb") as f:
        f.write(blob)
    for (path, img), off in zip(images, offsets):
        print(f"{off:#08x} {len(img):#8x} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
