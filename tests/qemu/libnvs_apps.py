"""Helpers the libnvstorage QEMU tests share: build the apps, repack an app
ELF with other storage permissions, and lay TBFs into one flash image."""
import os
import subprocess
import sys

from qemu_env import BUILD, ROOT, record_tbf

sys.path.insert(0, os.path.join(ROOT, "tools"))
import tbf_assemble  # noqa: E402

APPS = os.path.join(BUILD, "apps")
PYTHON = "/usr/bin/python3"
LIBNVS_APPS = ("boot_counter", "nvs_demo", "settings", "nvs_noperm", "nvs_stress", "nvs_apitest")


def build_apps(names=LIBNVS_APPS):
    """Build (or bring up to date) the named apps; make is incremental."""
    for name in names:
        subprocess.run(["make", "--no-print-directory", "-s", "-C",
                        os.path.join(ROOT, "apps", name)], check=True,
                       stdout=subprocess.DEVNULL)


def tbf(name):
    with open(os.path.join(APPS, f"{name}.tbf"), "rb") as f:
        return record_tbf(name, f.read())


def repack(tmp_path, elf_name, name, write_id=None, read_ids=(), modify_ids=(),
           stack=2048, heap=4096):
    """The app ELF packed again as `name` with the given storage ids."""
    out = tmp_path / f"{name}.tbf"
    argv = [PYTHON, os.path.join(ROOT, "tools", "tbf_pack.py"),
            os.path.join(APPS, f"{elf_name}.elf"), "-o", str(out), "--name", name,
            "--stack", str(stack), "--heap", str(heap)]
    if write_id is not None:
        argv += ["--write-id", hex(write_id)]
    if read_ids:
        argv += ["--read-ids", ",".join(hex(i) for i in read_ids)]
    if modify_ids:
        argv += ["--modify-ids", ",".join(hex(i) for i in modify_ids)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return out.read_bytes()


def image(tmp_path, images, name="apps.bin"):
    """One flash image holding the TBFs (largest first: no padding needed)."""
    blob, _ = tbf_assemble.assemble(sorted(images, key=len, reverse=True))
    path = tmp_path / name
    path.write_bytes(blob)
    return str(path)
