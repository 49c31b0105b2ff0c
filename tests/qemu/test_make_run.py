"""The make commands a new user types, run for real: `make run` with FRAM=
images and APPS= mixes of app folders, TBF and TAB files, `make fram-reset`,
`make check-app`, and the errors for bad input (named clearly, before
anything is built or booted).

Runs `make` in this checkout with the run image, check image and FRAM images
in tmp_path, so the tree's build outputs are reused, not replaced (the apps
written here under tmp_path build into build/apps/ like any app would).
"""
import os
import shutil
import subprocess
import sys
import tarfile

import pytest

from qemu_env import BOARD, BUILD, ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import tablib  # noqa: E402
from qemu import DEFAULT_BOARD, FRAM_SIZE  # noqa: E402

HELLO_ELF = os.path.join(BUILD, "apps", "hello.elf")
PACK = os.path.join(ROOT, "tools", "tbf_pack.py")
BOOTED = "Booting under QEMU"
MAKE_TIMEOUT = 300  # seconds; a cold app build on a loaded machine


def make(*args, cwd=ROOT):
    """Run make as a user would: without the variables of an outer make
    (`make test` runs us), so nothing is inherited by accident. On a board
    other than the default, as its user would: with BOARD=."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    board = [] if BOARD == DEFAULT_BOARD else [f"BOARD={BOARD}"]
    proc = subprocess.run(["make", "--no-print-directory", *board, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=MAKE_TIMEOUT,
                          stdin=subprocess.DEVNULL)
    proc.out = proc.stdout + proc.stderr
    return proc


def run(tmp_path, *args):
    return make("run", f"RUN_IMAGE={tmp_path}/run.bin", *args)


def pack(tmp_path, name, *outputs):
    """Our hello app packed under another name, as .tbf and/or .tab files."""
    paths = [str(tmp_path / f"{name}{ext}") for ext in outputs]
    subprocess.run([sys.executable, PACK, HELLO_ELF, "-n", name,
                    *[a for p in paths for a in ("-o", p)]], check=True)
    return paths


# ---- FRAM= images -----------------------------------------------------------

def test_absent_image_at_any_path_is_created_and_used(tmp_path):
    img = tmp_path / "images" / "x.img"
    img.parent.mkdir()
    proc = run(tmp_path, "APPS=hello", f"FRAM={img}")
    assert proc.returncode == 0, proc.out
    assert f"FRAM   {img} (new, {FRAM_SIZE} zero bytes" in proc.out
    assert img.stat().st_size == FRAM_SIZE
    assert "'hello': exited with code 0" in proc.out


def test_missing_folder_is_named_before_anything_is_built(tmp_path):
    proc = run(tmp_path, "APPS=hello", f"FRAM={tmp_path}/no/such/dir/x.img")
    assert proc.returncode != 0
    assert f"FRAM={tmp_path}/no/such/dir/x.img: folder {tmp_path}/no/such/dir/ does not " \
           "exist" in proc.out
    assert "IMAGE" not in proc.out and BOOTED not in proc.out
    assert not (tmp_path / "run.bin").exists()


def test_folder_given_as_image_is_refused(tmp_path):
    proc = run(tmp_path, "APPS=hello", f"FRAM={tmp_path}")
    assert proc.returncode != 0
    assert f"FRAM={tmp_path} is a folder" in proc.out
    assert BOOTED not in proc.out


def test_wrong_size_image_hint_names_that_image(tmp_path):
    img = tmp_path / "small.img"
    img.write_bytes(bytes(100))
    proc = run(tmp_path, "APPS=hello", f"FRAM={img}")
    assert proc.returncode != 0
    assert f"FRAM image {img} is 100 bytes" in proc.out
    assert f"`make fram-reset FRAM={img}`" in proc.out
    assert BOOTED not in proc.out
    assert img.read_bytes() == bytes(100), "a refused image must not be touched"


def test_fram_reset_wipes_the_named_image_only(tmp_path):
    build = tmp_path / "build"
    # The board's default image: build/fram.img, or build/<board>/fram.img.
    kbuild = build if BOARD == DEFAULT_BOARD else build / BOARD
    kbuild.mkdir(parents=True)
    default = kbuild / "fram.img"
    other = tmp_path / "other.img"
    pattern = bytes(i & 0xFF for i in range(FRAM_SIZE))
    default.write_bytes(pattern)
    other.write_bytes(pattern)
    proc = make("fram-reset", f"BUILD={build}", f"FRAM={other}")
    assert proc.returncode == 0, proc.out
    assert f"FRAM   {other} wiped" in proc.out
    assert other.read_bytes() == bytes(FRAM_SIZE)
    assert default.read_bytes() == pattern, "the default image must keep its data"
    proc = make("fram-reset", f"BUILD={build}")
    assert proc.returncode == 0, proc.out
    assert default.read_bytes() == bytes(FRAM_SIZE)


def test_fram_reset_creates_an_absent_image_and_refuses_a_missing_folder(tmp_path):
    img = tmp_path / "new.img"
    assert make("fram-reset", f"FRAM={img}").returncode == 0
    assert img.read_bytes() == bytes(FRAM_SIZE)
    proc = make("fram-reset", f"FRAM={tmp_path}/nope/new.img")
    assert proc.returncode != 0 and "does not exist" in proc.out


# ---- APPS= -----------------------------------------------------------------

def test_tab_tbf_and_folder_mix_in_one_run(tmp_path):
    tab, = pack(tmp_path, "from_tab", ".tab")
    tbf, = pack(tmp_path, "from_tbf", ".tbf")
    proc = run(tmp_path, f"APPS={tab} {tbf} apps/hello", f"FRAM={tmp_path}/f.img")
    assert proc.returncode == 0, proc.out
    # In the order given, each once, and each ran to its end.
    loaded = [line.split("'")[1] for line in proc.out.splitlines()
              if line.startswith("[kernel] INFO  app '")]
    assert loaded == ["from_tab", "from_tbf", "hello"]
    for name in loaded:
        assert f"'{name}': exited with code 0" in proc.out
    assert "3 apps loaded" in proc.out


def bad_tab_no_arch(tmp_path):
    path = str(tmp_path / "other_arch.tab")
    tbf = open(pack(tmp_path, "m4", ".tbf")[0], "rb").read()
    tablib.write_tab(path, {"cortex-m4": tbf, "rv32imac": tbf}, "m4")
    return path, "no TBF for this board's architecture cortex-m3; architectures in it: " \
                 "cortex-m4, rv32imac"


def bad_tab_cut_in_a_member(tmp_path):
    tab, = pack(tmp_path, "cut", ".tab")
    data = open(tab, "rb").read()
    with open(tab, "wb") as f:                 # cut in the middle of the TBF
        f.write(data[:3000])
    return tab, "not a readable TAB (a tar archive): unexpected end of data"


def bad_tab_cut_between_members(tmp_path):
    tab, = pack(tmp_path, "cut2", ".tab")
    data = open(tab, "rb").read()
    with open(tab, "wb") as f:                 # metadata.toml whole, the TBF's header cut
        f.write(data[:1500])
    return tab, "not a readable TAB (a tar archive): cut short after 1024 bytes"


def bad_tab_garbage(tmp_path):
    path = tmp_path / "garbage.tab"
    path.write_bytes(bytes(range(256)) * 8)
    return str(path), "not a readable TAB (a tar archive)"


def bad_tab_checksum(tmp_path):
    tbf = bytearray(open(pack(tmp_path, "sum", ".tbf")[0], "rb").read())
    tbf[12] ^= 0x01                            # the header checksum word
    path = str(tmp_path / "sum.tab")
    tablib.write_tab(path, {"cortex-m3": bytes(tbf)}, "sum")
    return path, "cortex-m3.tbf is not a valid TBF: CHECKSUM"


def bad_tab_not_a_tab(tmp_path):
    path = str(tmp_path / "plain.tab")
    with tarfile.open(path, "w") as tar:
        tar.add(pack(tmp_path, "plain", ".tbf")[0], arcname="cortex-m3.tbf")
    return path, "no metadata.toml: not a TAB"


@pytest.mark.parametrize("bad", [bad_tab_no_arch, bad_tab_cut_in_a_member,
                                 bad_tab_cut_between_members, bad_tab_garbage,
                                 bad_tab_checksum, bad_tab_not_a_tab])
def test_bad_tab_is_named_and_nothing_runs(tmp_path, bad):
    path, reason = bad(tmp_path)
    proc = run(tmp_path, f"APPS=hello {path}", f"FRAM={tmp_path}/f.img")
    assert proc.returncode != 0
    assert f"tbf_assemble: error: {path}: {reason}" in proc.out, proc.out
    assert BOOTED not in proc.out
    assert not (tmp_path / "run.bin").exists()


def test_tbf_failing_its_checksum_is_refused_and_nothing_runs(tmp_path):
    tbf, = pack(tmp_path, "bad", ".tbf")
    data = bytearray(open(tbf, "rb").read())
    data[12] ^= 0x01
    open(tbf, "wb").write(data)
    proc = run(tmp_path, f"APPS=hello {tbf}", f"FRAM={tmp_path}/f.img")
    assert proc.returncode != 0
    assert f"{tbf}: malformed TBF: CHECKSUM" in proc.out
    assert BOOTED not in proc.out


@pytest.mark.parametrize("word, message", [
    ("nosuch", "APPS: 'nosuch' is not an app folder (no nosuch/Makefile or "
               "apps/nosuch/Makefile), a .tbf file or a .tab file"),
    ("missing.tab", "APPS: missing.tab: no such file"),
    ("missing.tbf", "APPS: missing.tbf: no such file"),
])
def test_unknown_apps_word_is_named_before_building(tmp_path, word, message):
    proc = run(tmp_path, f"APPS=hello {word}")
    assert proc.returncode != 0
    assert message in proc.out
    assert "IMAGE" not in proc.out and BOOTED not in proc.out


def app_folder(tmp_path, name, makefile_extra="", source="int main(void) { return 0; }\n"):
    """An app outside the tree, as a user would start one."""
    d = tmp_path / name
    d.mkdir()
    (d / "main.c").write_text(source)
    (d / "Makefile").write_text(f"NAME := {name}\n{makefile_extra}"
                                f"include {ROOT}/userland/app.mk\n")
    return d


def test_unknown_library_is_refused_by_name(tmp_path):
    app = app_folder(tmp_path, "typo_lib", "LIBS := libnvstorge\n")
    proc = run(tmp_path, f"APPS={app}")
    assert proc.returncode != 0
    assert f"app {app}: LIBS names 'libnvstorge', which is not a library of this " \
           "repository (libraries: libnvstorage)" in proc.out
    assert f"error: app {app} failed to build" in proc.out
    assert "CC " not in proc.out, "nothing may be compiled for a bad LIBS"
    assert BOOTED not in proc.out


def test_compile_error_names_the_app(tmp_path):
    app = app_folder(tmp_path, "broken_c", source="int main(void) { return nope; }\n")
    proc = run(tmp_path, f"APPS=hello {app}")
    assert proc.returncode != 0
    assert f"CC     {app}/main.c" in proc.out
    assert "main.c:1:" in proc.out                   # the compiler's message
    assert f"error: app {app} failed to build" in proc.out
    assert BOOTED not in proc.out


# ---- one broken app does not block a run of others --------------------------

@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory):
    """A copy of this checkout (its sources only, like a fresh clone) with a
    broken app added under apps/. Builds its own kernel (the PIC newlib comes
    from the per-user cache)."""
    dest = tmp_path_factory.mktemp("clone") / "tree"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        if os.path.isfile(os.path.join(ROOT, f)):
            os.makedirs(dest / os.path.dirname(f), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, f), dest / f)
    broken = dest / "apps" / "zz_broken"
    broken.mkdir()
    (broken / "Makefile").write_text("SRCS := main.c\ninclude ../../userland/app.mk\n")
    (broken / "main.c").write_text("this is not C\n")
    return dest


def test_broken_app_in_the_tree_does_not_block_running_others(tree_copy):
    proc = make("run", "APPS=hello", cwd=tree_copy)
    assert proc.returncode == 0, proc.out
    assert "zz_broken" not in proc.out, "an app the run does not need must not be built"
    assert "'hello': exited with code 0" in proc.out


def test_make_apps_builds_the_others_and_names_the_broken_one(tree_copy):
    # APP_DIRS narrowed to two (the broken one first) to keep this quick;
    # `make apps` walks every apps/*/ folder the same way.
    proc = make("apps", "APP_DIRS=apps/zz_broken apps/ticker", cwd=tree_copy)
    assert proc.returncode != 0
    assert "error: app apps/zz_broken failed to build" in proc.out
    assert "error: apps that failed to build: apps/zz_broken" in proc.out
    assert (tree_copy / "build" / "apps" / "ticker.tbf").exists(), \
        "an app after the broken one must still be built"


# ---- make check-app ----------------------------------------------------------

def check_app(tmp_path, *args):
    return make("check-app", f"CHECK_IMAGE={tmp_path}/check.bin", *args)


def test_check_app_passes_on_exit_0_and_matching_output(tmp_path):
    proc = check_app(tmp_path, "APP=apps/hello", "EXPECT=^Hello from hello$")
    assert proc.returncode == 0, proc.out
    assert "check-app: PASS" in proc.out
    assert "Hello from hello" not in proc.out, "a pass prints no UART output"


def test_check_app_fails_on_output_mismatch_and_prints_the_uart(tmp_path):
    proc = check_app(tmp_path, "APP=hello", "EXPECT=it's not 'there'")
    assert proc.returncode != 0
    assert "Hello from hello" in proc.out
    assert "check-app: FAIL: output does not match EXPECT=\"it's not 'there'\"" in proc.out


def test_check_app_fails_when_the_app_faults(tmp_path):
    proc = check_app(tmp_path, "APP=apps/crasher")
    assert proc.returncode != 0
    assert "check-app: FAIL: QEMU ended with status 1" in proc.out
    assert "crasher: reading kernel RAM" in proc.out


def test_check_app_fails_on_timeout(tmp_path):
    proc = check_app(tmp_path, "APP=apps/echo", "TIMEOUT=3")  # waits for console input
    assert proc.returncode != 0
    assert "check-app: FAIL: no end within 3 s" in proc.out


def test_check_app_fresh_image_unless_one_is_given(tmp_path):
    img = tmp_path / "counter.img"
    for _ in range(2):   # without FRAM=: a fresh chip each time
        proc = check_app(tmp_path, "APP=boot_counter", "EXPECT=booted 1 time$")
        assert proc.returncode == 0, proc.out
    for n in (1, 2):     # with FRAM=: the count persists
        proc = check_app(tmp_path, "APP=boot_counter", f"FRAM={img}",
                         f"EXPECT=booted {n} time")
        assert proc.returncode == 0, proc.out


def test_check_app_takes_a_tab(tmp_path):
    tab, = pack(tmp_path, "tabbed", ".tab")
    proc = check_app(tmp_path, f"APP={tab}", "EXPECT=Hello from")
    assert proc.returncode == 0, proc.out


def test_check_app_without_app_prints_usage(tmp_path):
    proc = check_app(tmp_path)
    assert proc.returncode != 0
    assert "usage: make check-app APP=" in proc.out


# ---- make debug --------------------------------------------------------------

def test_debug_passes_the_chosen_port(tmp_path):
    # tests/py/test_qemu_tool.py checks the server binds 127.0.0.1 only.
    proc = make("-n", "debug", "GDB_PORT=4321", f"RUN_IMAGE={tmp_path}/run.bin", "APPS=hello")
    assert proc.returncode == 0, proc.out
    assert "--gdb-port 4321" in proc.out
