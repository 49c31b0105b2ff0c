#!/usr/bin/python3
"""List the TBF images in an app flash image (or a single .tbf) and their headers.

    tbf_inspect.py apps.bin [--json] [--base ADDR]

Walks the images the way the kernel's loader does (tools/tbflib.iter_tbfs):
from offset 0, each image's total_size leads to the next; zero fill or
erased flash ends the list; a malformed image is reported and, when its
total_size is still trustworthy, skipped. Exit status: 0 when every image
parsed, 1 when any was malformed (the others are still listed), 2 when the
file cannot be read.
"""
import argparse
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tbflib  # noqa: E402


def describe_tlv(t):
    """One line of text for a TLV's value."""
    v = t.value
    if t.type in (tbflib.TLV_MAIN, tbflib.TLV_PROGRAM) and len(v) in (12, 20):
        words = struct.unpack(f"<{len(v) // 4}I", v)
        names = ["init_fn_offset", "protected_size", "min_ram_size", "binary_end_offset",
                 "app_version"]
        return " ".join(f"{n}={w:#x}" for n, w in zip(names, words))
    if t.type == tbflib.TLV_PACKAGE_NAME:
        return repr(v.decode("utf-8", "replace"))
    if t.type == tbflib.TLV_KERNEL_VERSION and len(v) == 4:
        return "%d.%d" % struct.unpack("<HH", v)
    if t.type == tbflib.TLV_SHORT_ID and len(v) == 4:
        return "%#x" % struct.unpack("<I", v)
    if t.type == tbflib.TLV_FIXED_ADDRESSES and len(v) == 8:
        return "ram=%#x flash=%#x" % struct.unpack("<II", v)
    return v.hex() if len(v) <= 32 else v[:32].hex() + "..."


def image_record(offset, img):
    rec = {
        "offset": offset, "ok": True, "padding": not img.has_main and not img.enabled,
        "version": img.version, "header_size": img.header_size,
        "total_size": img.total_size, "flags": img.flags, "enabled": img.enabled,
        "sticky": img.sticky, "name": img.full_name,
    }
    if img.has_main:
        rec.update({
            "header": "program" if img.has_program else "main",
            "init_fn_offset": img.init_fn_offset, "entry_offset": img.entry_offset,
            "protected_size": img.protected_size, "binary_offset": img.binary_offset,
            "min_ram_size": img.min_ram_size, "binary_end_offset": img.binary_end_offset,
            "app_version": img.app_version,
        })
    if img.has_storage:
        rec["storage"] = {"write_id": img.write_id, "read_ids": img.read_ids,
                          "modify_ids": img.modify_ids}
    if img.has_short_id:
        rec["short_id"] = img.short_id
    if img.has_kernel_version:
        rec["kernel_version"] = list(img.kernel_version)
    if img.has_fixed_addresses:
        rec["fixed_addresses"] = {"ram": img.fixed_ram, "flash": img.fixed_flash}
    rec["tlvs"] = [{"type": t.type, "name": t.name, "offset": t.offset,
                    "length": len(t.value), "value": t.value.hex()} for t in img.tlvs]
    return rec


def error_record(offset, err):
    return {"offset": offset, "ok": False, "error": err.code, "detail": err.detail,
            "skippable": err.skippable, "total_size": err.total_size}


def inspect(blob):
    """(records, end offset of the walk)."""
    records = []
    end = 0
    for offset, item in tbflib.iter_tbfs(blob):
        if isinstance(item, tbflib.TbfError):
            records.append(error_record(offset, item))
            end = offset + (item.total_size or 0)
        else:
            records.append(image_record(offset, item))
            end = offset + item.total_size
    return records, end


def print_text(records, end, base, out):
    for r in records:
        at = f"{base + r['offset']:#010x}"
        if not r["ok"]:
            skip = f", skipping {r['total_size']:#x} bytes" if r["skippable"] else ", stop"
            print(f"{at}  MALFORMED ({r['error']}): {r['detail']}{skip}", file=out)
            continue
        if r["padding"]:
            print(f"{at}  padding  total_size={r['total_size']:#x}", file=out)
            continue
        state = "enabled" if r["enabled"] else "disabled"
        print(f"{at}  {r['name']!r}  {state}  total_size={r['total_size']:#x} "
              f"header_size={r['header_size']:#x} flags={r['flags']:#x} "
              f"version={r['version']}", file=out)
        if "header" in r:
            print(f"    {r['header']}: entry={base + r['offset'] + r['entry_offset']:#x} "
                  f"(init_fn_offset={r['init_fn_offset']:#x}) "
                  f"binary={base + r['offset'] + r['binary_offset']:#x} "
                  f"protected_size={r['protected_size']:#x} "
                  f"binary_end_offset={r['binary_end_offset']:#x} "
                  f"min_ram_size={r['min_ram_size']:#x} app_version={r['app_version']}",
                  file=out)
        if "storage" in r:
            s = r["storage"]
            print(f"    storage: write_id={s['write_id']:#x} "
                  f"read_ids=[{', '.join(hex(i) for i in s['read_ids'])}] "
                  f"modify_ids=[{', '.join(hex(i) for i in s['modify_ids'])}]", file=out)
        if "short_id" in r:
            print(f"    short_id: {r['short_id']:#x}", file=out)
        if "kernel_version" in r:
            print("    kernel_version: %d.%d" % tuple(r["kernel_version"]), file=out)
        if "fixed_addresses" in r:
            fa = r["fixed_addresses"]
            print(f"    fixed_addresses: ram={fa['ram']:#x} flash={fa['flash']:#x}", file=out)
        for t in r["tlvs"]:
            tl = tbflib.Tlv(t["type"], t["offset"], bytes.fromhex(t["value"]))
            print(f"    tlv @{t['offset']:#06x} type={t['type']:<3} {t['name']:<20} "
                  f"len={t['length']:<4} {describe_tlv(tl)}", file=out)
    bad = sum(not r["ok"] for r in records)
    apps = sum(r["ok"] and not r["padding"] for r in records)
    print(f"{apps} app(s), {bad} malformed, list ends at {base + end:#010x}", file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("image", help="app flash image or a single .tbf")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--base", type=lambda s: int(s, 0), default=0, metavar="ADDR",
                    help="address of the image's first byte (offsets print as addresses)")
    args = ap.parse_args(argv)
    try:
        with open(args.image, "rb") as f:
            blob = f.read()
    except OSError as err:
        print(f"tbf_inspect: {err}", file=sys.stderr)
        return 2
    records, end = inspect(blob)
    if args.json:
        json.dump({"file": args.image, "base": args.base, "images": records,
                   "end_offset": end, "malformed": sum(not r["ok"] for r in records)},
                  sys.stdout, indent=2)
        print()
    else:
        print_text(records, end, args.base, sys.stdout)
    return 1 if any(not r["ok"] for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
