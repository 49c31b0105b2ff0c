"""Build and parse Tock Binary Format (version 2) app images on the host.

This is the host-side twin of kernel/tbf.c: parse_tbf() accepts and rejects
exactly what the kernel's tbf_parse() does, and raises TbfError with the same
reason code (the C enum name without the TBF_ERR_ prefix), so a test can
check a corrupted image against both. Every tool that writes or reads images
(tbf_pack, tbf_assemble, tbf_inspect, tbf_corrupt, the QEMU tests) goes
through this module; none of them packs header bytes by hand.

Layout of one image, as make_tbf() writes it and elf2tab does for Cortex-M:

    base header (16 B) | TLVs (each padded to 4 B) | protected trailer |
    app binary | zero fill up to total_size (a power of two, >= 512 B)

All multi-byte fields are little endian. The base header checksum makes the
XOR of every 32-bit word of the header (TLVs included) zero.
"""
from dataclasses import dataclass, field
import struct

TBF_VERSION = 2
BASE_HEADER_SIZE = 16
FLAG_ENABLED = 0x1
FLAG_STICKY = 0x2
NAME_MAX = 32            # kernel/tbf.h TBF_NAME_MAX: longer names are cut
STORAGE_MAX_IDS = 8      # kernel/driver.h STORAGE_MAX_IDS
MIN_IMAGE_SIZE = 512     # smallest Cortex-M image elf2tab produces

# TLV types (kernel/tbf.h).
TLV_MAIN = 1
TLV_WRITEABLE_FLASH = 2
TLV_PACKAGE_NAME = 3
TLV_FIXED_ADDRESSES = 5
TLV_PERMISSIONS = 6
TLV_STORAGE_PERMS = 7
TLV_KERNEL_VERSION = 8
TLV_PROGRAM = 9
TLV_SHORT_ID = 10

TLV_NAMES = {
    TLV_MAIN: "main",
    TLV_WRITEABLE_FLASH: "writeable_flash",
    TLV_PACKAGE_NAME: "package_name",
    TLV_FIXED_ADDRESSES: "fixed_addresses",
    TLV_PERMISSIONS: "permissions",
    TLV_STORAGE_PERMS: "storage_permissions",
    TLV_KERNEL_VERSION: "kernel_version",
    TLV_PROGRAM: "program",
    TLV_SHORT_ID: "short_id",
}

# Fixed TLV value lengths; a TLV of one of these types with another length
# is malformed.
MAIN_LEN = 12
PROGRAM_LEN = 20
FIXED_ADDRESSES_LEN = 8
KERNEL_VERSION_LEN = 4
SHORT_ID_LEN = 4
WRITEABLE_FLASH_ENTRY_LEN = 8

U16_MAX = 0xFFFF

# Error codes, in the order of kernel/tbf.h's enum tbf_error.
ERR_END = "END"
ERR_TRUNCATED = "TRUNCATED"
ERR_VERSION = "VERSION"
ERR_HEADER_SIZE = "HEADER_SIZE"
ERR_TOTAL_SIZE = "TOTAL_SIZE"
ERR_CHECKSUM = "CHECKSUM"
ERR_TLV = "TLV"
ERR_NO_MAIN = "NO_MAIN"
ERR_ENTRY = "ENTRY"
ERROR_CODES = (ERR_END, ERR_TRUNCATED, ERR_VERSION, ERR_HEADER_SIZE, ERR_TOTAL_SIZE,
               ERR_CHECKSUM, ERR_TLV, ERR_NO_MAIN, ERR_ENTRY)
# Errors after which total_size is trusted to find the next image
# (kernel/tbf.c tbf_error_skippable()).
SKIPPABLE = frozenset((ERR_HEADER_SIZE, ERR_CHECKSUM, ERR_TLV, ERR_NO_MAIN, ERR_ENTRY))


class TbfError(Exception):
    """A malformed image (or, with code END, no image at all).

    code: one of ERROR_CODES; detail: human-readable explanation;
    total_size: the image's total size when it can be trusted (skippable
    errors), else None.
    """

    def __init__(self, code, detail="", total_size=None):
        assert code in ERROR_CODES
        self.code = code
        self.detail = detail
        self.total_size = total_size
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def skippable(self):
        return self.code in SKIPPABLE


@dataclass
class Tlv:
    """One TLV as found in a header: offset is from the image start."""
    type: int
    offset: int
    value: bytes

    @property
    def name(self):
        return TLV_NAMES.get(self.type, f"unknown_{self.type}")


@dataclass
class TbfImage:
    version: int = TBF_VERSION
    header_size: int = 0
    total_size: int = 0
    flags: int = 0
    checksum: int = 0
    enabled: bool = False
    sticky: bool = False
    has_main: bool = False         # Main (1) or Program (9) seen
    has_program: bool = False      # Program rather than Main
    init_fn_offset: int = 0        # from the end of the header
    protected_size: int = 0        # trailer between header and binary
    min_ram_size: int = 0
    binary_end_offset: int = 0     # from the image start; total_size without Program
    app_version: int = 0
    name: str = ""                 # cut to NAME_MAX bytes, as the kernel does
    full_name: str = ""            # the whole Package Name
    has_storage: bool = False
    write_id: int = 0              # 0: none
    read_ids: list = field(default_factory=list)
    modify_ids: list = field(default_factory=list)
    has_short_id: bool = False
    short_id: int = 0
    has_kernel_version: bool = False
    kernel_version: tuple = (0, 0)
    has_fixed_addresses: bool = False
    fixed_ram: int = 0
    fixed_flash: int = 0
    tlvs: list = field(default_factory=list)   # every TLV, known or not

    @property
    def binary_offset(self):
        """Offset of the app binary (where crt0 finds its own header)."""
        return self.header_size + self.protected_size

    @property
    def entry_offset(self):
        """Offset of the first instruction (odd: Thumb bit) from the image start."""
        return self.header_size + self.init_fn_offset


# ---------------------------------------------------------------- building

def _pad4(data):
    return data + bytes(-len(data) % 4)


def tlv(tlv_type, value):
    """Encode one TLV: type, true length, value padded to 4 bytes."""
    if not 0 <= tlv_type <= U16_MAX or len(value) > U16_MAX:
        raise ValueError("TLV type or length does not fit 16 bits")
    return struct.pack("<HH", tlv_type, len(value)) + _pad4(bytes(value))


def storage_value(write_id, read_ids, modify_ids):
    """Storage Permissions value: u32 write_id, u16 n, n x u32, u16 m, m x u32,
    packed with no padding between fields (as Tock's parser reads it)."""
    out = struct.pack("<IH", write_id, len(read_ids))
    out += b"".join(struct.pack("<I", i) for i in read_ids)
    out += struct.pack("<H", len(modify_ids))
    out += b"".join(struct.pack("<I", i) for i in modify_ids)
    return out


def header_checksum(header):
    """XOR of the 32-bit words of header, taking the checksum word as zero."""
    if len(header) % 4:
        raise ValueError("header size must be a multiple of 4")
    acc = 0
    for i, (word,) in enumerate(struct.iter_unpack("<I", header)):
        if i != 3:
            acc ^= word
    return acc


def fix_checksum(image, offset=0):
    """Return image with the checksum of the header at offset recomputed
    (header_size taken from the image). Used to make lies that pass the
    checksum, so the parser's later checks are reached."""
    buf = bytearray(image)
    header_size = struct.unpack_from("<H", buf, offset + 2)[0]
    header_size -= header_size % 4
    header_size = min(header_size, len(buf) - offset)
    header_size -= header_size % 4
    struct.pack_into("<I", buf, offset + 12, 0)
    struct.pack_into("<I", buf, offset + 12,
                     header_checksum(bytes(buf[offset:offset + header_size])))
    return bytes(buf)


def image_size_for(length):
    """Smallest power of two >= max(length, MIN_IMAGE_SIZE)."""
    size = MIN_IMAGE_SIZE
    while size < length:
        size *= 2
    return size


def build_header(tlvs_bytes, total_size, flags):
    """Base header + already encoded TLVs, with a correct checksum."""
    header_size = BASE_HEADER_SIZE + len(tlvs_bytes)
    if header_size > U16_MAX:
        raise ValueError("header does not fit the 16-bit header_size field")
    base = struct.pack("<HHIII", TBF_VERSION, header_size, total_size, flags, 0)
    return fix_checksum(base + tlvs_bytes)


def make_tbf(binary: bytes, *, name: str, init_fn_offset: int, min_ram_size: int,
             protected_size: int = 0, enabled: bool = True, program: bool = True,
             app_version: int = 0, storage: tuple = None, short_id: int = None,
             kernel_version=(2, 0), extra_tlvs=()) -> bytes:
    """A complete image for one app.

    binary: the app's flash contents (what crt0 sees at r0).
    init_fn_offset: the Main/Program field as stored, i.e. from the end of
      the header; it must count protected_size, and is odd for Thumb code.
    protected_size: zero bytes inserted between header and binary.
    storage: (write_id, [read ids], [modify ids]) for a Storage Permissions TLV.
    short_id: ShortId TLV value (0 means "none" to Tock), or None for no TLV.
    kernel_version: (major, minor) for a Kernel Version TLV, or None.
    extra_tlvs: (type, value bytes) pairs appended after the others, e.g.
      unknown types to check they are skipped.
    Total size is the smallest power of two >= 512 holding everything; the
    rest is zero.
    """
    name_bytes = name.encode("utf-8")
    body = b""
    tail = tlv(TLV_PACKAGE_NAME, name_bytes)
    if kernel_version is not None:
        tail += tlv(TLV_KERNEL_VERSION, struct.pack("<HH", *kernel_version))
    if storage is not None:
        write_id, read_ids, modify_ids = storage
        tail += tlv(TLV_STORAGE_PERMS, storage_value(write_id, list(read_ids),
                                                     list(modify_ids)))
    if short_id is not None:
        tail += tlv(TLV_SHORT_ID, struct.pack("<I", short_id))
    for tlv_type, value in extra_tlvs:
        tail += tlv(tlv_type, value)

    main_len = 4 + (PROGRAM_LEN if program else MAIN_LEN)
    header_size = BASE_HEADER_SIZE + main_len + len(tail)
    binary_end = header_size + protected_size + len(binary)
    total_size = image_size_for(binary_end)
    if program:
        body = tlv(TLV_PROGRAM, struct.pack("<IIIII", init_fn_offset, protected_size,
                                            min_ram_size, binary_end, app_version))
    else:
        body = tlv(TLV_MAIN, struct.pack("<III", init_fn_offset, protected_size,
                                         min_ram_size))
    flags = FLAG_ENABLED if enabled else 0
    header = build_header(body + tail, total_size, flags)
    assert len(header) == header_size
    image = header + bytes(protected_size) + bytes(binary)
    return image + bytes(total_size - len(image))


def make_padding(size: int) -> bytes:
    """A padding image: a base header only, disabled, filling size bytes.
    The kernel parses it as a valid disabled app and skips it, so it can
    fill alignment gaps (zero fill there would end the app list)."""
    if size < BASE_HEADER_SIZE or size % 4:
        raise ValueError(f"padding of {size} bytes: needs a multiple of 4, >= 16")
    header = build_header(b"", size, 0)
    return header + bytes(size - len(header))


# ---------------------------------------------------------------- parsing

def _is_blank(data):
    """All 0x00 (zero fill) or all 0xFF (erased flash)."""
    return data == bytes(len(data)) or data == b"\xff" * len(data)


def _utf8_prefix(raw, limit):
    """Longest prefix of raw of at most limit bytes ending on a character
    boundary (the kernel cuts names the same way)."""
    cut = min(len(raw), limit)
    while cut > 0 and cut < len(raw) and (raw[cut] & 0xC0) == 0x80:
        cut -= 1
    return raw[:cut]


def _parse_storage(img, value):
    def bad(why):
        return TbfError(ERR_TLV, f"storage permissions: {why}", img.total_size)
    if len(value) < 6:
        raise bad("shorter than write_id and read count")
    write_id, n_read = struct.unpack_from("<IH", value, 0)
    if n_read > STORAGE_MAX_IDS:
        raise bad(f"{n_read} read ids, at most {STORAGE_MAX_IDS}")
    pos = 6
    if len(value) < pos + 4 * n_read + 2:
        raise bad("read ids or modify count past the TLV")
    read_ids = list(struct.unpack_from(f"<{n_read}I", value, pos))
    pos += 4 * n_read
    (n_modify,) = struct.unpack_from("<H", value, pos)
    pos += 2
    if n_modify > STORAGE_MAX_IDS:
        raise bad(f"{n_modify} modify ids, at most {STORAGE_MAX_IDS}")
    if len(value) != pos + 4 * n_modify:
        # Stricter than Tock, which ignores trailing bytes: with them, a
        # count that lies low would go unnoticed.
        raise bad(f"length {len(value)}, the id counts make it {pos + 4 * n_modify}")
    img.has_storage = True
    img.write_id = write_id
    img.read_ids = read_ids
    img.modify_ids = list(struct.unpack_from(f"<{n_modify}I", value, pos))


def _parse_tlv(img, tlv_type, value, seen):
    """Decode one TLV into img; raise TbfError on a bad length or value."""
    def bad(why):
        return TbfError(ERR_TLV, f"{TLV_NAMES.get(tlv_type, tlv_type)}: {why}",
                        img.total_size)
    fixed = {TLV_MAIN: MAIN_LEN, TLV_PROGRAM: PROGRAM_LEN,
             TLV_FIXED_ADDRESSES: FIXED_ADDRESSES_LEN,
             TLV_KERNEL_VERSION: KERNEL_VERSION_LEN, TLV_SHORT_ID: SHORT_ID_LEN}
    if tlv_type in fixed and len(value) != fixed[tlv_type]:
        raise bad(f"length {len(value)}, expected {fixed[tlv_type]}")
    # Like Tock, the first Main and the first Program count; repeats are ignored.
    if tlv_type in (TLV_MAIN, TLV_PROGRAM):
        if tlv_type not in seen:
            seen[tlv_type] = value
    elif tlv_type == TLV_PACKAGE_NAME:
        try:
            img.full_name = value.decode("utf-8")
        except UnicodeDecodeError:
            raise bad("not UTF-8") from None
        img.name = _utf8_prefix(value, NAME_MAX).split(b"\0")[0].decode("utf-8")
    elif tlv_type == TLV_STORAGE_PERMS:
        _parse_storage(img, value)
    elif tlv_type == TLV_KERNEL_VERSION:
        img.has_kernel_version = True
        img.kernel_version = struct.unpack("<HH", value)
    elif tlv_type == TLV_SHORT_ID:
        img.has_short_id = True
        (img.short_id,) = struct.unpack("<I", value)
    elif tlv_type == TLV_FIXED_ADDRESSES:
        img.has_fixed_addresses = True
        img.fixed_ram, img.fixed_flash = struct.unpack("<II", value)
    elif tlv_type == TLV_WRITEABLE_FLASH and len(value) % WRITEABLE_FLASH_ENTRY_LEN:
        raise bad("length not a multiple of 8")
    # Anything else (Permissions, unknown types) is skipped by length.


def _check_program(img):
    """Main/Program values against the image: protected trailer, binary end
    and entry point must all lie inside it."""
    binary_start = img.header_size + img.protected_size
    if binary_start > img.total_size:
        raise TbfError(ERR_TLV, "protected trailer runs past the image", img.total_size)
    if img.has_program:
        if not binary_start <= img.binary_end_offset <= img.total_size:
            raise TbfError(ERR_TLV, f"binary_end_offset {img.binary_end_offset:#x} "
                           "outside the image's binary", img.total_size)
    entry = (img.header_size + img.init_fn_offset) & ~1
    if not binary_start <= entry < img.binary_end_offset:
        raise TbfError(ERR_ENTRY, f"entry offset {entry:#x} outside the binary "
                       f"[{binary_start:#x}, {img.binary_end_offset:#x})", img.total_size)


def parse_tbf(blob: bytes, offset: int = 0) -> TbfImage:
    """Parse the image at blob[offset:]; the rest of blob is the app area.

    Raises TbfError (code END when there is no image: zero fill or erased
    flash). The checks and their order are kernel/tbf.c's.
    """
    avail = max(0, len(blob) - offset)
    data = memoryview(blob)[offset:]
    if _is_blank(bytes(data[:2])):
        raise TbfError(ERR_END, "erased or zero flash")
    if avail < BASE_HEADER_SIZE:
        raise TbfError(ERR_TRUNCATED, f"{avail} bytes left, base header needs 16")
    version, header_size, total_size, flags, checksum = struct.unpack_from("<HHIII", data, 0)
    # A non-blank version means something was written here: a blank
    # total_size (0 or all ones) is a corrupted image, not the end.
    if version != TBF_VERSION:
        raise TbfError(ERR_VERSION, f"version {version}")
    if total_size > avail:
        raise TbfError(ERR_TOTAL_SIZE, f"total_size {total_size:#x} past the area "
                       f"({avail:#x} bytes left)")
    if total_size < BASE_HEADER_SIZE:
        raise TbfError(ERR_TOTAL_SIZE, f"total_size {total_size} below the base header")
    if header_size < BASE_HEADER_SIZE or header_size > total_size or header_size % 4:
        raise TbfError(ERR_HEADER_SIZE, f"header_size {header_size} with total_size "
                       f"{total_size}", total_size)
    header = bytes(data[:header_size])
    acc = 0
    for (word,) in struct.iter_unpack("<I", header):
        acc ^= word
    if acc:
        raise TbfError(ERR_CHECKSUM, f"header words XOR to {acc:#010x}", total_size)

    img = TbfImage(version=version, header_size=header_size, total_size=total_size,
                   flags=flags, checksum=checksum, enabled=bool(flags & FLAG_ENABLED),
                   sticky=bool(flags & FLAG_STICKY), binary_end_offset=total_size)
    seen = {}
    pos = BASE_HEADER_SIZE
    while pos < header_size:
        if header_size - pos < 4:
            raise TbfError(ERR_TLV, f"TLV at {pos:#x}: type and length past the header",
                           total_size)
        tlv_type, length = struct.unpack_from("<HH", header, pos)
        padded = length + (-length % 4)
        if padded > header_size - pos - 4:
            raise TbfError(ERR_TLV, f"TLV type {tlv_type} at {pos:#x}: length {length} "
                           "past the header", total_size)
        value = header[pos + 4:pos + 4 + length]
        img.tlvs.append(Tlv(tlv_type, pos, value))
        _parse_tlv(img, tlv_type, value, seen)
        pos += 4 + padded

    main = seen.get(TLV_PROGRAM)
    if main is not None:
        img.has_main = img.has_program = True
        (img.init_fn_offset, img.protected_size, img.min_ram_size,
         img.binary_end_offset, img.app_version) = struct.unpack("<IIIII", main)
    elif TLV_MAIN in seen:
        img.has_main = True
        img.init_fn_offset, img.protected_size, img.min_ram_size = \
            struct.unpack("<III", seen[TLV_MAIN])
    if not img.has_main:
        if img.enabled:
            raise TbfError(ERR_NO_MAIN, "enabled app without Main or Program TLV",
                           total_size)
        return img
    _check_program(img)
    return img


def iter_tbfs(blob: bytes, start: int = 0):
    """Yield (offset, TbfImage or TbfError) for each image in an app area.

    Stops at zero fill or erased flash (END, not yielded), at the end of
    blob, and after an error that leaves no trusted total_size (yielded).
    """
    offset = start
    while offset < len(blob):
        try:
            img = parse_tbf(blob, offset)
        except TbfError as err:
            if err.code == ERR_END:
                return
            yield offset, err
            if not err.skippable:
                return
            offset += err.total_size
            continue
        yield offset, img
        offset += img.total_size
