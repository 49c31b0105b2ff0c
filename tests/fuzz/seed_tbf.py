#!/usr/bin/python3
"""Seed the TBF fuzzer's corpus with valid app areas built by tools/tbflib.py
(Program and Main headers, storage permissions, ShortId, a disabled app, two
images back to back), so the fuzzer starts past the checksum check."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import tbflib  # noqa: E402

BINARY = bytes(range(64))


def seeds():
    yield "program", tbflib.make_tbf(BINARY, name="seed", init_fn_offset=1, min_ram_size=4096)
    yield "main", tbflib.make_tbf(BINARY, name="main", init_fn_offset=1, min_ram_size=1024,
                                  program=False, protected_size=32)
    yield "storage", tbflib.make_tbf(BINARY, name="nv", init_fn_offset=1, min_ram_size=4096,
                                     storage=(7, [1, 2], [3]), short_id=0x1234,
                                     extra_tlvs=[(tbflib.TLV_FIXED_ADDRESSES, bytes(8)),
                                                 (0x99, b"unknown")])
    yield "disabled", tbflib.make_tbf(BINARY, name="off", init_fn_offset=1, min_ram_size=64,
                                      enabled=False)
    two = tbflib.make_tbf(BINARY, name="a", init_fn_offset=1, min_ram_size=64)
    yield "two", two + tbflib.make_tbf(BINARY, name="b", init_fn_offset=1,
                                       min_ram_size=64) + bytes(16)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, blob in seeds():
        with open(os.path.join(out, f"seed-{name}"), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    main()
