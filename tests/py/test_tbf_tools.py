"""tools/tbflib.py, tbf_assemble.py, tbf_inspect.py and tbf_corrupt.py: round
trips, every corruption detected, CLI exit codes, and agreement with the
kernel's C parser (kernel/tbf.c, driven through tests/py/support/tbf_walk.c)
on valid, corrupted and randomly mutated images."""
import json
import os
import random
import shutil
import struct
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import tbf_assemble  # noqa: E402
import tbf_corrupt  # noqa: E402
import tbflib  # noqa: E402

PY = sys.executable
ASSEMBLE = os.path.join(ROOT, "tools", "tbf_assemble.py")
INSPECT = os.path.join(ROOT, "tools", "tbf_inspect.py")
CORRUPT = os.path.join(ROOT, "tools", "tbf_corrupt.py")
WALK_SRC = [os.path.join(ROOT, "tests", "py", "support", "tbf_walk.c"),
            os.path.join(ROOT, "kernel", "tbf.c")]
MUTATION_SEED = 20240611
MUTATIONS = 400

CODE = bytes(range(256)) * 2   # stand-in app binary


def app(name="app", size=len(CODE), **kw):
    args = dict(name=name, init_fn_offset=1, min_ram_size=4096)
    args.update(kw)
    return tbflib.make_tbf(CODE[:size], **args)


def run(argv, **kw):
    return subprocess.run([PY] + argv, capture_output=True, text=True, **kw)


# ------------------------------------------------------------ C twin

@pytest.fixture(scope="session")
def walk(tmp_path_factory):
    """Function area_bytes -> list of lines printed by the C walker."""
    cc = shutil.which("clang")
    out = tmp_path_factory.mktemp("tbfwalk") / "tbf_walk"
    flags = ["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-I", ROOT]
    if cc:
        flags += ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    else:
        cc = "gcc"
    subprocess.run([cc] + flags + ["-o", str(out)] + WALK_SRC, check=True)
    area = out.parent / "area.bin"

    def go(blob):
        area.write_bytes(blob)
        res = subprocess.run([str(out), str(area)], capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        return res.stdout.splitlines()
    return go


def py_walk(blob):
    """tbflib's walk, printed in tbf_walk.c's format."""
    lines = []
    for off, item in tbflib.iter_tbfs(blob):
        if isinstance(item, tbflib.TbfError):
            lines.append(f"{off} {item.code}")
            continue
        t = item
        line = (f"{off} OK total={t.total_size} header={t.header_size} flags={t.flags} "
                f"enabled={int(t.enabled)} program={int(t.has_program)} "
                f"init={t.init_fn_offset} protected={t.protected_size} ram={t.min_ram_size} "
                f"end={t.binary_end_offset} appver={t.app_version} name={t.name}")
        if t.has_storage:
            line += (f" write={t.write_id} read={','.join(map(str, t.read_ids))}"
                     f" modify={','.join(map(str, t.modify_ids))}")
        if t.has_short_id:
            line += f" short={t.short_id}"
        if t.has_kernel_version:
            line += " kver=%d.%d" % t.kernel_version
        if t.has_fixed_addresses:
            line += f" fixed={t.fixed_ram},{t.fixed_flash}"
        lines.append(line)
    return lines


# ------------------------------------------------------------ make/parse

def test_program_round_trip():
    img = app("nv", storage=(0x51, [1, 2], [3]), short_id=0x77, app_version=9,
              kernel_version=(2, 1))
    assert len(img) == 1024      # 512-byte binary + header: next power of two
    t = tbflib.parse_tbf(img)
    assert (t.name, t.enabled, t.has_program, t.app_version) == ("nv", True, True, 9)
    assert (t.init_fn_offset, t.min_ram_size, t.protected_size) == (1, 4096, 0)
    assert (t.write_id, t.read_ids, t.modify_ids) == (0x51, [1, 2], [3])
    assert (t.short_id, t.kernel_version) == (0x77, (2, 1))
    assert t.binary_end_offset == t.header_size + len(CODE)
    assert img[t.binary_offset:t.binary_end_offset] == CODE
    assert img[t.binary_end_offset:] == bytes(len(img) - t.binary_end_offset)
    acc = 0
    for (w,) in struct.iter_unpack("<I", img[:t.header_size]):
        acc ^= w
    assert acc == 0


def test_main_header_and_protected_trailer():
    img = app("m", size=10, program=False, protected_size=64, init_fn_offset=65)
    t = tbflib.parse_tbf(img)
    assert not t.has_program and t.has_main
    assert t.protected_size == 64 and t.binary_offset == t.header_size + 64
    assert t.binary_end_offset == t.total_size == 512
    assert img[t.binary_offset:t.binary_offset + 10] == CODE[:10]
    assert img[t.header_size:t.binary_offset] == bytes(64)


@pytest.mark.parametrize("binary_len,total", [(2, 512), (400, 512), (480, 1024),
                                              (3000, 4096)])
def test_total_size_power_of_two(binary_len, total):
    img = tbflib.make_tbf(bytes(binary_len), name="p", init_fn_offset=1, min_ram_size=1)
    assert len(img) == total == tbflib.parse_tbf(img).total_size


def test_disabled_and_optional_tlvs():
    t = tbflib.parse_tbf(app(enabled=False, kernel_version=None))
    assert not t.enabled and not t.has_kernel_version and not t.has_storage
    assert not t.has_short_id


def test_unknown_tlvs_skipped():
    img = app("u", extra_tlvs=[(0x1234, b"abc"), (tbflib.TLV_PERMISSIONS, bytes(18)),
                               (tbflib.TLV_FIXED_ADDRESSES, struct.pack("<II", 1, 2))])
    t = tbflib.parse_tbf(img)
    assert [x.type for x in t.tlvs][-3:] == [0x1234, tbflib.TLV_PERMISSIONS,
                                             tbflib.TLV_FIXED_ADDRESSES]
    assert (t.fixed_ram, t.fixed_flash) == (1, 2)


def test_long_and_utf8_names():
    t = tbflib.parse_tbf(app("x" * 40))
    assert t.full_name == "x" * 40 and t.name == "x" * tbflib.NAME_MAX
    t = tbflib.parse_tbf(app("a" * 31 + "\u00e9"))   # a 2-byte char across the cut
    assert t.name == "a" * 31


def test_too_many_storage_ids_rejected():
    over = list(range(tbflib.STORAGE_MAX_IDS + 1))
    for storage in ((1, over, []), (1, [], over)):
        with pytest.raises(tbflib.TbfError) as e:
            tbflib.parse_tbf(app(storage=storage))
        assert e.value.code == tbflib.ERR_TLV and e.value.skippable
    tbflib.parse_tbf(app(storage=(1, over[:-1], over[:-1])))


def test_padding_image():
    pad = tbflib.make_padding(1024)
    t = tbflib.parse_tbf(pad)
    assert len(pad) == t.total_size == 1024 and not t.enabled and not t.has_main


def test_iter_stops_at_blank_and_skips_bad():
    good = app("a")
    bad = tbf_corrupt.bad_checksum(app("b"))
    for fill in (b"\0", b"\xff"):
        blob = good + bad + good + fill * 64
        items = list(tbflib.iter_tbfs(blob))
        assert [o for o, _ in items] == [0, 1024, 2048]
        assert isinstance(items[1][1], tbflib.TbfError)
    # A non-skippable error ends the walk even with images behind it.
    items = list(tbflib.iter_tbfs(good + tbf_corrupt.bad_version(good) + good))
    assert [(o, getattr(i, "code", "OK")) for o, i in items] == [(0, "OK"), (1024, "VERSION")]


# ------------------------------------------------------------ corruptions

@pytest.mark.parametrize("kind", sorted(tbf_corrupt.CORRUPTIONS))
def test_every_corruption_detected(kind, walk):
    base = app("victim", storage=(1, [2], [3]), short_id=4)
    for program in (True, False):
        if not program:
            base = app("victim", program=False)
        img = tbf_corrupt.corrupt(kind, base)
        want = tbf_corrupt.CORRUPTIONS[kind][1]
        with pytest.raises(tbflib.TbfError) as e:
            tbflib.parse_tbf(img)
        assert e.value.code == want, str(e.value)
        # The kernel's parser reports the same thing (END prints nothing).
        assert walk(img) == ([] if want == tbflib.ERR_END else [f"0 {want}"])


def test_overlapping_total_size_hides_next_image(walk):
    """An image whose total_size covers its neighbour parses as one bigger
    image (nothing in its header can tell): the neighbour is not loaded, the
    walk continues after it. Documented in docs/tbf.md."""
    a, b, c = app("a", size=10), app("b", size=10), app("c", size=10)
    blob = tbf_corrupt.total_size_overlaps_next(a) + b + c + bytes(16)
    lines = walk(blob)
    assert lines == py_walk(blob)
    assert [ln.split()[0] for ln in lines] == ["0", "1024"]
    assert "name=a" in lines[0] and "total=1024" in lines[0] and "name=c" in lines[1]


def test_c_and_python_agree_on_valid_images(walk):
    blob = b"".join([
        app("one", storage=(5, [1, 2, 3], [9]), short_id=3),
        app("two", program=False, protected_size=32, init_fn_offset=33),
        app("three", enabled=False, kernel_version=(9, 9)),
        app("x" * 50, extra_tlvs=[(tbflib.TLV_FIXED_ADDRESSES, struct.pack("<II", 7, 8))]),
        tbflib.make_padding(512),
    ]) + bytes(8)
    lines = walk(blob)
    assert len(lines) == 5
    assert lines == py_walk(blob)


def test_c_and_python_agree_on_random_mutations(walk):
    """Seeded random damage to header bytes (checksum recomputed half the
    time so the damage reaches the later checks): both parsers must give
    the same verdict and fields for every mutant."""
    rng = random.Random(MUTATION_SEED)
    bases = [app("m1", storage=(1, [2, 3], [4])), app("m2", program=False, size=40),
             app("m3", short_id=1, extra_tlvs=[(200, b"zz")])]
    verdicts = set()
    for _ in range(MUTATIONS):
        img = bytearray(rng.choice(bases))
        hs = struct.unpack_from("<H", img, 2)[0]
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(min(hs + 8, len(img)))
            img[pos] = rng.randrange(256) if rng.random() < 0.5 else img[pos] ^ (1 << rng.randrange(8))
        if rng.random() < 0.5:
            img = bytearray(tbflib.fix_checksum(bytes(img)))
        cut = rng.choice([len(img), len(img), rng.randrange(len(img) + 1)])
        blob = bytes(img[:cut]) + (app("next") if rng.random() < 0.3 else b"")
        c_lines, p_lines = walk(blob), py_walk(blob)
        assert c_lines == p_lines, blob[:64].hex()
        verdicts.update(ln.split()[1] for ln in c_lines)
    # The mutants reached most of the checks, not just the checksum.
    assert {"OK", "CHECKSUM", "TLV", "HEADER_SIZE", "TOTAL_SIZE"} <= verdicts


# ------------------------------------------------------------ assemble

def test_assemble_aligns_with_padding_images(tmp_path):
    small, big = app("s", size=10), app("b")          # 512 and 1024 bytes
    blob, offsets = tbf_assemble.assemble([small, big])
    assert offsets == [0, 1024]                       # big aligned to its size
    items = list(tbflib.iter_tbfs(blob))
    assert [(o, i.name, i.enabled) for o, i in items] == [
        (0, "s", True), (512, "", False), (1024, "b", True)]
    assert blob[2048:] == bytes(tbf_assemble.END_MARK_SIZE)
    blob, offsets = tbf_assemble.assemble([small, big], align=False)
    assert offsets == [0, 512]


def test_assemble_cli(tmp_path):
    paths = []
    for name, size in (("s", 10), ("b", 512)):
        p = tmp_path / f"{name}.tbf"
        p.write_bytes(app(name, size=size))
        paths.append(str(p))
    out = tmp_path / "apps.bin"
    res = run([ASSEMBLE, "-o", str(out), "--sort"] + paths)
    assert res.returncode == 0, res.stderr
    blob = out.read_bytes()
    assert [i.name for _, i in tbflib.iter_tbfs(blob)] == ["b", "s"]   # no padding needed
    assert len(blob) == 1536 + tbf_assemble.END_MARK_SIZE
    res = run([ASSEMBLE, "-o", str(out), "--pad-to", "0x1000"] + paths)
    assert res.returncode == 0 and len(out.read_bytes()) == 0x1000
    res = run([ASSEMBLE, "-o", str(out), "--pad-to", "1000"] + paths)
    assert res.returncode == 1 and "pad-to" in res.stderr


def test_assemble_keeps_corrupted_images_unless_strict(tmp_path):
    good, bad = tmp_path / "good.tbf", tmp_path / "bad.tbf"
    good.write_bytes(app("g"))
    bad.write_bytes(tbf_corrupt.bad_checksum(app("b")))
    out = tmp_path / "apps.bin"
    res = run([ASSEMBLE, "-o", str(out), str(bad), str(good)])
    assert res.returncode == 0 and "CHECKSUM" in res.stderr
    assert out.read_bytes()[:1024] == bad.read_bytes()
    out.unlink()
    res = run([ASSEMBLE, "--strict", "-o", str(out), str(bad), str(good)])
    assert res.returncode == 1 and not out.exists()


# ------------------------------------------------------------ inspect / corrupt CLIs

def test_inspect_good_image(tmp_path):
    p = tmp_path / "apps.bin"
    p.write_bytes(tbf_assemble.assemble([app("one", storage=(7, [8], [])), app("two")])[0])
    res = run([INSPECT, str(p), "--base", "0x40000"])
    assert res.returncode == 0, res.stdout
    assert "'one'" in res.stdout and "'two'" in res.stdout
    assert "write_id=0x7" in res.stdout and "0x00040400" in res.stdout
    res = run([INSPECT, str(p), "--json"])
    data = json.loads(res.stdout)
    assert [r["name"] for r in data["images"]] == ["one", "two"]
    assert data["images"][0]["storage"] == {"write_id": 7, "read_ids": [8], "modify_ids": []}
    assert data["malformed"] == 0


def test_inspect_reports_malformed_and_lists_the_rest(tmp_path):
    p = tmp_path / "apps.bin"
    p.write_bytes(app("a") + tbf_corrupt.no_main(app("b")) + app("c") + bytes(4))
    res = run([INSPECT, str(p)])
    assert res.returncode == 1
    assert "MALFORMED (NO_MAIN)" in res.stdout and "'c'" in res.stdout
    data = json.loads(run([INSPECT, str(p), "--json"]).stdout)
    assert [r["ok"] for r in data["images"]] == [True, False, True]
    assert data["images"][1]["error"] == "NO_MAIN"


def test_inspect_missing_file(tmp_path):
    assert run([INSPECT, str(tmp_path / "nope.bin")]).returncode == 2


def test_corrupt_cli(tmp_path):
    src, dst = tmp_path / "in.tbf", tmp_path / "out.tbf"
    src.write_bytes(app("v"))
    res = run([CORRUPT, "entry_past_binary", str(src), "-o", str(dst)])
    assert res.returncode == 0, res.stderr
    with pytest.raises(tbflib.TbfError) as e:
        tbflib.parse_tbf(dst.read_bytes())
    assert e.value.code == tbflib.ERR_ENTRY
    listing = run([CORRUPT, "--list"]).stdout
    assert all(k in listing for k in tbf_corrupt.CORRUPTIONS)
