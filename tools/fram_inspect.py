#!/usr/bin/env python3
"""Inspect an FRAM image written by the isolated storage capsule (0x50004).

Lists the region table (owner, slot offset, data offset, length, state of
both header copies), hexdumps one owner's region, and checks the table's
invariants. The on-FRAM format is the one in capsules/nv_region.h; the
constants below mirror it and tests/py/test_fram_inspect.py checks that they
agree, both with the header's #defines and with images the C code wrote.

Exit status: 0 fine, 1 an invariant is violated (--check), 2 bad usage.

    fram_inspect.py build/fram.img                 # list
    fram_inspect.py build/fram.img --check         # verify, nonzero on error
    fram_inspect.py build/fram.img --dump 0x11     # hexdump owner 0x11
    fram_inspect.py build/fram.img --json          # for tests and scripts
"""
import argparse
import json
import struct
import sys
import zlib

# Mirrors capsules/nv_region.h.
NVR_MAGIC = 0x4752564E
NVR_VERSION = 1
NVR_HDR_SIZE = 20
NVR_SLOT_SIZE = 2 * NVR_HDR_SIZE
NVR_OFF_CRC = 16
HEADER_FORMAT = "<IHHIII"  # magic, version, reserved, owner, length, crc

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_USAGE = 2


def decode_header(raw):
    """Return (owner, length) if raw is a valid header copy, else None."""
    if len(raw) < NVR_HDR_SIZE:
        return None
    magic, version, reserved, owner, length, crc = struct.unpack(
        HEADER_FORMAT, raw[:NVR_HDR_SIZE])
    if magic != NVR_MAGIC or version != NVR_VERSION or reserved != 0:
        return None
    if crc != zlib.crc32(raw[:NVR_OFF_CRC]) & 0xFFFFFFFF:
        return None
    return owner, length


def encode_header(owner, length):
    """Bytes of a valid header copy (used by tests to build images)."""
    body = struct.pack("<IHHII", NVR_MAGIC, NVR_VERSION, 0, owner, length)
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


def is_blank(raw):
    return len(set(raw)) <= 1 and (not raw or raw[0] in (0x00, 0xFF))


def copy_state(raw, decoded):
    if decoded is not None:
        return "ok"
    return "blank" if is_blank(raw) else "bad"


def scan(image, start, length):
    """Follow the chain as the capsule does. Returns a dict with the regions
    found and how the chain ended ('free', 'corrupt' or 'full')."""
    end = start + length
    regions = []
    addr = start
    ending = "full"
    reason = ""
    while addr <= end and end - addr >= NVR_SLOT_SIZE:
        primary = image[addr:addr + NVR_HDR_SIZE]
        secondary = image[addr + NVR_HDR_SIZE:addr + NVR_SLOT_SIZE]
        p = decode_header(primary)
        s = decode_header(secondary)
        if p is None and s is None:
            if is_blank(secondary):
                ending = "free"
            else:
                ending = "corrupt"
                reason = "no valid header copy"
            break
        if p is not None and s is not None and p != s:
            ending = "corrupt"
            reason = "header copies disagree"
            break
        owner, rlen = p if p is not None else s
        data = addr + NVR_SLOT_SIZE
        if rlen == 0 or rlen > end - data:
            ending = "corrupt"
            reason = "region length %d leaves the area" % rlen
            break
        regions.append({
            "owner": owner,
            "slot": addr,
            "data": data,
            "length": rlen,
            "primary": copy_state(primary, p),
            "secondary": copy_state(secondary, s),
        })
        addr = data + rlen
    return {"area_start": start, "area_length": length, "regions": regions,
            "end": addr, "ending": ending, "reason": reason}


def check(table, strict):
    """Invariant violations (list of strings) and warnings."""
    violations, warnings = [], []
    if table["ending"] == "corrupt":
        violations.append("unreadable header at 0x%x (%s)" % (table["end"], table["reason"]))
    seen = {}
    prev_end = table["area_start"]
    area_end = table["area_start"] + table["area_length"]
    for r in table["regions"]:
        if r["slot"] < prev_end:
            violations.append("region of owner 0x%x overlaps the one before" % r["owner"])
        if r["data"] + r["length"] > area_end:
            violations.append("region of owner 0x%x leaves the area" % r["owner"])
        if r["owner"] in seen:
            violations.append("owner 0x%x has two regions (0x%x, 0x%x)"
                              % (r["owner"], seen[r["owner"]], r["slot"]))
        seen[r["owner"]] = r["slot"]
        for copy in ("primary", "secondary"):
            if r[copy] != "ok":
                msg = "owner 0x%x: %s header copy %s (repaired at next boot)" % (
                    r["owner"], copy, r[copy])
                (violations if strict else warnings).append(msg)
        prev_end = r["data"] + r["length"]
    return violations, warnings


def hexdump(data, base, out):
    for i in range(0, len(data), 16):
        row = data[i:i + 16]
        hexpart = " ".join("%02x" % b for b in row)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        out.write("%08x  %-47s  |%s|\n" % (base + i, hexpart, text))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Inspect an isolated-storage FRAM image.")
    ap.add_argument("image")
    ap.add_argument("--start", type=lambda v: int(v, 0), default=0,
                    help="device address of the storage area (board's area_start)")
    ap.add_argument("--length", type=lambda v: int(v, 0), default=None,
                    help="bytes of the storage area (default: to the end of the image)")
    ap.add_argument("--check", action="store_true", help="exit 1 if an invariant is violated")
    ap.add_argument("--strict", action="store_true",
                    help="with --check, a single damaged header copy is a violation too")
    ap.add_argument("--dump", type=lambda v: int(v, 0), metavar="OWNER",
                    help="hexdump the region of this owner id")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)

    try:
        with open(args.image, "rb") as f:
            image = f.read()
    except OSError as e:
        sys.stderr.write("fram_inspect: %s\n" % e)
        return EXIT_USAGE
    length = args.length if args.length is not None else len(image) - args.start
    if args.start < 0 or length < 0 or args.start + length > len(image):
        sys.stderr.write("fram_inspect: area 0x%x+%d is outside the %d-byte image\n"
                         % (args.start, length, len(image)))
        return EXIT_USAGE

    table = scan(image, args.start, length)
    violations, warnings = check(table, args.strict)
    status = EXIT_VIOLATION if args.check and violations else EXIT_OK

    if args.dump is not None:
        match = [r for r in table["regions"] if r["owner"] == args.dump]
        if not match:
            sys.stderr.write("fram_inspect: no region for owner 0x%x\n" % args.dump)
            return EXIT_VIOLATION
        r = match[0]
        data = image[r["data"]:r["data"] + r["length"]]
        if args.json:
            json.dump({"owner": r["owner"], "data": r["data"], "hex": data.hex()}, sys.stdout)
            sys.stdout.write("\n")
        else:
            hexdump(data, r["data"], sys.stdout)
        return status

    if args.json:
        table["violations"] = violations
        table["warnings"] = warnings
        json.dump(table, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return status

    print("area 0x%x..0x%x (%d bytes)" % (args.start, args.start + length, length))
    print("%-10s %-8s %-8s %-8s %-8s %-9s" % ("owner", "slot", "data", "length", "primary",
                                               "secondary"))
    for r in table["regions"]:
        print("0x%08x 0x%06x 0x%06x %-8d %-8s %-9s" % (r["owner"], r["slot"], r["data"],
                                                      r["length"], r["primary"], r["secondary"]))
    used = table["end"] - args.start
    print("%d regions; table ends at 0x%x (%s), %d of %d bytes used"
          % (len(table["regions"]), table["end"], table["ending"], used, length))
    for w in warnings:
        print("warning: " + w)
    for v in violations:
        print("VIOLATION: " + v)
    return status


if __name__ == "__main__":
    sys.exit(main())
