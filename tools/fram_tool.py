#!/usr/bin/env python3
"""List and free the storage regions of an FRAM image (driver 0x50004).

For images that no kernel is using (stop QEMU first; an image QEMU holds
locked is refused). The format is the one in capsules/nv_region.h, read
through tools/fram_inspect.py.

    fram_tool.py list IMAGE [--json]                 # owners, offsets, sizes, free space
    fram_tool.py free IMAGE OWNER [--yes] [--backup PATH]
    fram_tool.py migrate IMAGE [--yes] [--backup PATH]   # format 1 -> format 2

free removes OWNER's region, keeping the kernel's invariants: the other
regions keep their data and their place on the chip, records stay in
allocation order, the END carries a low-water mark at or below every region,
the position after the END is cleared, and the freed region's bytes are
zeroed. Its space is given back only when it was the last region allocated
(the low-water mark goes back up); otherwise it stays a hole. The new image
is written to a temporary file next to the image and renamed over it (an
atomic replace: a crash leaves the old image or the new one), after a backup
(IMAGE.bak, or IMAGE.bak.N if that exists, or --backup PATH).

migrate converts a format-1 image (a chain of "NVRG" headers from the area
start) into format 2, keeping every region's owner and data.

--start/--length give the storage area (the board's area_start/area_len;
default: the whole image). Exit status: 0 done, 1 refused (bad table, no
such owner, not confirmed, image in use), 2 bad usage.
"""
import argparse
import fcntl
import json
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fram_inspect as fi  # noqa: E402

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
V1_HDR = 20
V1_SLOT = 2 * V1_HDR


class Refused(Exception):
    pass


def read_table(image, start, length):
    """The scan of a table this tool may edit, or Refused."""
    t = fi.scan(image, start, length)
    if t["ending"] not in ("end", "lost-end"):
        raise Refused("table not usable (%s): %s" % (t["ending"], t["reason"]))
    violations, _ = fi.check(t, strict=False)
    if violations:
        raise Refused("table has violations, fix or wipe the image first: "
                      + "; ".join(violations))
    return t


def layout(image, start, length, regions, low):
    """A copy of image whose area holds exactly regions [(owner, data,
    length)] at positions 0.., the END(low) after them, and every later
    position that was in use cleared."""
    img = bytearray(image)
    end = start + length
    for i, (owner, data, rlen) in enumerate(regions):
        rec = fi.region_record(owner, data, rlen)
        if not fi.record_fits(start, end, i, fi.decode_record(rec)):
            raise Refused("region of owner 0x%x does not fit position %d" % (owner, i))
        img[fi.pos_addr(start, i):fi.pos_addr(start, i) + fi.NVR_POS_SIZE] = rec + rec
    k = len(regions)
    e = fi.end_record(low, k)
    if not fi.record_fits(start, end, k, fi.decode_record(e)):
        raise Refused("no directory room for the END")
    img[fi.pos_addr(start, k):fi.pos_addr(start, k) + fi.NVR_POS_SIZE] = e + e
    return img, k


def clear_positions(img, start, first, last):
    """Zero directory positions first..last (inclusive)."""
    for i in range(first, last + 1):
        at = fi.pos_addr(start, i)
        img[at:at + fi.NVR_POS_SIZE] = bytes(fi.NVR_POS_SIZE)


def without_owner(image, start, length, owner):
    t = read_table(image, start, length)
    mine = [r for r in t["regions"] if r["owner"] == owner]
    if not mine:
        raise Refused("no region for owner 0x%x" % owner)
    gone = mine[0]
    keep = [(r["owner"], r["data"], r["length"]) for r in t["regions"] if r["owner"] != owner]
    # The low-water mark: the lowest data still in use, or the old mark if
    # the freed region was not the lowest (its space stays a hole).
    if gone["data"] == t["low"]:
        low = keep[-1][1] if keep else start + length
    else:
        low = t["low"]
    img, k = layout(image, start, length, keep, low)
    # Positions the old table used past the new END, and the one after it.
    clear_positions(img, start, k + 1, max(t["end_pos"] + 1, k + 1))
    img[gone["data"]:gone["data"] + gone["length"]] = bytes(gone["length"])
    after = fi.scan(bytes(img), start, length)
    assert after["ending"] == "end" and not fi.check(after, strict=True)[0], after
    assert [(r["owner"], r["data"], r["length"]) for r in after["regions"]] == keep
    return bytes(img), gone


def v1_regions(image, start, length):
    """[(owner, data, length)] of a format-1 chain, or Refused."""
    end, addr, out = start + length, start, []
    while end - addr >= V1_SLOT:
        hdrs = []
        for off in (0, V1_HDR):
            h = image[addr + off:addr + off + V1_HDR]
            magic, version, reserved, owner, rlen = struct.unpack(fi.V1_FORMAT, h[:16])
            ok = (magic == fi.NVR_V1_MAGIC and version == fi.NVR_V1_VERSION and reserved == 0
                  and struct.unpack("<I", h[16:20])[0] == zlib.crc32(h[:16]) & 0xFFFFFFFF)
            hdrs.append((owner, rlen) if ok else None)
        hdr = hdrs[0] or hdrs[1]
        if hdr is None:
            break
        if hdrs[0] and hdrs[1] and hdrs[0] != hdrs[1]:
            raise Refused("format-1 slot at 0x%x: copies disagree" % addr)
        owner, rlen = hdr
        if rlen == 0 or rlen > end - addr - V1_SLOT:
            raise Refused("format-1 slot at 0x%x: length %d leaves the area" % (addr, rlen))
        out.append((owner, addr + V1_SLOT, rlen))
        addr += V1_SLOT + rlen
    return out


def migrated(image, start, length):
    raw0 = image[start:start + fi.NVR_POS_SIZE]
    if not fi.is_format1(raw0):
        raise Refused("not a format-1 image")
    old = v1_regions(image, start, length)
    data = {owner: image[d:d + n] for owner, d, n in old}
    img = bytearray(len(image))
    img[:start] = image[:start]
    img[start + length:] = image[start + length:]
    low, regions = start + length, []
    for owner, _, n in old:
        low -= n
        regions.append((owner, low, n))
    img, k = layout(bytes(img), start, length, regions, low)
    clear_positions(img, start, k + 1, k + 1)
    for owner, d, n in regions:
        img[d:d + n] = data[owner]
    after = fi.scan(bytes(img), start, length)
    assert after["ending"] == "end" and not fi.check(after, strict=True)[0], after
    return bytes(img), regions


def in_use(path):
    """True if another process holds a lock on the image (QEMU locks the
    drive files it opens)."""
    with open(path, "rb+") as f:
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(f, fcntl.LOCK_UN)
    return False


def backup_path(path, wanted):
    if wanted:
        return wanted
    cand, n = path + ".bak", 1
    while os.path.exists(cand):
        cand = "%s.bak.%d" % (path, n)
        n += 1
    return cand


def replace_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dirfd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(dirfd)
    finally:
        os.close(dirfd)


def confirm(question, yes):
    if yes:
        return True
    sys.stdout.write(question + " [y/N] ")
    sys.stdout.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes")


def write_back(args, image, new, what):
    if not confirm(what, args.yes):
        raise Refused("not confirmed; image unchanged")
    bak = backup_path(args.image, args.backup)
    with open(bak, "wb") as f:
        f.write(image)
    replace_atomically(args.image, new)
    print("backup: %s" % bak)


def cmd_list(args, image, start, length):
    t = fi.scan(image, start, length)
    if args.json:
        json.dump(t, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    print("area 0x%x..0x%x (%d bytes), table: %s" % (start, start + length, length, t["ending"]))
    print("%-10s %-8s %-10s %-8s" % ("owner", "position", "offset", "size"))
    for r in t["regions"]:
        print("0x%08x %-8d 0x%08x %-8d" % (r["owner"], r["position"], r["data"], r["length"]))
    for d in t["damaged"]:
        print("damaged record at position %d (its region is lost)" % d)
    print("%d regions, %d bytes free" % (len(t["regions"]), t["free"]))
    if t["ending"] not in ("end", "lost-end"):
        print("table refused by the kernel: %s" % t["reason"])
        return EXIT_REFUSED
    return EXIT_OK


def cmd_free(args, image, start, length):
    new, gone = without_owner(image, start, length, args.owner)
    write_back(args, image, new, "Free the region of owner 0x%x (%d bytes at 0x%x)? Its data "
               "is lost." % (args.owner, gone["length"], gone["data"]))
    print("freed owner 0x%x: %d bytes at 0x%x" % (args.owner, gone["length"], gone["data"]))
    return EXIT_OK


def cmd_migrate(args, image, start, length):
    new, regions = migrated(image, start, length)
    write_back(args, image, new, "Convert this format-1 image (%d regions) to format 2?"
               % len(regions))
    print("migrated %d regions to format 2" % len(regions))
    return EXIT_OK


def main(argv=None):
    ap = argparse.ArgumentParser(description="List and free storage regions of an FRAM image.")
    ap.add_argument("--start", type=lambda v: int(v, 0), default=0,
                    help="device address of the storage area (board's area_start)")
    ap.add_argument("--length", type=lambda v: int(v, 0), default=None,
                    help="bytes of the storage area (default: to the end of the image)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("list", help="regions with owners, offsets, sizes; free space")
    p.add_argument("image")
    p.add_argument("--json", action="store_true")
    for name, helptext in (("free", "free one owner's region"),
                           ("migrate", "convert a format-1 image to format 2")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("image")
        if name == "free":
            p.add_argument("owner", type=lambda v: int(v, 0))
        p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        p.add_argument("--backup", help="where to save the old image (default IMAGE.bak)")
    args = ap.parse_args(argv)

    try:
        with open(args.image, "rb") as f:
            image = f.read()
    except OSError as e:
        sys.stderr.write("fram_tool: %s\n" % e)
        return EXIT_USAGE
    start = args.start
    length = args.length if args.length is not None else len(image) - start
    if start < 0 or length < 0 or start + length > len(image):
        sys.stderr.write("fram_tool: area 0x%x+%d is outside the %d-byte image\n"
                         % (start, length, len(image)))
        return EXIT_USAGE
    try:
        if args.cmd == "list":
            return cmd_list(args, image, start, length)
        if in_use(args.image):
            raise Refused("the image is in use (locked by another process, e.g. QEMU)")
        if args.cmd == "free":
            return cmd_free(args, image, start, length)
        return cmd_migrate(args, image, start, length)
    except Refused as e:
        sys.stderr.write("fram_tool: %s\n" % e)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
