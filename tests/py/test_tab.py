"""tools/tablib.py and TAB inputs to tools/tbf_assemble.py: the TBF taken
from a Tock Application Bundle, and every way a TAB can be bad (each
refused with a message that names the file and the reason)."""
import io
import os
import subprocess
import sys
import tarfile
import tomllib

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import tablib  # noqa: E402
import tbflib  # noqa: E402

ASSEMBLE = os.path.join(ROOT, "tools", "tbf_assemble.py")
ARCH = "cortex-m3"


def image(name="app"):
    return tbflib.make_tbf(bytes(range(64)) * 4, name=name, init_fn_offset=1,
                           min_ram_size=4096)


def raw_tab(path, members):
    """A tar written by hand: {name: bytes}, in order."""
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return str(path)


META = tablib.metadata_text("app").encode()


def flip(data, offset):
    """One bit changed: in the header, the checksum no longer matches."""
    out = bytearray(data)
    out[offset] ^= 0x01
    return bytes(out)


def test_written_tab_reads_back_with_metadata(tmp_path):
    path = str(tmp_path / "a.tab")
    tablib.write_tab(path, {ARCH: image(), "cortex-m4": image("m4")}, 'we"ird\\name',
                     kernel_version=(2, 1))
    with tarfile.open(path) as tar:
        names = tar.getnames()
        meta = tomllib.loads(tar.extractfile("metadata.toml").read().decode())
    assert names == ["metadata.toml", "cortex-m3.tbf", "cortex-m4.tbf"]
    assert meta["tab-version"] == 1 and meta["name"] == 'we"ird\\name'
    assert meta["only-for-boards"] == "" and meta["minimum-tock-kernel-version"] == "2.1"
    assert "build-date" in meta
    assert tablib.read_tbf(path, ARCH) == ("cortex-m3.tbf", image())
    assert tablib.read_tbf(path, "cortex-m4") == ("cortex-m4.tbf", image("m4"))


def test_old_bin_name_and_dot_slash_members_are_read(tmp_path):
    path = raw_tab(tmp_path / "old.tab", {"./metadata.toml": META, f"{ARCH}.bin": image()})
    assert tablib.read_tbf(path, ARCH) == (f"{ARCH}.bin", image())


def bad(tmp_path, members):
    return raw_tab(tmp_path / "bad.tab", members)


@pytest.mark.parametrize("make_bad, reason", [
    (lambda t: bad(t, {"metadata.toml": META, "cortex-m4.tbf": image()}),
     "no TBF for this board's architecture cortex-m3; architectures in it: cortex-m4"),
    (lambda t: bad(t, {"metadata.toml": META}),
     "no TBF for this board's architecture cortex-m3; architectures in it: none"),
    (lambda t: bad(t, {"metadata.toml": META, "cortex-m3.0x40000.0x20000000.tbf": image()}),
     "(only fixed-address builds: cortex-m3.0x40000.0x20000000.tbf)"),
    (lambda t: bad(t, {"cortex-m3.tbf": image()}), "no metadata.toml: not a TAB"),
    (lambda t: bad(t, {"metadata.toml": b"tab-version = 2\n", "cortex-m3.tbf": image()}),
     "tab-version 2, only 1 is known"),
    (lambda t: bad(t, {"metadata.toml": b"tab-version = \n", "cortex-m3.tbf": image()}),
     "metadata.toml is not valid TOML"),
    (lambda t: bad(t, {"metadata.toml": META, "cortex-m3.tbf": flip(image(), 12)}),
     "cortex-m3.tbf is not a valid TBF: CHECKSUM"),
    (lambda t: bad(t, {"metadata.toml": META, "cortex-m3.tbf": image()[:-1]}),
     "cortex-m3.tbf is not a valid TBF: TOTAL_SIZE"),
    (lambda t: bad(t, {"metadata.toml": META, "cortex-m3.tbf": image() + b"\0"}),
     "cortex-m3.tbf says total_size 512 but holds 513 bytes"),
])
def test_bad_tab_is_refused_with_its_reason(tmp_path, make_bad, reason):
    path = make_bad(tmp_path)
    with pytest.raises(tablib.TabError) as err:
        tablib.read_tbf(path, ARCH)
    assert str(err.value).startswith(f"{path}: ")
    assert reason in str(err.value)


def test_tar_cut_anywhere_is_refused_and_whole_is_read(tmp_path):
    path = str(tmp_path / "a.tab")
    tablib.write_tab(path, {ARCH: image()}, "app")
    whole = open(path, "rb").read()
    with tarfile.open(path) as tar:
        tar.getmembers()
        marker_end = tar.offset + tablib.TAR_END_SIZE
    # Exactly the archive up to the end of its end-of-archive marker is enough
    # (tarfile pads the file further, to a whole record)...
    assert len(whole) > marker_end
    open(path, "wb").write(whole[:marker_end])
    assert tablib.read_tbf(path, ARCH)[1] == image()
    # ...one byte less, or a cut inside a member or between members, is not.
    for cut in (marker_end - 1, 1500, 1024 + 512 + 100, 10):
        open(path, "wb").write(whole[:cut])
        with pytest.raises(tablib.TabError, match="not a readable TAB"):
            tablib.read_tbf(path, ARCH)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(tablib.TabError, match="no such file"):
        tablib.read_tbf(str(tmp_path / "none.tab"), ARCH)


def assemble(*args):
    return subprocess.run([sys.executable, ASSEMBLE, *args], capture_output=True, text=True)


def test_assembler_takes_the_arch_tbf_from_a_tab(tmp_path):
    tab = str(tmp_path / "a.tab")
    tablib.write_tab(tab, {ARCH: image("from_tab"), "cortex-m4": image("m4")}, "x")
    tbf = tmp_path / "b.tbf"
    tbf.write_bytes(image("plain"))
    out = tmp_path / "apps.bin"
    proc = assemble("--strict", "--arch", ARCH, "-o", str(out), tab, str(tbf))
    assert proc.returncode == 0, proc.stderr
    names = [img.name for _, img in tbflib.iter_tbfs(out.read_bytes())]
    assert names == ["from_tab", "plain"]
    assert f"{tab}[cortex-m3.tbf]" in proc.stdout


def test_assembler_refuses_a_bad_tab_and_writes_nothing(tmp_path):
    tab = bad(tmp_path, {"metadata.toml": META, "cortex-m4.tbf": image()})
    out = tmp_path / "apps.bin"
    proc = assemble("--arch", ARCH, "-o", str(out), tab)   # even without --strict
    assert proc.returncode == 1
    assert f"tbf_assemble: error: {tab}: no TBF for this board's architecture" in proc.stderr
    assert not out.exists()


def test_assembler_needs_arch_for_a_tab(tmp_path):
    tab = str(tmp_path / "a.tab")
    tablib.write_tab(tab, {ARCH: image()}, "x")
    proc = assemble("-o", str(tmp_path / "apps.bin"), tab)
    assert proc.returncode != 0 and "a TAB input needs --arch" in proc.stderr
