"""The kernel log's compile-time contract (kernel/log.h, docs/logging.md):
a record carries no format, so what the kernel cannot send must not
compile. Each case is a one-line kernel file compiled for the Cortex-M3
with the kernel's warnings; the first compiles, to show the others fail
for the reason named, not for a broken harness."""
import os
import shutil
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CC = "arm-none-eabi-gcc"
FLAGS = ["-mcpu=cortex-m3", "-mthumb", "-std=gnu11", "-Os", "-Wall", "-Wextra", "-Werror",
         "-ffreestanding", "-I", ROOT, "-c", "-o", os.devnull]

pytestmark = pytest.mark.skipif(shutil.which(CC) is None, reason="needs the cross toolchain")


def compile_line(tmp_path, statement):
    src = tmp_path / "case.c"
    src.write_text('#include "kernel/log.h"\n'
                   "void f(const char *name, unsigned n);\n"
                   f"void f(const char *name, unsigned n) {{ (void)name; (void)n; {statement} }}\n")
    return subprocess.run([CC, *FLAGS, str(src)], capture_output=True, text=True)


def test_seven_arguments_of_both_kinds_compile(tmp_path):
    r = compile_line(tmp_path, 'log_info("%s %u %s %u %s %u %c", name, n, "x", 1u, name, n, 65);')
    assert r.returncode == 0, r.stderr


def test_an_eighth_argument_does_not_compile(tmp_path):
    r = compile_line(tmp_path, 'log_info("%u %u %u %u %u %u %u %u", n, n, n, n, n, n, n, n);')
    assert r.returncode != 0 and "log_too_many_arguments" in r.stderr


def test_an_argument_that_does_not_match_the_format_does_not_compile(tmp_path):
    r = compile_line(tmp_path, 'log_warn("%u apps", name);')
    assert r.returncode != 0 and "format" in r.stderr


def test_a_format_that_is_not_a_literal_does_not_compile(tmp_path):
    r = compile_line(tmp_path, "log_error(name);")
    assert r.returncode != 0
