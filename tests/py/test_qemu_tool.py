"""tools/qemu.py outside QEMU: the FRAM image checks (every message names
the image) and the GDB server address."""
import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import qemu  # noqa: E402


def test_image_of_exactly_the_fram_size_is_kept_as_it_is(tmp_path):
    img = tmp_path / "f.img"
    data = bytes(i & 0xFF for i in range(qemu.FRAM_SIZE))
    img.write_bytes(data)
    qemu.ensure_fram_image(str(img))
    assert img.read_bytes() == data


@pytest.mark.parametrize("size", [qemu.FRAM_SIZE - 1, qemu.FRAM_SIZE + 1, 0])
def test_image_one_byte_off_is_refused_with_a_hint_naming_it(tmp_path, size):
    img = tmp_path / "f.img"
    img.write_bytes(bytes(size))
    with pytest.raises(SystemExit) as err:
        qemu.ensure_fram_image(str(img))
    assert f"FRAM image {img} is {size} bytes" in str(err.value)
    assert f"`make fram-reset FRAM={img}`" in str(err.value)
    assert img.stat().st_size == size


def test_absent_image_is_created_zeroed(tmp_path):
    img = tmp_path / "new.img"
    qemu.ensure_fram_image(str(img))
    assert img.read_bytes() == bytes(qemu.FRAM_SIZE)


def test_missing_folder_and_folder_as_image_are_refused(tmp_path):
    with pytest.raises(SystemExit, match="folder .*/nope does not exist"):
        qemu.ensure_fram_image(str(tmp_path / "nope" / "f.img"))
    assert not (tmp_path / "nope").exists(), "no folder is created behind the user's back"
    with pytest.raises(SystemExit, match="is a folder"):
        qemu.ensure_fram_image(str(tmp_path))


def test_gdb_server_listens_on_localhost_only():
    argv = qemu.qemu_argv("k.elf", gdb=True)
    assert argv[argv.index("-gdb") + 1] == f"tcp:127.0.0.1:{qemu.GDB_PORT}"
    argv = qemu.qemu_argv("k.elf", gdb=True, gdb_port=5555)
    assert argv[argv.index("-gdb") + 1] == "tcp:127.0.0.1:5555"


def test_fram_past_64k_is_one_device_per_64k_over_one_image():
    argv = " ".join(qemu.qemu_argv("k.elf", fram="f.img", fram_size=131072))
    assert "at24c-eeprom,bus=i2c,address=0x50,rom-size=65536,drive=fram0" in argv
    assert "at24c-eeprom,bus=i2c,address=0x51,rom-size=65536,drive=fram1" in argv
    assert "file=f.img,format=raw,offset=0,size=65536" in argv
    assert "file=f.img,format=raw,offset=65536,size=65536" in argv
    small = " ".join(qemu.qemu_argv("k.elf", fram="f.img"))
    assert "rom-size=32768,drive=fram0" in small and "offset" not in small
    with pytest.raises(SystemExit):
        qemu.fram_devices("f.img", 65536 + 4096)
