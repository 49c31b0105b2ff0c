#!/usr/bin/env python3
"""Inspect an FRAM image written by the isolated storage capsule (0x50004).

Lists the region table (owner, directory position, data offset, length,
state of both record copies), hexdumps one owner's region, and checks the
table's invariants. The on-FRAM format is the one in capsules/nv_region.h; the
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

# Mirrors capsules/nv_region.h (format 2).
NVR_MAGIC = 0x564E
NVR_VERSION = 2
NVR_KIND_REGION = 1
NVR_KIND_END = 2
NVR_REC_SIZE = 20
NVR_POS_SIZE = 2 * NVR_REC_SIZE
NVR_OFF_CRC = 16
NVR_SPARE_POSITIONS = 2
RECORD_FORMAT = "<HBBIII"  # magic, version, kind, owner, addr, length (then crc)
# Format 1, recognised only to refuse it.
NVR_V1_MAGIC = 0x4752564E
NVR_V1_VERSION = 1
V1_FORMAT = "<IHHII"  # magic, version, reserved, owner, length (then crc)

EXIT_OK = 0
EXIT_VIOLATION = 1
EXIT_USAGE = 2


def crc32(raw):
    return zlib.crc32(raw) & 0xFFFFFFFF


def decode_record(raw):
    """(kind, owner, addr, length) if raw is a valid record copy, else None."""
    if len(raw) < NVR_REC_SIZE:
        return None
    magic, version, kind, owner, addr, length = struct.unpack(RECORD_FORMAT, raw[:NVR_OFF_CRC])
    if magic != NVR_MAGIC or version != NVR_VERSION or kind not in (NVR_KIND_REGION,
                                                                     NVR_KIND_END):
        return None
    if struct.unpack("<I", raw[NVR_OFF_CRC:NVR_REC_SIZE])[0] != crc32(raw[:NVR_OFF_CRC]):
        return None
    return kind, owner, addr, length


def encode_record(kind, owner, addr, length):
    """Bytes of one valid record copy."""
    body = struct.pack(RECORD_FORMAT, NVR_MAGIC, NVR_VERSION, kind, owner, addr, length)
    return body + struct.pack("<I", crc32(body))


def region_record(owner, addr, length):
    return encode_record(NVR_KIND_REGION, owner, addr, length)


def end_record(low, position):
    return encode_record(NVR_KIND_END, 0, low, position)


def is_format1(raw):
    """True if raw (a directory position) holds a format-1 header copy."""
    for off in (0, NVR_REC_SIZE):
        h = raw[off:off + NVR_REC_SIZE]
        if len(h) < NVR_REC_SIZE:
            return False
        magic, version = struct.unpack("<IH", h[:6])
        if (magic == NVR_V1_MAGIC and version == NVR_V1_VERSION
                and struct.unpack("<I", h[16:20])[0] == crc32(h[:16])):
            return True
    return False


def pos_addr(start, i):
    return start + i * NVR_POS_SIZE


def pos_fits(start, end, i):
    return i < (end - start) // NVR_POS_SIZE


def record_fits(start, end, i, rec):
    """Mirrors nvr_record_fits: may rec stand at position i?"""
    kind, owner, addr, length = rec
    if kind == NVR_KIND_END:
        positions = i + NVR_SPARE_POSITIONS
        return (owner == 0 and length == i and pos_fits(start, end, positions - 1)
                and pos_addr(start, positions) <= addr <= end)
    positions = i + 1 + NVR_SPARE_POSITIONS
    return (length > 0 and pos_fits(start, end, positions - 1)
            and pos_addr(start, positions) <= addr <= end and length <= end - addr)


def classify(image, start, end, i):
    """(kind, record, primary state, secondary state) of position i; kind is
    'region', 'end' or 'invalid'. Mirrors nvr_classify."""
    raw = image[pos_addr(start, i):pos_addr(start, i) + NVR_POS_SIZE]
    p = decode_record(raw[:NVR_REC_SIZE])
    s = decode_record(raw[NVR_REC_SIZE:])
    p = p if p is not None and record_fits(start, end, i, p) else None
    s = s if s is not None and record_fits(start, end, i, s) else None
    rec = p or s
    if rec is None:
        return "invalid", None, "bad", "bad"
    ps = "ok" if p is not None else "bad"
    ss = "ok" if s is not None and (p is None or p == s) else ("stale" if s else "bad")
    return ("region" if rec[0] == NVR_KIND_REGION else "end"), rec, ps, ss


def scan(image, start, length):
    """Read the directory as the capsule's boot scan does. Returns a dict:
    regions (owner, position, slot, data, length, copy states), damaged
    positions, end_pos (the END's position), low (data low-water mark),
    free (data bytes one more region could have), ending ('end': a valid
    END; 'lost-end': two invalid positions in a row, the next boot rewrites
    the END; 'corrupt'; 'format1'), reason."""
    end = start + length
    regions, damaged = [], []
    low = end
    ending, reason = "corrupt", "no END record"
    prev_invalid = False
    i = 0
    end_pos = 0
    while pos_fits(start, end, i):
        kind, rec, ps, ss = classify(image, start, end, i)
        if kind == "invalid":
            raw = image[pos_addr(start, i):pos_addr(start, i) + NVR_POS_SIZE]
            if i == 0 and is_format1(raw):
                ending, reason = "format1", "a format-1 table (tools/fram_tool.py migrate)"
                break
            if prev_invalid:
                end_pos, ending, reason = i - 1, "lost-end", ""
                break
            prev_invalid = True
            i += 1
            continue
        if prev_invalid:
            damaged.append(i - 1)
            prev_invalid = False
        top = rec[2] + (rec[3] if kind == "region" else 0)
        if top > low:
            end_pos, reason = i, "record at 0x%x overlaps the regions before it" % pos_addr(start, i)
            break
        low = rec[2]
        if kind == "end":
            end_pos, ending, reason = i, "end", ""
            break
        regions.append({"owner": rec[1], "position": i, "slot": pos_addr(start, i),
                        "data": rec[2], "length": rec[3], "primary": ps, "secondary": ss})
        i += 1
    else:
        if prev_invalid:
            end_pos, ending, reason = i - 1, "lost-end", ""
        else:
            end_pos = i
    floor = pos_addr(start, end_pos + 1 + NVR_SPARE_POSITIONS)
    free = low - floor if ending in ("end", "lost-end") and low >= floor else 0
    if ending == "lost-end":
        damaged = [d for d in damaged if d != end_pos]
    return {"area_start": start, "area_length": length, "regions": regions,
            "damaged": damaged, "end_pos": end_pos, "end": pos_addr(start, end_pos),
            "low": low, "free": free, "ending": ending, "reason": reason}


def live_regions(image, start=0, length=None):
    """{owner: (data address, length)} of the regions the capsule would find,
    for other tools (tools/powercut.py); ValueError on a table the capsule
    would refuse (corrupt, format 1) or an owner with two regions."""
    length = len(image) - start if length is None else length
    t = scan(image, start, length)
    if t["ending"] not in ("end", "lost-end"):
        raise ValueError("table %s: %s" % (t["ending"], t["reason"]))
    out = {}
    for r in t["regions"]:
        if r["owner"] in out:
            raise ValueError("owner 0x%x has two regions" % r["owner"])
        out[r["owner"]] = (r["data"], r["length"])
    return out


def build_image(regions, size, start=0, length=None):
    """An image whose area [start, start + length) holds a valid table of
    regions [(owner, length), ...], allocated in order as the capsule does
    (data from the area end down). For tests and tools."""
    length = size - start if length is None else length
    img = bytearray(size)
    low = start + length
    for i, (owner, rlen) in enumerate(regions):
        low -= rlen
        rec = region_record(owner, low, rlen)
        img[pos_addr(start, i):pos_addr(start, i) + NVR_POS_SIZE] = rec + rec
    e = end_record(low, len(regions))
    img[pos_addr(start, len(regions)):pos_addr(start, len(regions)) + NVR_POS_SIZE] = e + e
    return img


def check(table, strict):
    """Invariant violations (list of strings) and warnings."""
    violations, warnings = [], []
    if table["ending"] in ("corrupt", "format1"):
        violations.append("table refused at 0x%x: %s" % (table["end"], table["reason"]))
    if table["ending"] == "lost-end":
        warnings.append("END record at position %d missing (rewritten at next boot)"
                        % table["end_pos"])
    for d in table["damaged"]:
        violations.append("damaged record at position %d: its region is lost" % d)
    seen = {}
    prev_low = table["area_start"] + table["area_length"]
    for r in table["regions"]:
        if r["data"] + r["length"] > prev_low:
            violations.append("region of owner 0x%x overlaps the one before" % r["owner"])
        if r["owner"] in seen:
            violations.append("owner 0x%x has two regions (0x%x, 0x%x)"
                              % (r["owner"], seen[r["owner"]], r["data"]))
        seen[r["owner"]] = r["data"]
        for copy in ("primary", "secondary"):
            if r[copy] != "ok":
                msg = "owner 0x%x: %s record copy %s (repaired at next boot)" % (
                    r["owner"], copy, r[copy])
                (violations if strict else warnings).append(msg)
        prev_low = r["data"]
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
                    help="with --check, a single damaged record copy is a violation too")
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
    print("%-10s %-8s %-8s %-8s %-8s %-9s" % ("owner", "position", "data", "length", "primary",
                                               "secondary"))
    for r in table["regions"]:
        print("0x%08x %-8d 0x%06x %-8d %-8s %-9s" % (r["owner"], r["position"], r["data"],
                                                    r["length"], r["primary"], r["secondary"]))
    print("%d regions; END at position %d (%s), data low-water 0x%x, %d bytes free"
          % (len(table["regions"]), table["end_pos"], table["ending"], table["low"],
             table["free"]))
    for w in warnings:
        print("warning: " + w)
    for v in violations:
        print("VIOLATION: " + v)
    return status


if __name__ == "__main__":
    sys.exit(main())
