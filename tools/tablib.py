"""Read and write Tock Application Bundles (TABs) on the host.

A TAB is how Tock ships an app: a tar archive holding a `metadata.toml`
and one TBF image per CPU architecture, each named after its architecture
(`cortex-m3.tbf`, `cortex-m4.tbf`, ...), as Tock's elf2tab writes it and
tockloader reads it. Used by tools/tbf_pack.py (writes TABs) and
tools/tbf_assemble.py (takes the board's TBF out of a TAB for `make run`).

What read_tbf() accepts, and refuses with a TabError saying why:
  * the file must be a readable tar archive holding `metadata.toml` with
    `tab-version = 1` (the only version there is);
  * the board's image is `<arch>.tbf` (or `<arch>.bin`, the name of older
    TABs); images built for fixed addresses (`<arch>.<addresses>.tbf`) are
    not taken, since our apps are position independent;
  * that image must pass tbflib.parse_tbf() (the kernel's own checks,
    header checksum included) and be exactly total_size long.
Only that one image is read; `only-for-boards` and the other metadata keys
are ignored (they name Tock boards).
"""
import datetime
import io
import os
import tarfile
import tomllib

import tbflib

METADATA = "metadata.toml"
TAB_VERSION = 1
TAR_END_SIZE = 2 * tarfile.BLOCKSIZE   # two zero blocks end every tar archive


class TabError(Exception):
    pass


def _toml_string(text):
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def metadata_text(name, kernel_version=None, deterministic=False):
    lines = [f"tab-version = {TAB_VERSION}", f"name = {_toml_string(name)}",
             'only-for-boards = ""']
    if kernel_version is not None:
        lines.append(f'minimum-tock-kernel-version = "{kernel_version[0]}.{kernel_version[1]}"')
    if not deterministic:
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        lines.append("build-date = " + now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return "\n".join(lines) + "\n"


def write_tab(path, tbfs, name, kernel_version=None, deterministic=False):
    """tbfs: {architecture: TBF bytes}. Members are written with fixed
    owner, mode and time, so the same images give the same archive."""
    members = [(METADATA, metadata_text(name, kernel_version, deterministic).encode())]
    members += [(f"{arch}.tbf", image) for arch, image in sorted(tbfs.items())]
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tar:
        for member, data in members:
            info = tarfile.TarInfo(member)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))


def _members(path):
    """{name: bytes} of the regular files in the archive. A TAB is a plain
    (uncompressed) tar; one that is cut short anywhere, even between two
    members, is refused: a well-formed archive ends with two zero blocks."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            out = {}
            for m in tar.getmembers():
                if m.isfile():
                    name = m.name[2:] if m.name.startswith("./") else m.name
                    out[name] = tar.extractfile(m).read()
            end = tar.offset
    except (tarfile.TarError, EOFError, ValueError) as err:
        raise TabError(f"{path}: not a readable TAB (a tar archive): {err}") from None
    if data[end:end + TAR_END_SIZE] != bytes(TAR_END_SIZE):
        raise TabError(f"{path}: not a readable TAB (a tar archive): cut short after "
                       f"{end} bytes, no end-of-archive marker")
    return out


def architectures(members):
    """Architectures the archive has an image for (by elf2tab's naming)."""
    return sorted({n.split(".")[0] for n in members if n.endswith((".tbf", ".bin"))})


def read_tbf(path, arch):
    """The TBF image for `arch` in the TAB at `path`, checked. Returns
    (member name, bytes)."""
    if not os.path.isfile(path):
        raise TabError(f"{path}: no such file")
    members = _members(path)
    if METADATA not in members:
        raise TabError(f"{path}: no {METADATA}: not a TAB")
    try:
        meta = tomllib.loads(members[METADATA].decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise TabError(f"{path}: {METADATA} is not valid TOML: {err}") from None
    if meta.get("tab-version") != TAB_VERSION:
        raise TabError(f"{path}: tab-version {meta.get('tab-version')!r}, "
                       f"only {TAB_VERSION} is known")
    member = next((m for m in (f"{arch}.tbf", f"{arch}.bin") if m in members), None)
    if member is None:
        fixed = sorted(n for n in members if n.startswith(arch + ".") and n.endswith(".tbf"))
        found = ", ".join(architectures(members)) or "none"
        hint = f" (only fixed-address builds: {', '.join(fixed)})" if fixed else ""
        raise TabError(f"{path}: no TBF for this board's architecture {arch}{hint}; "
                       f"architectures in it: {found}")
    image = members[member]
    try:
        info = tbflib.parse_tbf(image)
    except tbflib.TbfError as err:
        raise TabError(f"{path}: {member} is not a valid TBF: {err}") from None
    if info.total_size != len(image):
        raise TabError(f"{path}: {member} says total_size {info.total_size} "
                       f"but holds {len(image)} bytes")
    return member, image
