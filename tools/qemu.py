#!/usr/bin/python3
"""Boot the kernel under QEMU the one way this project does it.

The command line is built in one place, qemu_argv(), and used by `make run`,
`make debug`, `make check-app`, the QEMU tests and the benchmarks alike:

  * the kernel ELF is the machine's firmware (-kernel);
  * an app image (TBFs laid back to back) is loaded at the board's app flash
    address with QEMU's generic loader;
  * the FRAM is QEMU's at24c-eeprom on the board's I2C controller (QEMU's
    bus "i2c": the last SBCon it creates, the one the board's fram.h names),
    backed by a raw image file that QEMU writes back after every write;
    a part past 64 KiB (--fram-size 131072 or 262144, for a kernel built
    with -DBOARD_FRAM_KIB=128 or 256) is one at24c-eeprom per 64 KiB at
    consecutive addresses from 0x50 (address bit 16 and up go into the
    device address on such parts), each backed by its own 64 KiB slice of
    the same image file, so the user still sees one image;
  * semihosting is on, so the kernel can end QEMU with its own status
    (0 when every app exited with code 0).

The kernel writes its log lines as dictionary-encoded records (formats in
the ELF's .log_text, docs/logging.md). Everything here that reads QEMU's
output decodes them with tools/klog.py and the ELF of the command line's
-kernel, so callers see the kernel's text lines; `run` and `debug` decode
on the way to the terminal, whose input still goes straight to QEMU.

The FRAM image is created (all zero, a fresh chip) when absent; its folder
must exist. This file is the one place that knows each board's QEMU machine,
app flash address and FRAM size (BOARDS below; a kernel built for a larger
part than the board's default is booted with --fram-size). The board is
--board, else the environment's NVK_BOARD, else mps2-an385; importing this
module selects NVK_BOARD's (the tests and the benchmarks set it),
select_board() another.

Usage (each mode also takes --board NAME):
  qemu.py run   --kernel K [--apps A] [--fram F] [--no-fram] [--icount]
  qemu.py debug --kernel K [--apps A] [--fram F] [--gdb-port P]
  qemu.py check --kernel K --apps A [--fram F] [--expect REGEX] [--timeout S]
                boot once; pass (exit 0) if QEMU ends with status 0 within
                the timeout and the output matches REGEX; otherwise print
                the UART output and fail. Without --fram, a fresh image.
  qemu.py fram-reset --fram F   (re)write F as a fresh, all-zero chip
Each takes --fram-size BYTES (default: the board's FRAM) for a kernel built with
another part.
"""
import argparse
import io
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import klog  # noqa: E402

# Per board (boards/<board>/): QEMU machine, app flash area (layout.ld),
# FRAM size in bytes (fram.h), QEMU's name of the FRAM's I2C bus.
BOARDS = {
    # Cortex-M3; FRAM MB85RC256V-class on the SBCon at 0x4002A000
    "mps2-an385": {"machine": "mps2-an385", "app_flash": 0x00040000,
                   "app_flash_end": 0x00400000,
                   "fram_size": 32768, "fram_bus": "i2c"},
    # Cortex-M33, all Secure; FRAM MB85RC512-class on the SBCon at 0x5020D000
    "mps2-an505": {"machine": "mps2-an505", "app_flash": 0x10040000,
                   "app_flash_end": 0x10400000,
                   "fram_size": 65536, "fram_bus": "i2c"},
}
DEFAULT_BOARD = "mps2-an385"
FRAM_I2C_ADDR = 0x50
FRAM_PAGE = 65536             # one at24c-eeprom (2-byte address) per 64 KiB
GDB_PORT = 1234               # `make debug GDB_PORT=...` picks another
GDB_HOST = "127.0.0.1"        # the GDB server is never reachable from the network
CHECK_TIMEOUT = 30            # seconds, `make check-app` without TIMEOUT=


def select_board(name):
    """Make `name` the board every function here speaks for."""
    global BOARD, MACHINE, APP_FLASH_ADDR, APP_FLASH_END, FRAM_SIZE, FRAM_BUS
    if name not in BOARDS:
        raise SystemExit(f"qemu.py: unknown board {name!r}; the boards are: "
                         + ", ".join(sorted(BOARDS)))
    b = BOARDS[name]
    BOARD, MACHINE, APP_FLASH_ADDR = name, b["machine"], b["app_flash"]
    APP_FLASH_END = b["app_flash_end"]
    FRAM_SIZE, FRAM_BUS = b["fram_size"], b["fram_bus"]


select_board(os.environ.get("NVK_BOARD") or DEFAULT_BOARD)


def board_build(build):
    """Where the selected board's kernel-side outputs live under the build
    folder (mk/config.mk KBUILD): build/ itself for the default board,
    build/<board>/ for the others."""
    return build if BOARD == DEFAULT_BOARD else os.path.join(build, BOARD)


def write_fresh_image(path, size=None):
    size = FRAM_SIZE if size is None else size
    with open(path, "wb") as f:
        f.write(bytes(size))


def check_image_path(path):
    """Refuse, naming the image, a folder in its place or a missing folder."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise SystemExit(f"qemu.py: FRAM image {path} is a folder; name a file in it")
    if not os.path.isdir(folder):
        raise SystemExit(f"qemu.py: FRAM image {path}: folder {folder} does not exist")


def ensure_fram_image(path, size=None):
    """Create a zero-filled image (a fresh chip) if absent; keep it otherwise.
    Refuses, with a message naming the image, what check_image_path() does
    and an image of the wrong size."""
    size = FRAM_SIZE if size is None else size
    check_image_path(path)
    if not os.path.exists(path):
        write_fresh_image(path, size)
        print(f"FRAM   {path} (new, {size} zero bytes: a fresh chip)", flush=True)
    actual = os.path.getsize(path)
    if actual != size:
        wipe = (f"`make fram-reset FRAM={path}`" if size == FRAM_SIZE else
                f"`tools/qemu.py fram-reset --fram {path} --fram-size {size}`")
        raise SystemExit(f"qemu.py: FRAM image {path} is {actual} bytes, the board's FRAM is "
                         f"{size}: wipe it with {wipe} or use another FRAM= image")


def fram_sizes():
    """The FRAM sizes a board may be built with: its own, or whole 64 KiB
    pages (one device each) up to 256 KiB."""
    return tuple(sorted({FRAM_SIZE, FRAM_PAGE, 2 * FRAM_PAGE, 4 * FRAM_PAGE}))


def fram_devices(fram, size=None):
    """QEMU arguments for an FRAM of `size` bytes backed by the image `fram`:
    one at24c-eeprom up to 64 KiB; past that one per 64 KiB page at
    consecutive bus addresses, each over its own slice of the image (QEMU
    writes a device's whole slice back at each STOP that ends a write)."""
    size = FRAM_SIZE if size is None else size
    if size <= FRAM_PAGE:
        return ["-device", f"at24c-eeprom,bus={FRAM_BUS},address={FRAM_I2C_ADDR:#x},"
                           f"rom-size={size},drive=fram0",
                "-drive", f"if=none,id=fram0,file={fram},format=raw"]
    if size % FRAM_PAGE:
        raise SystemExit(f"qemu.py: an FRAM past 64 KiB is whole 64 KiB pages, not {size} bytes")
    argv = []
    for page in range(size // FRAM_PAGE):
        argv += ["-device", f"at24c-eeprom,bus={FRAM_BUS},address={FRAM_I2C_ADDR + page:#x},"
                            f"rom-size={FRAM_PAGE},drive=fram{page}",
                 "-drive", f"if=none,id=fram{page},file={fram},format=raw,"
                           f"offset={page * FRAM_PAGE},size={FRAM_PAGE}"]
    return argv


def qemu_argv(kernel, apps=None, fram=None, icount=False, gdb=False, extra=(),
              gdb_port=GDB_PORT, fram_size=None):
    # -nographic puts UART0 on stdio, multiplexed with the monitor (Ctrl-A).
    argv = ["qemu-system-arm", "-M", MACHINE, "-nographic",
            "-semihosting-config", "enable=on,target=native",
            "-kernel", kernel]
    if apps:
        argv += ["-device", f"loader,file={apps},addr={APP_FLASH_ADDR:#x},force-raw=on"]
    if fram:
        argv += fram_devices(fram, fram_size)
    if icount:
        argv += ["-icount", "shift=0"]
    if gdb:
        argv += ["-S", "-gdb", f"tcp:{GDB_HOST}:{gdb_port}"]
    return argv + list(extra)


def kernel_of(argv):
    """The kernel ELF a QEMU command line boots (its -kernel), or None."""
    try:
        return argv[list(argv).index("-kernel") + 1]
    except (ValueError, IndexError):
        return None


def log_decoder(argv):
    """A klog.Decoder for the output of QEMU run with argv: the kernel's
    log records expanded with its ELF's dictionary (passes everything
    through for a kernel without one)."""
    return klog.Decoder.for_kernel(kernel_of(argv))


def boot_captured(argv, timeout, input=None):
    """Run QEMU to its end or the timeout (then kill it). Returns
    (output text, kernel log decoded; exit status; timed out?; seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    timed_out = False
    try:
        out, _ = proc.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        timed_out = True
    decoder = log_decoder(argv)
    out = decoder.feed(out) + decoder.flush()
    return out.decode("utf-8", "replace"), proc.returncode, timed_out, time.monotonic() - start


def boot_until(argv, pattern, wanted=1, timeout=None):
    """Run QEMU until its output (kernel log decoded) has `wanted` lines
    matching pattern (a compiled regex, matched against each stripped line),
    then stop it: for runs whose other processes never end. Returns (the
    match objects, the output up to the last one); fewer matches if QEMU
    ended or the timeout (seconds) passed first."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    # Decoded text lines as they come, read as text mode Popen would.
    lines_in = io.TextIOWrapper(io.BufferedReader(klog.Reader(proc.stdout, log_decoder(argv))),
                                encoding="utf-8", errors="replace")
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    if timer:
        timer.start()
    found, lines = [], []
    try:
        for line in lines_in:
            lines.append(line)
            m = pattern.match(line.strip())
            if m:
                found.append(m)
                if len(found) == wanted:
                    break
        return found, "".join(lines)
    finally:
        if timer:
            timer.cancel()
        proc.kill()
        proc.wait()
        proc.stdout.close()


def write_all(fd, data):
    """Write all of data to fd. QEMU makes its stdin non-blocking; when our
    stdout is the same terminal it is non-blocking too, so wait while full."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            select.select([], [fd], [])


def run_interactive(argv):
    """`run` and `debug`: QEMU in the foreground, its stdin the user's
    terminal (typing reaches the console, Ctrl-A X quits), its output
    decoded on the way to ours as it comes. Returns QEMU's exit status."""
    decoder = log_decoder(argv)
    sys.stdout.flush()
    if decoder.dictionary is None:
        os.execvp(argv[0], argv)      # nothing to decode: QEMU itself
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE)
    # A signal sent to us (kill, a closed terminal) is passed on to QEMU: it
    # ends, we print what it said last and return its status. (Ctrl-C is no
    # signal here: with -nographic it is a byte for the console.)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: proc.send_signal(signum))
    out = sys.stdout.fileno()
    try:
        while True:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            write_all(out, decoder.feed(chunk))
        write_all(out, decoder.flush())
    except OSError:
        proc.kill()                   # nobody reads us any more (`make run | head`)
    status = proc.wait()
    return status if status >= 0 else 128 - status


def check(kernel, apps, fram, expect, timeout, fram_size=None):
    """`make check-app`: one boot, judged. Returns the process exit status."""
    fram_size = FRAM_SIZE if fram_size is None else fram_size
    with tempfile.TemporaryDirectory(prefix="check-app-") as tmp:
        if fram is None:
            fram = os.path.join(tmp, "fram.img")   # a fresh chip for this boot only
            write_fresh_image(fram, fram_size)
        ensure_fram_image(fram, fram_size)
        out, status, timed_out, seconds = boot_captured(
            qemu_argv(kernel, apps, fram, fram_size=fram_size), timeout)
    problems = []
    if timed_out:
        problems.append(f"no end within {timeout:g} s (an app still running?)")
    elif status != 0:
        problems.append(f"QEMU ended with status {status}: an app exited with a nonzero "
                        "code or faulted")
    if expect is not None and not re.search(expect, out, re.MULTILINE):
        problems.append(f"output does not match EXPECT={expect!r}")
    if not problems:
        print(f"check-app: PASS ({seconds:.1f} s" + (", output matches" if expect else "") + ")")
        return 0
    print("check-app: UART output:")
    print("    " + out.rstrip().replace("\n", "\n    "))
    for p in problems:
        print(f"check-app: FAIL: {p}")
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["run", "debug", "check", "fram-reset"])
    ap.add_argument("--board", default=None, help="a key of BOARDS (default: $NVK_BOARD, "
                    f"else {DEFAULT_BOARD})")
    ap.add_argument("--kernel")
    ap.add_argument("--apps")
    ap.add_argument("--fram")
    ap.add_argument("--no-fram", action="store_true", help="leave the FRAM chip off the bus")
    ap.add_argument("--icount", action="store_true", help="deterministic: 1 ns per instruction")
    ap.add_argument("--gdb-port", type=int, default=GDB_PORT)
    ap.add_argument("--expect", help="check: a regular expression the output must match")
    ap.add_argument("--timeout", type=float, default=CHECK_TIMEOUT, help="check: seconds")
    ap.add_argument("--fram-size", type=int, default=None,
                    help="bytes of the board's FRAM part (default: the board's; the kernel "
                         "must be built for it)")
    args = ap.parse_args()
    if args.board:
        select_board(args.board)
    size = FRAM_SIZE if args.fram_size is None else args.fram_size
    if size not in fram_sizes():
        ap.error(f"--fram-size {size}: this board's FRAM may be "
                 + ", ".join(str(s) for s in fram_sizes()) + " bytes")

    if args.mode == "fram-reset":
        if not args.fram:
            ap.error("fram-reset needs --fram")
        check_image_path(args.fram)
        existed = os.path.exists(args.fram)
        write_fresh_image(args.fram, size)
        print(f"FRAM   {args.fram} {'wiped' if existed else 'new'}: {size} zero bytes "
              "(a fresh chip)")
        return 0
    if not args.kernel:
        ap.error(f"{args.mode} needs --kernel")
    if shutil.which("qemu-system-arm") is None:
        sys.exit("qemu.py: qemu-system-arm not found; run `make setup`")
    fram = None if args.no_fram else args.fram
    if args.mode == "check":
        return check(args.kernel, args.apps, fram, args.expect, args.timeout, size)
    if fram:
        ensure_fram_image(fram, size)
    argv = qemu_argv(args.kernel, args.apps, fram, icount=args.icount,
                     gdb=args.mode == "debug", gdb_port=args.gdb_port, fram_size=size)
    if args.mode == "debug":
        print(f"QEMU is halted at reset, its GDB server on {GDB_HOST}:{args.gdb_port} "
              "(this machine only). In another terminal:")
        print(f"    gdb-multiarch {args.kernel} -ex 'target remote {GDB_HOST}:{args.gdb_port}'")
        print("Quit QEMU with Ctrl-A then X.")
    else:
        print("Booting under QEMU. Quit with Ctrl-A then X.", flush=True)
    return run_interactive(argv)


if __name__ == "__main__":
    sys.exit(main())
