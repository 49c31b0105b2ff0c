#!/usr/bin/env python3
"""Seed corpus for fuzz_region_scan: valid region tables (random fuzzing
seldom forges a CRC), some with one damaged copy, a torn commit, or junk."""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import fram_inspect as fi  # noqa: E402


def table(lengths, size=1024):
    img = bytearray(size)
    addr = 0
    for i, length in enumerate(lengths):
        h = fi.encode_header(0x100 + i, length)
        img[addr:addr + fi.NVR_SLOT_SIZE] = h + h
        addr += fi.NVR_SLOT_SIZE + length
    return img, addr


def main(out):
    rng = random.Random(5)
    seeds = {}
    seeds["empty"] = bytes(1024)
    seeds["ones"] = b"\xff" * 1024
    img, _ = table([64, 100, 200])
    seeds["three"] = bytes(img)
    img, end = table([64, 100])
    img[end:end + 9] = fi.encode_header(0x999, 64)[:9]
    seeds["torn"] = bytes(img)
    img, _ = table([64, 100])
    img[3] ^= 0x10
    seeds["bad_primary"] = bytes(img)
    img, _ = table([1024 - fi.NVR_SLOT_SIZE])
    seeds["full"] = bytes(img)
    img, end = table([64])
    img[end:] = bytes(rng.randrange(256) for _ in range(len(img) - end))
    seeds["junk_after"] = bytes(img)
    for name, data in seeds.items():
        with open(os.path.join(out, "seed_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
