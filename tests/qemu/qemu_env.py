"""What the QEMU tests share: paths, one boot's result, app images.

Imported by name (`from qemu_env import KERNEL, app_image`) from the tests;
the pytest fixtures that use it are in conftest.py beside it.
"""
import hashlib
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import qemu as qemu_tool  # noqa: E402

BUILD = os.path.join(ROOT, "build")
# The board under test: NVK_BOARD (tests/runner.py sets it per run), else
# mps2-an385. Kernel-side builds are per board (mk/config.mk: KBUILD); apps
# are one build for every board.
BOARD = qemu_tool.BOARD
KBUILD = qemu_tool.board_build(BUILD)
KERNEL = os.path.join(KBUILD, "kernel.elf")
# The board's CPU architecture, for the few expectations that differ by MPU.
ARCH = {"mps2-an385": "armv7m", "mps2-an505": "armv8m"}[BOARD]
# `make ... BOARD=<board>` for the tests that drive make.
MAKE_BOARD = f"BOARD={BOARD}"
DEFAULT_TIMEOUT = 30  # seconds of wall time for one boot


class Boot:
    def __init__(self, argv, output, status, timed_out, seconds):
        self.argv = argv
        self.output = output
        self.status = status
        self.timed_out = timed_out
        self.seconds = seconds

    def __repr__(self):
        return f"<Boot status={self.status} timed_out={self.timed_out}>"


def ktest(name):
    """Path of a test-only kernel build (tests/ktest/<name>.c)."""
    return os.path.join(KBUILD, "ktest", f"{name}.elf")


# The built app images this session booted: {name: sha256 of
# build/apps/<name>.tbf}. conftest.py writes them at the end of the session
# to $NVK_TBF_HASHES (tests/runner.py sets it per board) and the runner
# checks that every app booted on several boards was the same file on each.
BOOTED_TBFS = {}


def record_tbf(name, data):
    BOOTED_TBFS[name] = hashlib.sha256(data).hexdigest()
    return data


def app_tbf(name):
    """Path of a built app image (apps/<name>/ -> build/apps/<name>.tbf)."""
    path = os.path.join(BUILD, "apps", f"{name}.tbf")
    assert os.path.exists(path), f"{path} missing: run `make apps`"
    with open(path, "rb") as f:
        record_tbf(name, f.read())
    return path


def app_image(out_path, *apps):
    """Lay app images back to back for QEMU's loader. Each entry is an app
    name (built by `make apps`) or raw TBF bytes (e.g. a corrupted image)."""
    paths = []
    for i, app in enumerate(apps):
        if isinstance(app, (bytes, bytearray)):
            p = f"{out_path}.{i}.tbf"
            with open(p, "wb") as f:
                f.write(app)
            paths.append(p)
        else:
            paths.append(app_tbf(app))
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "tbf_assemble.py"),
                    "-o", str(out_path)] + paths, check=True, capture_output=True)
    return str(out_path)
