#!/usr/bin/python3
"""Power-cut torture harness for the isolated storage (driver 0x50004).

How a cut is made, reproducibly
-------------------------------
QEMU's FRAM model (at24c-eeprom) writes its whole image back to the file at
each I2C STOP that ends a write; a write cut off before its STOP is lost
whole. So the FRAM states a power cut can leave behind are exactly the
images QEMU writes back, one per completed device write. The harness runs
the workload under `-icount shift=0` (deterministic) with a small preloaded
library (tools/powercut_shim.c, built here with the host compiler) that
hands every image write-back, with the number of UART bytes printed before
it, to this script through a pipe. A cut after device write k is then the
k-th image, and the UART text before it (kernel log records decoded,
tools/klog.py) says what the apps had been told was done. Cutting "at a
random instant" = choosing k with a seeded generator; the same seed gives
the same cuts. The next run boots from the last recovered image, so each
run is both the recovery check of the last cut and the source of the next
ones.

Two granularities:
  * default: the kernel as built (build/kernel.elf): a device write is one
    I2C transaction of up to 64 bytes (I2C_FRAM_CHUNK);
  * --byte-cuts: the kernel variant built with I2C_FRAM_WRITE_CHUNK=1
    (build/variant/chunk1/kernel.elf, mk/kernel.mk): every byte is its own
    transaction and so every byte boundary is a cut point, as on a real I2C
    FRAM, which keeps each byte as it is acknowledged. A quarter of the cuts
    go to the states just before and after each change of the region table
    (header bytes land one at a time), a quarter to atomic-record saves, a
    quarter to the last 4 states of each save (where the new version lands),
    the rest anywhere. The byte-cut variants leave 512 guard bytes at both
    ends of the chip outside the storage area, so "nothing written outside
    the area" is checked too. Recovery boots use the variant with the same
    area and the normal write chunk (build/variant/guard/kernel.elf).

Starting states (--start): a zeroed chip, an erased chip (all 0xFF), a chip
of seeded random bytes, or all three in turn (each fresh chip takes the
next); --fresh-every N starts a new chip every N recorded runs.

What is checked
---------------
The region table is read with tools/fram_inspect.py (scan and check), the
one reader of the on-FRAM format besides the kernel, so these checks follow
the format as it changes. On every state the workload writes (not only the
cut ones):
  * fram_inspect finds no violation: the table is never corrupt, regions do
    not overlap, each owner has at most one, none leaves the area;
  * no region ever disappears or moves once live (no lost region);
  * a region that becomes live holds only clear bytes (0x00): old contents
    (random bytes, 0xFF, an earlier owner's data) never reach its owner.
On every boot after a cut:
  * the kernel boots and ends cleanly (no fault, no hang, status 0);
  * atomic records (apps/settings) are old-or-new: the generation loaded is
    the last one reported saved before the cut, or the one being saved;
    never torn;
  * the raw-write workload (apps/nvs_stress; apps/boot_counter with byte
    cuts) passes its own checks;
  * the image after the recovery boot passes the same table checks, and
    every region live at the cut is still there.
  * with --byte-cuts (whose kernels leave 512 guard bytes at both ends of
    the chip): no byte outside the storage area ever changes, in any
    state or after any recovery boot.

Usage
-----
  tools/powercut.py --cuts 1000 --seed 1                   (64-byte cuts)
  tools/powercut.py --byte-cuts --cuts 1500 --seed 2 --start erased
  tools/powercut.py --cuts 20 --seed 7 --fresh-every 5
Exit status 0 if every invariant held; the figures go to stdout (and
--json FILE).
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import fram_inspect  # noqa: E402
import klog  # noqa: E402
import qemu as qemu_tool  # noqa: E402

BUILD = os.path.join(ROOT, "build")
# The board's kernels (NVK_BOARD selects the board, as for tools/qemu.py).
KERNEL = os.path.join(qemu_tool.board_build(BUILD), "kernel.elf")
BYTE_KERNEL = os.path.join(qemu_tool.board_build(BUILD), "variant", "chunk1", "kernel.elf")
GUARD_KERNEL = os.path.join(qemu_tool.board_build(BUILD), "variant", "guard", "kernel.elf")
# The byte-cut variants (chunk1, guard) leave this many bytes at both ends
# of the chip outside the storage area (mk/kernel.mk, BOARD_NVS_AREA_GUARD).
BYTE_AREA_GUARD = 512
SHIM_SRC = os.path.join(ROOT, "tools", "powercut_shim.c")
SHIM = os.path.join(BUILD, "powercut", "powercut_shim.so")
WORKLOAD = ["settings", "nvs_stress"]  # recorded runs: records, raw writes, allocations
# Byte cuts: two allocations and record saves, without nvs_stress's 9 KB of
# raw writes (each byte is a state there: about 8,500 states a run, not 21,000).
WORKLOAD_BYTE = ["settings", "boot_counter"]
VERIFY = ["settings"]                  # recovery boots: record old-or-new, kernel scan
STARTS = ("zero", "erased", "random")
CLEAR = 0x00
ERASED = 0xFF
HEADER = 8            # powercut_shim.c: u64 UART byte count before each image
NEAR_COMMIT = 48      # byte mode: states before a table change that are aimed at
SAVE_TAIL = 4         # byte mode: last states of a record save that are aimed at
RUN_TIMEOUT = 120     # seconds for one boot (a byte-cut run writes ~12,000 images)


class Violation(Exception):
    pass


LAST_OUTPUT = [""]  # UART text of the boot being checked, kept on a failure


def build_shim():
    """Compile the preload library if it is missing or older than its source."""
    if os.path.exists(SHIM) and os.path.getmtime(SHIM) >= os.path.getmtime(SHIM_SRC):
        return SHIM
    os.makedirs(os.path.dirname(SHIM), exist_ok=True)
    tmp = f"{SHIM}.{os.getpid()}"
    subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o", tmp,
                    SHIM_SRC, "-ldl", "-lpthread"], check=True)
    os.replace(tmp, SHIM)
    return SHIM


def start_image(kind, size, seed):
    if kind == "zero":
        return bytes(size)
    if kind == "erased":
        return bytes([ERASED]) * size
    if kind == "random":
        return random.Random(seed).randbytes(size)
    raise ValueError(kind)


# The storage area of the kernel under test: [start, start + length).
AREA = {"start": 0, "guard": 0}


def area_of(img):
    return AREA["start"], len(img) - AREA["start"] - AREA["guard"]


def outside(img):
    """The bytes of an image outside the storage area."""
    start, length = area_of(img)
    return img[:start] + img[start + length:]


def inspect(img):
    """(owner -> (data address, length), fram_inspect's table) of an image;
    Violation if fram_inspect finds any."""
    table = fram_inspect.scan(img, *area_of(img))
    violations, _ = fram_inspect.check(table, False)
    if violations:
        raise Violation("; ".join(violations))
    return {r["owner"]: (r["data"], r["length"]) for r in table["regions"]}, table


def parse_table(img):
    return inspect(img)[0]


def fresh_table(kind, img):
    """The table of a fresh chip, before any write: it must read as valid."""
    try:
        return parse_table(img)
    except Violation as e:
        raise Violation(f"a fresh {kind} chip does not read as a valid table: {e}") from None


class StateChecker:
    """Image-level invariants over consecutive states of one run. The clear
    check needs consecutive write-backs (the state right after a header
    commit), so it is off when states are a whole boot apart."""

    def __init__(self, before, log, check_clear=True, guard=None):
        self.guard = guard    # the bytes outside the area, as they must stay
        self.prev = before
        self.prev_table = None
        self.log = log
        self.check_clear = check_clear
        self.n = 0

    def feed(self, img):
        """Check one state; returns whether the table changed with it."""
        i = self.n
        self.n += 1
        try:
            regs, table = inspect(img)
        except Violation as e:
            raise Violation(f"write {i}: {e}") from None
        if self.guard is not None and outside(img) != self.guard:
            raise Violation(f"write {i}: a byte outside the storage area changed")
        for owner, span in self.prev.items():
            if regs.get(owner) != span:
                raise Violation(f"write {i}: region of owner {owner:#x} at {span[0]:#x} lost")
        for owner, (data, length) in regs.items():
            if owner in self.prev:
                continue
            if self.check_clear:
                body = img[data:data + length]
                if body.count(CLEAR) != length:
                    bad = next(j for j, c in enumerate(body) if c != CLEAR)
                    raise Violation(f"write {i}: new region of {owner:#x} not cleared "
                                    f"(byte {bad} is {body[bad]:#x})")
            self.log["allocations"] += 1
        changed = self.prev_table is not None and table != self.prev_table
        self.prev, self.prev_table = regs, table
        return changed


def check_states(states, before, log, check_clear=True, guard=None):
    """Check a list of states; returns the regions of the last one."""
    c = StateChecker(before, log, check_clear, guard)
    for img in states:
        c.feed(img)
    return c.prev


def stream(kernel, apps_bin, fram_path, on_state, size=qemu_tool.FRAM_SIZE):
    """One deterministic run; on_state(uart offset, image, uart_text_fn) for
    every image write-back, in order. The UART text is the kernel log
    decoded (tools/klog.py); the offset is that text's length when the
    image was written back, uart_text_fn(offset) its beginning up to there.
    Returns (status or None on a hang, UART text)."""
    shim = build_shim()
    argv = qemu_tool.qemu_argv(kernel, apps_bin, fram_path, icount=True)
    decoder = klog.Decoder.for_kernel(kernel)
    rfd, wfd = os.pipe()
    env = dict(os.environ, LD_PRELOAD=shim, POWERCUT_FD=str(wfd),
               POWERCUT_IMAGE=os.path.abspath(fram_path), POWERCUT_SIZE=str(size))
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, env=env, pass_fds=(wfd,))
        os.close(wfd)
        hung = []

        def kill():
            hung.append(True)
            proc.kill()

        timer = threading.Timer(RUN_TIMEOUT, kill)
        timer.start()
        fed = [0]              # bytes of QEMU's output decoded so far
        text = bytearray()     # their decoded text (one latin-1 character a byte)

        def decode_upto(raw):
            """Decode QEMU's output up to byte `raw` (the shim's count);
            returns the length of the text decoded so far. pread, because
            QEMU writes through the same file offset."""
            while fed[0] < raw:
                chunk = os.pread(out.fileno(), raw - fed[0], fed[0])
                if not chunk:
                    break
                fed[0] += len(chunk)
                text.extend(decoder.feed(chunk))
            return len(text)

        def uart_text(upto):
            return text[:upto].decode("latin-1")

        try:
            with os.fdopen(rfd, "rb") as pipe:
                while True:
                    hdr = pipe.read(HEADER)
                    if len(hdr) < HEADER:
                        break
                    img = pipe.read(size)
                    if len(img) < size:
                        break
                    on_state(decode_upto(int.from_bytes(hdr, "little")), img, uart_text)
        finally:
            # On a violation the run is abandoned: stop QEMU too.
            if proc.poll() is None and not hung:
                proc.kill()
            status = proc.wait()
            timer.cancel()
        decode_upto(os.fstat(out.fileno()).st_size)
        text.extend(decoder.flush())
        uart = text.decode("latin-1")
    return (None if hung else status), uart


def record(apps_bin, fram_path, workdir=None, kernel=None):
    """One run with every state kept: (status, UART text, [(uart offset,
    image)]). For workloads with a few hundred device writes."""
    states = []
    status, uart = stream(kernel or KERNEL, apps_bin, fram_path,
                          lambda u, img, _t: states.append((u, img)))
    return status, uart, states


def boot(apps_bin, fram_path, kernel=None):
    """A plain boot (no recording, still deterministic): (status or None on
    a hang, UART text with the kernel log decoded)."""
    kernel = kernel or KERNEL
    argv = qemu_tool.qemu_argv(kernel, apps_bin, fram_path, icount=True)
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=RUN_TIMEOUT)
        return r.returncode, klog.decode(kernel, r.stdout).decode("latin-1")
    except subprocess.TimeoutExpired:
        return None, ""


def settings_gens(text):
    saved = [int(g) for g in re.findall(r"settings: saved generation (\d+)", text)]
    saving = [int(g) for g in re.findall(r"settings: saving generation (\d+)", text)]
    loaded = re.findall(r"settings: loaded generation (\d+)", text)
    return saved, saving, loaded


def check_boot(status, out, expect_gen, log):
    """Invariants of one boot (which is the recovery from the previous cut)."""
    LAST_OUTPUT[0] = out
    if status is None:
        raise Violation("QEMU hung")
    if "KERNEL FAULT" in out:
        raise Violation("kernel fault")
    if "TORN" in out:
        raise Violation("torn atomic record: " + re.search(r"settings: .*TORN.*", out).group(0))
    if "unreadable header" in out:
        raise Violation("the kernel found a corrupt header")
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


class Reservoir:
    """A uniform sample of k items from a stream of unknown length."""

    def __init__(self, k, rng):
        self.k, self.rng, self.seen, self.items = k, rng, 0, []

    def offer(self, item):
        self.seen += 1
        if len(self.items) < self.k:
            self.items.append(item)
        else:
            j = self.rng.randrange(self.seen)
            if j < self.k:
                self.items[j] = item


def in_save(text):
    """True while a settings record save is under way (reported started,
    not yet reported saved)."""
    return text.count("settings: saving generation") > text.count("settings: saved generation")


class Recorder:
    """Checks each state as it arrives and keeps the candidate cut states:
    (index, uart offset, image) in three reservoirs."""

    def __init__(self, before, log, k, rng, byte_cuts, guard=None):
        self.checker = StateChecker(before, log, guard=guard)
        self.log = log
        self.byte_cuts = byte_cuts
        self.any = Reservoir(k, rng)
        self.save = Reservoir(k, rng)
        self.near = Reservoir(k, rng)
        self.save_end = Reservoir(k, rng)
        self.recent = []      # the last NEAR_COMMIT states, not yet offered to `near`
        self.tail = []        # the last SAVE_TAIL states of the record save under way
        self.after_change = False
        self.n = 0

    def __call__(self, uart_at, img, uart_text):
        item = (self.n, uart_at, img)
        self.n += 1
        changed = self.checker.feed(img)
        self.log["states_checked"] += 1
        self.any.offer(item)
        if in_save(uart_text(uart_at)):
            self.save.offer(item)
            self.tail = (self.tail + [item])[-SAVE_TAIL:]
        elif self.tail:
            # A save just ended: its last states are where the new version
            # lands (the commit bytes), rare among the save's hundreds.
            for old in self.tail:
                self.save_end.offer(old)
            self.tail = []
        if not self.byte_cuts:
            return
        if changed or self.after_change:
            # The header bytes before a table change, the change, the next.
            for old in self.recent:
                self.near.offer(old)
            self.near.offer(item)
            self.recent = []
            self.after_change = changed
        else:
            self.recent.append(item)
            if len(self.recent) > NEAR_COMMIT:
                self.recent.pop(0)

    def choose(self, k, rng):
        """k cut states, in order of the run. Byte cuts: a quarter near table
        changes, a quarter in record saves, a quarter in the last states of
        a save, the rest uniform over the run. 64-byte cuts (a few hundred
        states): half in record saves, the rest uniform. Fewer aimed ones
        where the run had fewer such states."""
        picks = {}
        aimed = [(self.near.items, k // 4), (self.save.items, k // 4),
                 (self.save_end.items, k // 4)] if self.byte_cuts \
            else [(self.save.items, k // 2)]
        for pool, n in aimed:
            for item in rng.sample(pool, min(len(pool), n)):
                picks[item[0]] = item
        pool = [it for it in self.any.items if it[0] not in picks]
        for item in rng.sample(pool, min(len(pool), k - len(picks))):
            picks[item[0]] = item
        return [picks[i] for i in sorted(picks)]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cuts", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cuts-per-run", type=int, default=10,
                    help="cuts taken from each recorded run (each gets its own recovery boot)")
    ap.add_argument("--fresh-every", type=int, default=5,
                    help="start from a fresh chip every N recorded runs, so allocations are "
                         "cut too")
    ap.add_argument("--start", choices=STARTS + ("all",), default="all",
                    help="what a fresh chip holds: zero, erased (0xFF), random (seeded), or "
                         "all three in turn (default)")
    ap.add_argument("--byte-cuts", action="store_true",
                    help="every byte boundary a cut point (the kernel built with "
                         "I2C_FRAM_WRITE_CHUNK=1)")
    ap.add_argument("--kernel", help="kernel ELF to torture (default build/kernel.elf, or "
                    "build/variant/chunk1/kernel.elf with --byte-cuts)")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--keep", help="directory to keep a failing image in")
    ap.add_argument("--kv", action="store_true", help="torture the key-value store instead "
                    "(tools/powercut_kv.py: apps/kv_stress and apps/ot_settings)")
    args = ap.parse_args()
    if args.kv:
        import powercut_kv
        return powercut_kv.run(args.cuts, args.seed, args.cuts_per_run, args.json)

    kernel = os.path.abspath(args.kernel) if args.kernel else (
        BYTE_KERNEL if args.byte_cuts else KERNEL)
    # Recovery boots only need the kernel's scan and the app's reads: a
    # kernel with the normal write chunk does them (twice as fast as the
    # byte-chunk one), with the same storage area.
    recovery_kernel = os.path.abspath(args.kernel) if args.kernel else (
        GUARD_KERNEL if args.byte_cuts else KERNEL)
    if args.byte_cuts and not args.kernel:
        AREA["start"] = AREA["guard"] = BYTE_AREA_GUARD
    for k in {kernel, recovery_kernel}:
        if not os.path.exists(k):
            sys.exit(f"powercut: {k} missing: run `make kernel ktests` (ktests builds the "
                     "variants)")
    size = qemu_tool.FRAM_SIZE
    rng = random.Random(args.seed)
    starts = list(STARTS) if args.start == "all" else [args.start]
    log = {"mode": "byte" if args.byte_cuts else "chunk", "cuts": 0, "runs": 0,
           "states_checked": 0, "allocations": 0, "record_old": 0, "record_new": 0,
           "cuts_near_table_change": 0, "cuts_in_record_save": 0, "fresh_chips": 0}
    for s in starts:
        log[f"cuts_{s}"] = 0
    start = time.monotonic()

    def fresh():
        kind = starts[log["fresh_chips"] % len(starts)]
        log["fresh_chips"] += 1
        img = start_image(kind, size, args.seed * 1000003 + log["fresh_chips"])
        return kind, img

    image = b""
    with tempfile.TemporaryDirectory(prefix="powercut-") as work:
        apps_bin = assemble(work, "apps.bin", WORKLOAD_BYTE if args.byte_cuts else WORKLOAD)
        verify_bin = assemble(work, "verify.bin", VERIFY)
        fram = os.path.join(work, "fram.img")
        cut_img = os.path.join(work, "cut.img")
        kind, image = fresh()
        tables, gen_range = {}, (0, 0)
        try:
            tables = fresh_table(kind, image)
            while log["cuts"] < args.cuts:
                # One recorded run of the workload; its write-backs are the cuts.
                with open(fram, "wb") as f:
                    f.write(image)
                want = min(args.cuts_per_run, args.cuts - log["cuts"])
                guard = outside(image)
                rec = Recorder(tables, log, want, rng, args.byte_cuts, guard)
                status, out = stream(kernel, apps_bin, fram, rec)
                log["runs"] += 1
                check_boot(status, out, gen_range, log)
                if rec.n == 0:
                    raise Violation("the workload wrote nothing")
                loaded = settings_gens(out)[2]
                near = {it[0] for it in rec.near.items}
                save = {it[0] for it in rec.save.items + rec.save_end.items}
                for idx, uart_at, cut in rec.choose(want, rng):
                    saved, saving, _ = settings_gens(out[:uart_at])
                    last = saved[-1] if saved else (int(loaded[0]) if loaded else 0)
                    in_flight = saving[-1] if saving and saving[-1] > last else last
                    gen_range = (last, in_flight)
                    # Recovery boot from the cut image.
                    image = cut
                    with open(cut_img, "wb") as f:
                        f.write(cut)
                    vstatus, vout = boot(verify_bin, cut_img, recovery_kernel)
                    check_boot(vstatus, vout, gen_range, log)
                    with open(cut_img, "rb") as f:
                        after = f.read()
                    try:
                        check_states([after], parse_table(cut), log, check_clear=False,
                                     guard=guard)
                    except Violation as e:
                        raise Violation(f"after the recovery boot from write {idx}: {e}") \
                            from None
                    log["cuts"] += 1
                    log[f"cuts_{kind}"] += 1
                    log["cuts_near_table_change"] += idx in near
                    log["cuts_in_record_save"] += idx in save
                    image = after
                    if log["cuts"] % 50 == 0:
                        print(f"powercut: {log['cuts']} cuts, {log['states_checked']} states, "
                              f"{time.monotonic() - start:.0f} s", flush=True)
                # The next run goes on from the last recovered image.
                gen_range = (settings_gens(vout)[0][-1],) * 2 if settings_gens(vout)[0] \
                    else (gen_range[1],) * 2
                tables = parse_table(image)
                if args.fresh_every and log["runs"] % args.fresh_every == 0:
                    kind, image = fresh()
                    tables, gen_range = fresh_table(kind, image), (0, 0)
        except Violation as e:
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                with open(os.path.join(args.keep, "failing-fram.img"), "wb") as f:
                    f.write(image or b"")
                with open(os.path.join(args.keep, "failing-boot.txt"), "w") as f:
                    f.write(LAST_OUTPUT[0])
            print(f"powercut: VIOLATION after {log['cuts']} cuts (seed {args.seed}, "
                  f"{log['mode']} mode, chip started {kind}): {e}")
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
