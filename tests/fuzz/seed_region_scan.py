#!/usr/bin/env python3
"""Seed corpus for fuzz_region_scan: valid region tables (random fuzzing
seldom forges a CRC), some with one damaged copy, a damaged position, a lost
END, a torn commit, a format-1 table, or junk."""
import os
import random
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import fram_inspect as fi  # noqa: E402

SIZE = 1024


def table(lengths):
    return fi.build_image([(0x100 + i, n) for i, n in enumerate(lengths)], SIZE)


def blank(img, i):
    at = fi.pos_addr(0, i)
    img[at:at + fi.NVR_POS_SIZE] = bytes(fi.NVR_POS_SIZE)


def main(out):
    rng = random.Random(5)
    seeds = {}
    seeds["empty"] = bytes(SIZE)
    seeds["ones"] = b"\xff" * SIZE
    seeds["three"] = bytes(table([64, 100, 200]))
    img = table([64, 100])
    at = fi.pos_addr(0, 2)
    img[at:at + 9] = fi.region_record(0x999, SIZE - 228, 64)[:9]
    seeds["torn"] = bytes(img)
    img = table([64, 100])
    img[3] ^= 0x10
    seeds["bad_primary"] = bytes(img)
    img = table([64, 100, 200])
    blank(img, 1)
    seeds["damaged_middle"] = bytes(img)
    img = table([64, 100, 200])
    blank(img, 3)
    seeds["lost_end"] = bytes(img)
    seeds["full"] = bytes(table([SIZE - 4 * fi.NVR_POS_SIZE]))
    img = table([64])
    junk_from = fi.pos_addr(0, 2)
    img[junk_from:SIZE - 64] = bytes(rng.randrange(256) for _ in range(SIZE - 64 - junk_from))
    seeds["junk_after"] = bytes(img)
    body = struct.pack(fi.V1_FORMAT, fi.NVR_V1_MAGIC, fi.NVR_V1_VERSION, 0, 7, 100)
    h = body + struct.pack("<I", zlib.crc32(body))
    seeds["format1"] = h + h + bytes(SIZE - 40)
    for name, data in seeds.items():
        with open(os.path.join(out, "seed_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
