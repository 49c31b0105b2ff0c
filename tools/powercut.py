#!/usr/bin/python3
"""Power-cut torture harness for the isolated storage (driver 0x50004).

How a cut is made, reproducibly
-------------------------------
QEMU's FRAM model (at24c-eeprom) writes its whole image back to the file at
each I2C STOP that ends a write; a write cut off before its STOP is lost
whole. So the FRAM states a power cut can leave behind are exactly the
images QEMU writes back, one per completed device write. The harness runs
the workload under `-icount shift=0` (deterministic) and strace, which
records, in order, every image write-back (pwrite64 of the image file) and
every UART byte (writev on stdout). A cut after device write k is then the
k-th recorded image, and the UART text before it says what the apps had
been told was done. Cutting "at a random instant" = choosing k with a
seeded generator; the same seed gives the same cuts. The next run boots
from the cut image, so each run is both the recovery check of the last cut
and the source of the next one.

What is checked
---------------
On every recorded image (not only the cut ones):
  * the region table parses (checksummed headers, chain by trusted lengths),
    regions do not overlap and each owner has at most one region;
  * no region ever disappears once live (no lost region);
  * a region that becomes live holds only clear bytes (0x00): its old
    contents (the harness fills free space with junk) never reach its owner.
On every boot after a cut:
  * the kernel boots and ends cleanly (no fault, no hang, status 0);
  * atomic records (apps/settings) are old-or-new: the generation loaded is
    the last one reported saved before the cut, or the one being saved;
    never torn;
  * the raw-write workload (apps/nvs_stress) passes its own shadow checks;
  * tools/fram_inspect.py --check accepts the image (when the tool exists).

Usage
-----
  tools/powercut.py --cuts 1000 --seed 1            (the long run)
  tools/powercut.py --cuts 20 --seed 7 --fresh-every 5
Exit status 0 if every invariant held; the figures go to stdout (and
--json FILE).
"""
import argparse
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import time
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu as qemu_tool  # noqa: E402

BUILD = os.path.join(ROOT, "build")
# The board's kernel (NVK_BOARD selects the board, as for tools/qemu.py).
KERNEL = os.path.join(qemu_tool.board_build(BUILD), "kernel.elf")
INSPECT = os.path.join(ROOT, "tools", "fram_inspect.py")
WORKLOAD = ["settings", "nvs_stress"]  # recorded runs: records, raw writes, allocations
VERIFY = ["settings"]                  # recovery boots: record old-or-new, kernel scan

# capsules/nv_region.h
NVR_MAGIC = 0x4752564E
NVR_VERSION = 1
HDR = 20
SLOT = 2 * HDR
CLEAR = 0x00
JUNK = 0xEE

TAIL = re.compile(r'", (\d+), (\d+)\)')
RUN_TIMEOUT = 60


class Violation(Exception):
    pass


LAST_OUTPUT = [""]  # UART text of the boot being checked, kept on a failure


def unescape(s):
    """strace -xx prints every byte as \\xHH."""
    return bytes.fromhex(s.replace("\\x", ""))


def decode_header(b):
    magic, version, reserved, owner, length, crc = struct.unpack("<IHHIII", b)
    if magic != NVR_MAGIC or version != NVR_VERSION or reserved != 0 or length == 0:
        return None
    if zlib.crc32(b[:16]) & 0xFFFFFFFF != crc:
        return None
    return owner, length


def parse_table(img):
    """{owner: (data address, length)} of the live regions, following the
    chain from address 0 the way nv_region.h describes it."""
    regions, addr = {}, 0
    while addr + SLOT <= len(img):
        a = decode_header(img[addr:addr + HDR])
        b = decode_header(img[addr + HDR:addr + SLOT])
        hdr = a or b
        if hdr is None:
            break  # free (blank secondary) or corrupt: the chain ends here
        if a and b and a != b:
            raise Violation(f"slot {addr:#x}: primary {a} and secondary {b} disagree")
        owner, length = hdr
        data = addr + SLOT
        if data + length > len(img) or data + length < data:
            raise Violation(f"slot {addr:#x}: length {length} runs past the FRAM")
        if owner in regions:
            raise Violation(f"owner {owner:#x} has two regions ({regions[owner][0]:#x}, {data:#x})")
        regions[owner] = (data, length)
        addr = data + length
    return regions


def check_states(states, before, log, check_clear=True):
    """Image-level invariants over consecutive states of one run. The clear
    check needs consecutive write-backs (the state right after a header
    commit), so it is off when states are a whole boot apart."""
    prev = before
    for i, img in enumerate(states):
        try:
            regs = parse_table(img)
        except Violation as e:
            raise Violation(f"write {i}: {e}") from None
        for owner, span in prev.items():
            if regs.get(owner) != span:
                raise Violation(f"write {i}: region of owner {owner:#x} at {span[0]:#x} lost")
        for owner, (data, length) in regs.items():
            if owner not in prev and check_clear:
                body = img[data:data + length]
                if body.count(CLEAR) != length:
                    bad = next(j for j, c in enumerate(body) if c != CLEAR)
                    raise Violation(f"write {i}: new region of {owner:#x} not cleared "
                                    f"(byte {bad} is {body[bad]:#x})")
                log["allocations"] += 1
        prev = regs
    return prev


def junk_image(size):
    """A fresh chip whose free space holds junk, with blank slot headers
    where regions of the board's size would start (4 KiB data each)."""
    img = bytearray([JUNK]) * size
    step = SLOT + 4096
    for a in range(0, size - SLOT, step):
        img[a:a + SLOT] = bytes(SLOT)
    return bytes(img)


def record(apps_bin, fram_path, workdir):
    """One deterministic run under strace: (UART text, [(uart offset, image)])."""
    trace = os.path.join(workdir, "trace.txt")
    argv = qemu_tool.qemu_argv(KERNEL, apps_bin, fram_path, icount=True)
    cmd = ["strace", "-f", "-qq", "-e", "trace=pwrite64,writev", "-e", "signal=none",
           "-xx", "-s", "65536", "-o", trace] + argv
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT)
        status = r.returncode
    except subprocess.TimeoutExpired:
        status = None
    uart, states = [], []
    size = 0
    with open(trace, encoding="ascii") as f:
        for line in f:
            # With -xx no string holds a quote: the data is between the first two.
            q1 = line.find('"')
            q2 = line.find('"', q1 + 1)
            if q1 < 0 or q2 < 0:
                continue
            data = unescape(line[q1 + 1:q2])
            if " writev(1, " in line[:q1]:
                uart.append(data.decode("latin-1"))
                size += len(data)
            elif " pwrite64(" in line[:q1]:
                m = TAIL.match(line, q2)
                if len(data) != qemu_tool.FRAM_SIZE or m is None or int(m.group(2)) != 0:
                    raise Violation(f"unexpected image write-back: {line[q2:q2 + 40]}")
                states.append((size, data))
    os.unlink(trace)
    return status, "".join(uart), states


def settings_gens(text):
    saved = [int(g) for g in re.findall(r"settings: saved generation (\d+)", text)]
    saving = [int(g) for g in re.findall(r"settings: saving generation (\d+)", text)]
    loaded = re.findall(r"settings: loaded generation (\d+)", text)
    return saved, saving, loaded


def check_boot(status, out, expect_gen, log):
    """Invariants of one boot (which is the recovery from the previous cut)."""
    if status is None:
        raise Violation("QEMU hung")
    if "KERNEL FAULT" in out:
        raise Violation("kernel fault")
    if "TORN" in out:
        raise Violation("torn atomic record: " + re.search(r"settings: TORN.*", out).group(0))
    if "unreadable header" in out:
        raise Violation("the kernel found a corrupt header")
    LAST_OUTPUT[0] = out
    failed = re.search(r"settings: (load|save) failed.*", out)
    if failed:
        raise Violation(failed.group(0))
    saved, saving, loaded = settings_gens(out)
    lo, hi = expect_gen
    got = int(loaded[0]) if loaded else 0
    if not lo <= got <= hi:
        raise Violation(f"settings loaded generation {got}, expected {lo}..{hi}")
    log["record_new" if got == hi and hi != lo else "record_old"] += 1
    if status != 0:
        raise Violation(f"exit status {status} (an app failed its own checks)")


def assemble(work, name, apps):
    path = os.path.join(work, name)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "tbf_assemble.py"), "-o",
                    path] + [os.path.join(BUILD, "apps", f"{a}.tbf") for a in apps],
                   check=True, capture_output=True)
    return path


def boot(apps_bin, fram_path):
    """A plain boot (no recording, still deterministic): (status or None on
    a hang, UART text)."""
    argv = qemu_tool.qemu_argv(KERNEL, apps_bin, fram_path, icount=True)
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=RUN_TIMEOUT)
        return r.returncode, r.stdout.decode("latin-1")
    except subprocess.TimeoutExpired:
        return None, ""


def inspector_check(path):
    if not os.path.exists(INSPECT):
        return False
    r = subprocess.run([sys.executable, INSPECT, "--check", path], capture_output=True, text=True)
    if r.returncode != 0:
        raise Violation("fram_inspect --check: " + (r.stdout + r.stderr).strip()[-400:])
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cuts", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cuts-per-run", type=int, default=10,
                    help="cuts taken from each recorded run (each gets its own recovery boot)")
    ap.add_argument("--fresh-every", type=int, default=5,
                    help="start from a fresh (junk-filled) chip every N recorded runs, so "
                         "allocations are cut too")
    ap.add_argument("--kernel", help="kernel ELF to torture (default: the board's, "
                    "build/kernel.elf or build/<board>/kernel.elf; NVK_BOARD picks the board)")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--keep", help="directory to keep a failing image in")
    ap.add_argument("--kv", action="store_true", help="torture the key-value store instead "
                    "(tools/powercut_kv.py: apps/kv_stress and apps/ot_settings)")
    args = ap.parse_args()
    if args.kv:
        import powercut_kv
        return powercut_kv.run(args.cuts, args.seed, args.cuts_per_run, args.json)

    global KERNEL
    if args.kernel:
        KERNEL = os.path.abspath(args.kernel)
    rng = random.Random(args.seed)
    log = {"cuts": 0, "runs": 0, "states_checked": 0, "allocations": 0, "record_old": 0,
           "record_new": 0, "inspector_checks": 0, "fresh_chips": 0}
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="powercut-") as work:
        apps_bin = assemble(work, "apps.bin", WORKLOAD)
        verify_bin = assemble(work, "verify.bin", VERIFY)
        fram = os.path.join(work, "fram.img")
        cut_img = os.path.join(work, "cut.img")
        image, tables, gen_range = junk_image(qemu_tool.FRAM_SIZE), {}, (0, 0)
        log["fresh_chips"] += 1
        try:
            while log["cuts"] < args.cuts:
                # One recorded run of the workload; its write-backs are the cuts.
                with open(fram, "wb") as f:
                    f.write(image)
                status, out, states = record(apps_bin, fram, work)
                log["runs"] += 1
                check_boot(status, out, gen_range, log)
                tables = check_states([s for _, s in states], tables, log)
                log["states_checked"] += len(states)
                if not states:
                    raise Violation("the workload wrote nothing")
                loaded = settings_gens(out)[2]
                # Half the cuts aim at the atomic-record saves (a few writes
                # among many), the rest anywhere.
                lo_u = out.find("settings: saving generation")
                hi_u = out.find("settings: done")
                window = [i + 1 for i, (u, _) in enumerate(states) if lo_u <= u <= hi_u]
                for _ in range(min(args.cuts_per_run, args.cuts - log["cuts"])):
                    if window and lo_u >= 0 and rng.random() < 0.5:
                        k = rng.choice(window)
                    else:
                        k = rng.randrange(1, len(states) + 1)
                    uart_at, image = states[k - 1]
                    saved, saving, _ = settings_gens(out[:uart_at])
                    last = saved[-1] if saved else (int(loaded[0]) if loaded else 0)
                    in_flight = saving[-1] if saving and saving[-1] > last else last
                    gen_range = (last, in_flight)
                    # Recovery boot from the cut image.
                    with open(cut_img, "wb") as f:
                        f.write(image)
                    vstatus, vout = boot(verify_bin, cut_img)
                    check_boot(vstatus, vout, gen_range, log)
                    with open(cut_img, "rb") as f:
                        after = f.read()
                    check_states([after], parse_table(image), log, check_clear=False)
                    if inspector_check(cut_img):
                        log["inspector_checks"] += 1
                    log["cuts"] += 1
                    if log["cuts"] % 50 == 0:
                        print(f"powercut: {log['cuts']} cuts, {log['states_checked']} states, "
                              f"{time.monotonic() - start:.0f} s", flush=True)
                # The next run goes on from the last recovered image.
                image = after
                gen_range = (settings_gens(vout)[0][-1],) * 2 if settings_gens(vout)[0] \
                    else (gen_range[1],) * 2
                tables = parse_table(image)
                if args.fresh_every and log["runs"] % args.fresh_every == 0:
                    image, tables, gen_range = junk_image(qemu_tool.FRAM_SIZE), {}, (0, 0)
                    log["fresh_chips"] += 1
        except Violation as e:
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                with open(os.path.join(args.keep, "failing-fram.img"), "wb") as f:
                    f.write(image or b"")
                with open(os.path.join(args.keep, "failing-boot.txt"), "w") as f:
                    f.write(LAST_OUTPUT[0])
            print(f"powercut: VIOLATION after {log['cuts']} cuts (seed {args.seed}): {e}")
            return 1
    log["seconds"] = round(time.monotonic() - start, 1)
    log["seed"] = args.seed
    print("powercut: " + ", ".join(f"{k} {v}" for k, v in log.items()))
    print(f"powercut: {log['cuts']} power cuts survived, 0 violations")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(log, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
