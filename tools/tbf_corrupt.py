#!/usr/bin/python3
"""Make corrupted TBF images for the hostile-input tests.

    tbf_corrupt.py KIND in.tbf -o out.tbf      (tbf_corrupt.py --list for KINDs)

Each corruption is a function image -> bytes in CORRUPTIONS, with the error
the kernel's parser (and tbflib.parse_tbf) must report for it. Lies are
told with a recomputed checksum where that is needed for the lie to reach
the check it targets; otherwise a bad checksum would hide it.
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tbflib  # noqa: E402

OFF_VERSION = 0
OFF_HEADER_SIZE = 2
OFF_TOTAL_SIZE = 4
OFF_CHECKSUM = 12


def _put(image, fmt, offset, value, fix=True):
    buf = bytearray(image)
    struct.pack_into(fmt, buf, offset, value)
    return tbflib.fix_checksum(bytes(buf)) if fix else bytes(buf)


def _first_tlv(image, types):
    """Offset of the first TLV of one of types (from tbflib's parse)."""
    for t in tbflib.parse_tbf(image).tlvs:
        if t.type in types:
            return t.offset
    raise ValueError("image has no such TLV")


def bad_checksum(image):
    """Flip one bit of the checksum word."""
    return _put(image, "<I", OFF_CHECKSUM,
                struct.unpack_from("<I", image, OFF_CHECKSUM)[0] ^ 1, fix=False)


def flipped_header_bit(image):
    """Flip a bit inside the TLVs, leaving the checksum stale."""
    buf = bytearray(image)
    buf[tbflib.BASE_HEADER_SIZE + 4] ^= 0x10
    return bytes(buf)


def truncated(image):
    """Cut the image in the middle of its base header (end of an area)."""
    return image[:tbflib.BASE_HEADER_SIZE // 2 + 2]


def truncated_body(image):
    """Keep the header, drop the second half: total_size now lies."""
    return image[:len(image) // 2]


def bad_version(image):
    """A TBF version the kernel does not know."""
    return _put(image, "<H", OFF_VERSION, tbflib.TBF_VERSION + 1)


def total_size_huge(image):
    """total_size far past any app area."""
    return _put(image, "<I", OFF_TOTAL_SIZE, 0x7FFF0000)


def total_size_overlaps_next(image):
    """total_size twice the image: the next image (if any) lies inside this
    one, so a loader skipping by total_size jumps over it; at the end of
    an area it runs past the area."""
    return _put(image, "<I", OFF_TOTAL_SIZE, 2 * len(image))


def total_size_zero(image):
    """total_size 0 under a valid version: corrupted, not blank flash."""
    return _put(image, "<I", OFF_TOTAL_SIZE, 0)


def total_size_tiny(image):
    """total_size smaller than the base header."""
    return _put(image, "<I", OFF_TOTAL_SIZE, 8)


def header_size_past_total(image):
    """header_size larger than total_size."""
    hs = struct.unpack_from("<I", image, OFF_TOTAL_SIZE)[0] + 4
    return _put(image, "<H", OFF_HEADER_SIZE, min(hs, 0xFFFC))


def header_size_short(image):
    """header_size smaller than the base header."""
    return _put(image, "<H", OFF_HEADER_SIZE, 8)


def tlv_length_past_header(image):
    """The Main/Program TLV claims a value longer than the header."""
    off = _first_tlv(image, (tbflib.TLV_MAIN, tbflib.TLV_PROGRAM))
    return _put(image, "<H", off + 2, 0xFFF0)


def tlv_bad_fixed_length(image):
    """The Main/Program TLV length off by four: value and framing disagree."""
    off = _first_tlv(image, (tbflib.TLV_MAIN, tbflib.TLV_PROGRAM))
    length = struct.unpack_from("<H", image, off + 2)[0]
    return _put(image, "<H", off + 2, length - 4)


def no_main(image):
    """Retype the Main/Program TLV as an unknown one (skipped)."""
    off = _first_tlv(image, (tbflib.TLV_MAIN, tbflib.TLV_PROGRAM))
    return _put(image, "<H", off, 0x7777)


def entry_past_binary(image):
    """init_fn_offset points past the end of the image."""
    off = _first_tlv(image, (tbflib.TLV_MAIN, tbflib.TLV_PROGRAM))
    return _put(image, "<I", off + 4, len(image))


def protected_past_image(image):
    """protected_size larger than the image."""
    off = _first_tlv(image, (tbflib.TLV_MAIN, tbflib.TLV_PROGRAM))
    return _put(image, "<I", off + 8, len(image))


def blank(image):
    """Erased flash where the image was."""
    return b"\xff" * len(image)


# name: (function, error code tbflib/the kernel report)
CORRUPTIONS = {
    "bad_checksum": (bad_checksum, tbflib.ERR_CHECKSUM),
    "flipped_header_bit": (flipped_header_bit, tbflib.ERR_CHECKSUM),
    "truncated": (truncated, tbflib.ERR_TRUNCATED),
    "truncated_body": (truncated_body, tbflib.ERR_TOTAL_SIZE),
    "bad_version": (bad_version, tbflib.ERR_VERSION),
    "total_size_huge": (total_size_huge, tbflib.ERR_TOTAL_SIZE),
    "total_size_overlaps_next": (total_size_overlaps_next, tbflib.ERR_TOTAL_SIZE),
    "total_size_tiny": (total_size_tiny, tbflib.ERR_TOTAL_SIZE),
    "total_size_zero": (total_size_zero, tbflib.ERR_TOTAL_SIZE),
    "header_size_past_total": (header_size_past_total, tbflib.ERR_HEADER_SIZE),
    "header_size_short": (header_size_short, tbflib.ERR_HEADER_SIZE),
    "tlv_length_past_header": (tlv_length_past_header, tbflib.ERR_TLV),
    "tlv_bad_fixed_length": (tlv_bad_fixed_length, tbflib.ERR_TLV),
    "no_main": (no_main, tbflib.ERR_NO_MAIN),
    "entry_past_binary": (entry_past_binary, tbflib.ERR_ENTRY),
    "protected_past_image": (protected_past_image, tbflib.ERR_TLV),
    "blank": (blank, tbflib.ERR_END),
}


def corrupt(kind, image):
    return CORRUPTIONS[kind][0](image)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", nargs="?", choices=sorted(CORRUPTIONS))
    ap.add_argument("input", nargs="?")
    ap.add_argument("-o", "--output")
    ap.add_argument("--list", action="store_true", help="list the kinds and expected errors")
    args = ap.parse_args(argv)
    if args.list:
        for name, (fn, code) in sorted(CORRUPTIONS.items()):
            print(f"{name:<26} {code:<12} {(fn.__doc__ or '-').strip().splitlines()[0]}")
        return 0
    if not (args.kind and args.input and args.output):
        ap.error("KIND, input and -o are required")
    with open(args.input, "rb") as f:
        image = f.read()
    with open(args.output, "wb") as f:
        f.write(corrupt(args.kind, image))
    return 0


if __name__ == "__main__":
    sys.exit(main())
