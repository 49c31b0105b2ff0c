#!/usr/bin/python3
"""Boot the kernel under QEMU (mps2-an385) the one way this project does it.

The command line is built in one place, qemu_argv(), and used by `make run`,
`make debug`, the QEMU tests and the benchmarks alike:

  * the kernel ELF is the machine's firmware (-kernel);
  * an app image (TBFs laid back to back) is loaded at the board's app flash
    address with QEMU's generic loader;
  * the FRAM is QEMU's at24c-eeprom on the I2C controller at 0x4002A000,
    backed by a raw image file that QEMU writes back after every write;
  * semihosting is on, so the kernel can end QEMU with its own status.

Usage:
  qemu.py run   --kernel K [--apps A] [--fram F] [--no-fram] [--icount]
  qemu.py debug --kernel K [--apps A] [--fram F]
"""
import argparse
import os
import shutil
import subprocess
import sys

MACHINE = "mps2-an385"
APP_FLASH_ADDR = 0x00040000   # boards/mps2-an385/layout.ld: APP_FLASH origin
FRAM_SIZE = 32768             # the board's FRAM (MB85RC256V-class, 32 KiB)
FRAM_I2C_ADDR = 0x50
FRAM_BUS = "i2c"              # QEMU's name for the SBCon bus at 0x4002A000
GDB_PORT = 1234


def ensure_fram_image(path, size=FRAM_SIZE):
    """Create a zero-filled image (a fresh chip) if absent; keep it otherwise."""
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(bytes(size))
    actual = os.path.getsize(path)
    if actual != size:
        raise SystemExit(f"qemu.py: {path} is {actual} bytes, the FRAM is {size}: "
                         "use `make fram-reset` or another FRAM= image")


def qemu_argv(kernel, apps=None, fram=None, icount=False, gdb=False, extra=()):
    # -nographic puts UART0 on stdio, multiplexed with the monitor (Ctrl-A).
    argv = ["qemu-system-arm", "-M", MACHINE, "-nographic",
            "-semihosting-config", "enable=on,target=native",
            "-kernel", kernel]
    if apps:
        argv += ["-device", f"loader,file={apps},addr={APP_FLASH_ADDR:#x},force-raw=on"]
    if fram:
        argv += ["-device", f"at24c-eeprom,bus={FRAM_BUS},address={FRAM_I2C_ADDR:#x},"
                            f"rom-size={FRAM_SIZE},drive=fram0",
                 "-drive", f"if=none,id=fram0,file={fram},format=raw"]
    if icount:
        argv += ["-icount", "shift=0"]
    if gdb:
        argv += ["-S", "-gdb", f"tcp::{GDB_PORT}"]
    return argv + list(extra)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["run", "debug"])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--apps")
    ap.add_argument("--fram")
    ap.add_argument("--no-fram", action="store_true", help="leave the FRAM chip off the bus")
    ap.add_argument("--icount", action="store_true", help="deterministic: 1 ns per instruction")
    args = ap.parse_args()

    if shutil.which("qemu-system-arm") is None:
        sys.exit("qemu.py: qemu-system-arm not found; run `make setup`")
    fram = None if args.no_fram else args.fram
    if fram:
        ensure_fram_image(fram)
    argv = qemu_argv(args.kernel, args.apps, fram, icount=args.icount,
                     gdb=args.mode == "debug")
    if args.mode == "debug":
        print("QEMU is halted at reset, waiting for gdb. In another terminal:")
        print(f"    gdb-multiarch {args.kernel} -ex 'target remote :{GDB_PORT}'")
        print("Quit QEMU with Ctrl-A then X.")
    else:
        print("Booting under QEMU. Quit with Ctrl-A then X.", flush=True)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
