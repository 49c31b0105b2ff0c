"""Shared pytest fixtures for the QEMU tests.

`qemu` runs one boot: the kernel (or a ktest build), optionally an app image
and an FRAM image, with a hard timeout. It returns what the UART printed and
QEMU's exit status. When a test fails, the UART output of every boot it made
is attached to the report, so a failure in CI shows what the kernel said.
"""
import json
import os

import pytest

from qemu_env import BOARD, BOOTED_TBFS, DEFAULT_TIMEOUT, KERNEL, Boot, qemu_tool


@pytest.fixture
def qemu(request, tmp_path):
    boots = []

    def run(kernel=KERNEL, apps=None, fram=None, timeout=DEFAULT_TIMEOUT, icount=False,
            extra=(), fram_size=qemu_tool.FRAM_SIZE, input=None):
        """Boot once. fram: path to an image (created zero-filled if absent),
        or None to leave the FRAM off the bus. input: bytes typed on the
        console (UART0) from the start."""
        if fram is not None:
            qemu_tool.ensure_fram_image(fram, fram_size)
        argv = qemu_tool.qemu_argv(kernel, apps, fram, icount=icount, extra=extra,
                                   fram_size=fram_size)
        out, status, timed_out, seconds = qemu_tool.boot_captured(argv, timeout, input)
        boot = Boot(argv, out, status, timed_out, seconds)
        boots.append(boot)
        return boot

    run.tmp_path = tmp_path
    run.boots = boots
    yield run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed test, attach the UART output of each of its boots to the
    report, so pytest prints it with the failure."""
    outcome = yield
    rep = outcome.get_result()
    run = getattr(item, "funcargs", {}).get("qemu")
    if rep.when == "call" and rep.failed and run is not None:
        for i, b in enumerate(run.boots):
            rep.sections.append((
                f"boot {i}: status {b.status}, timed out {b.timed_out}, {b.seconds:.1f} s",
                " ".join(b.argv) + "\n--- UART output ---\n" + b.output))


def pytest_sessionfinish(session, exitstatus):
    """Write which app images this board's session booted (name -> sha256)
    where tests/runner.py asked (NVK_TBF_HASHES), for its cross-board check."""
    path = os.environ.get("NVK_TBF_HASHES")
    if path:
        with open(path, "w") as f:
            json.dump({"board": BOARD, "tbfs": BOOTED_TBFS}, f, indent=1, sort_keys=True)
