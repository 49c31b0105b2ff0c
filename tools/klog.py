#!/usr/bin/python3
"""Turn the kernel's dictionary-encoded log records back into text lines.

To save kernel flash, the kernel does not keep its log format strings in the
flashed image. They live in the kernel ELF's section .log_text, which is
never loaded (not SHF_ALLOC): each string there is NUL-terminated and is a
whole line's printf-style format, prefix included, without the newline. For
each log line the kernel sends one record on the UART instead of the text:

    record := RS addr { SP arg } LF
    RS     := the byte 0x1E
    addr   := the format's address in .log_text, lowercase hex
    arg    := hex             a 32-bit argument word (64-bit for %lld and co.)
            | "$" hex         a string that itself lives in .log_text
            | '"' chars '"'   a string from memory: printable ASCII as is;
                              '"', '\\' and any other byte as \\xNN (\\" and
                              \\\\ are accepted too)

Arguments come in the order of the format's conversions; a NULL string is the
word 0. This module expands each record exactly as the kernel's formatter
(kernel/fmt.c) would have printed the line, followed by "\\n", except that a
string from memory is shown as UTF-8 text with control bytes and bytes that
are not UTF-8 as \\xNN: an app's name can never break or forge a line.
Bytes outside records pass through unchanged, and records may start
anywhere, even in the middle of an app's line. docs/logging.md has the full story.

Nothing here raises on bad input: a record that cannot be decoded (bad hex,
unknown address, wrong number or kind of arguments, cut off) is shown whole
as `[klog: undecodable: \\x1e...]`, followed by "\\n" if it had its LF. With
no .log_text section (or no readable ELF), everything passes through.

Use:
  Decoder.for_kernel(elf)     a streaming decoder: feed() chunks of bytes or
                              str, get the decoded text back at once (only
                              an unfinished record is held); flush() at the end
  decode(elf, data)           a whole output at once (bytes or str)
  tools/klog.py --kernel build/kernel.elf [FILE]
                              decode FILE (or stdin) to stdout, e.g. a log
                              saved from QEMU run by hand

Standard library only: the ELF's section headers are read with struct.
"""
import argparse
import io
import os
import re
import struct
import sys

RS = 0x1E                 # starts a record
LF = 0x0A                 # ends one
SECTION = b".log_text"
SHT_NOBITS = 8
MAX_RECORD = 2048         # bytes; the kernel's longest record is far shorter
MASK32 = 0xFFFFFFFF

# A byte that never occurs inside a record: it ends the one being received.
NOT_IN_RECORD = re.compile(rb"[^\x20-\x7e]")
HEX = re.compile(rb"[0-9a-f]+")
CONTROL = re.compile("[\x00-\x1f\x7f]")


class Dictionary:
    """The strings of .log_text, by address."""

    def __init__(self, addr, data):
        self.addr = addr
        self.data = bytes(data)

    def string(self, addr):
        """The string starting at addr, or None if no string starts there."""
        off = addr - self.addr
        if not 0 <= off < len(self.data) or (off > 0 and self.data[off - 1] != 0):
            return None
        end = self.data.find(b"\0", off)
        return self.data[off:] if end < 0 else self.data[off:end]


_cache = {}  # path -> ((mtime, size), Dictionary or None)


def load(path):
    """The Dictionary of the kernel ELF at path; None if it has no .log_text
    or cannot be read. Cached while the file is unchanged."""
    try:
        st = os.stat(path)
        key = (st.st_mtime_ns, st.st_size)
        if path in _cache and _cache[path][0] == key:
            return _cache[path][1]
        with open(path, "rb") as f:
            data = f.read()
    except (OSError, TypeError, ValueError):
        return None
    found = _log_text(data)
    _cache[path] = (key, found)
    return found


def _log_text(data):
    """The .log_text section of an ELF32 little-endian image, or None."""
    try:
        if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
            return None
        shoff, = struct.unpack_from("<I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)

        def header(i):
            # name, type, flags, addr, offset, size
            return struct.unpack_from("<IIIIII", data, shoff + i * shentsize)

        names = header(shstrndx)[4]
        for i in range(shnum):
            name, stype, _flags, addr, offset, size = header(i)
            end = data.index(b"\0", names + name)
            if data[names + name:end] != SECTION:
                continue
            if stype == SHT_NOBITS or offset + size > len(data):
                return None
            return Dictionary(addr, data[offset:offset + size])
    except (struct.error, IndexError, ValueError):
        pass
    return None


class Bad(Exception):
    """A record that cannot be decoded: raised by expand() and format_line(),
    turned into an `undecodable` line by Decoder."""


# ---------------------------------------------------------------- one record

def _parse(body):
    """Split a record's body (between RS and LF) into the format address and
    its arguments: ("num", int), ("str", bytes) or ("ref", address)."""
    def hex_at(pos):
        m = HEX.match(body, pos)
        if not m:
            raise Bad("hex expected")
        return int(m.group(), 16), m.end()

    addr, pos = hex_at(0)
    args = []
    while pos < len(body):
        if body[pos] != 0x20:
            raise Bad("space expected")
        pos += 1
        if body[pos:pos + 1] == b"$":
            value, pos = hex_at(pos + 1)
            args.append(("ref", value))
        elif body[pos:pos + 1] == b'"':
            text, pos = _quoted(body, pos + 1)
            args.append(("str", text))
        else:
            value, pos = hex_at(pos)
            args.append(("num", value))
    return addr, args


def _quoted(body, pos):
    """A quoted string's bytes from just after its opening quote; returns
    (bytes, position after the closing quote)."""
    out = bytearray()
    while pos < len(body):
        c = body[pos]
        if c == 0x22:                            # closing '"'
            return bytes(out), pos + 1
        if c != 0x5C:                            # not '\': as is
            out.append(c)
            pos += 1
            continue
        nxt = body[pos + 1:pos + 2]
        if nxt in (b'"', b"\\"):
            out += nxt
            pos += 2
        elif nxt == b"x" and re.fullmatch(rb"[0-9a-f]{2}", body[pos + 2:pos + 4]):
            out.append(int(body[pos + 2:pos + 4], 16))
            pos += 4
        else:
            raise Bad("bad escape")
    raise Bad("unterminated quote")


def _shown(raw):
    """A string argument from memory (an app's name can hold anything) as
    it is shown: valid UTF-8 as text, but a control byte or a byte that is
    not UTF-8 as \\xNN, so that it can never break or forge a line."""
    text = raw.decode("utf-8", "backslashreplace")
    return CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()), text).encode("utf-8")


def expand(dictionary, body):
    """The line a record stands for (without its newline); Bad if the
    record is ill-formed."""
    addr, args = _parse(body)
    fmt = dictionary.string(addr)
    if fmt is None:
        raise Bad("no format at that address")
    return format_line(fmt, args, dictionary)


def format_line(fmt, args, dictionary=None):
    """fmt (bytes) with record arguments, formatted exactly as kernel/fmt.c
    does; Bad on too few or too many arguments or one of the wrong kind."""
    args = list(args)
    out = bytearray()

    def number(bits):
        if not args or args[0][0] != "num" or args[0][1] >> bits:
            raise Bad("number argument expected")
        return args.pop(0)[1]

    def string():
        if not args:
            raise Bad("string argument expected")
        kind, value = args.pop(0)
        if kind == "str":
            return _shown(value)
        if kind == "ref" and dictionary is not None and dictionary.string(value) is not None:
            return dictionary.string(value)
        if kind == "num" and value == 0:
            return b"(null)"                     # what fmt.c prints for NULL
        raise Bad("string argument expected")

    p, n = 0, len(fmt)
    while p < n:
        if fmt[p] != 0x25:                       # not '%'
            out.append(fmt[p])
            p += 1
            continue
        spec = p
        p += 1
        left, pad = False, b" "
        while p < n and fmt[p] in b"0-":         # flags
            if fmt[p] == 0x2D:
                left = True
            else:
                pad = b"0"
            p += 1
        width = 0
        while p < n and 0x30 <= fmt[p] <= 0x39:  # field width (C unsigned)
            width = (width * 10 + fmt[p] - 0x30) & MASK32
            p += 1
        longs = 0
        while p < n and fmt[p] == 0x6C and longs < 2:  # 'l', 'll'
            longs += 1
            p += 1
        conv = chr(fmt[p]) if p < n else ""
        bits = 64 if longs == 2 else 32
        if conv in ("d", "i"):
            v = number(bits)
            if v >> (bits - 1):
                v -= 1 << bits                   # the word is signed
            _padded(out, b"%d" % v, width, left, pad)
        elif conv in ("u", "x", "X"):
            v = number(bits)
            text = {"u": b"%d", "x": b"%x", "X": b"%X"}[conv] % v
            _padded(out, text, width, left, pad)
        elif conv == "p":
            _padded(out, b"0x%x" % number(32), width, left, b" ")
        elif conv == "c":
            _padded(out, bytes([number(32) & 0xFF]), width, left, b" ")
        elif conv == "s":
            _padded(out, string(), width, left, b" ")
        elif conv == "%":
            out += b"%"
        else:
            # Unknown or cut-off conversion: copied through as text.
            out += fmt[spec:p + 1]
        p += 1
    if args:
        raise Bad("more arguments than conversions")
    return bytes(out)


def _padded(out, s, width, left, pad):
    """fmt.c put_padded(): pad to width, zeros after a minus sign."""
    fill = width - len(s) if width > len(s) else 0
    if not left and pad == b"0" and s[:1] == b"-":
        out += b"-"
        s = s[1:]
    if not left:
        out += pad * fill
    out += s
    if left:
        out += b" " * fill


def undecodable(body, had_lf):
    """How an ill-formed record is shown: whole, RS as \\x1e, newline if it
    had one."""
    shown = "".join(chr(c) if 0x20 <= c <= 0x7E else f"\\x{c:02x}" for c in body)
    return f"[klog: undecodable: \\x1e{shown}]".encode() + (b"\n" if had_lf else b"")


# ---------------------------------------------------------------- streams

class Decoder:
    """Decode a stream fed in chunks. feed() returns at once the text of
    everything but an unfinished record (so a prompt with no newline still
    shows); flush() ends the stream. Returns bytes for bytes, str for str.
    With dictionary None, everything passes through."""

    def __init__(self, dictionary):
        self.dictionary = dictionary
        self.record = None          # bytes of the record being received, after RS
        self.text = False           # the last feed() was str: flush() returns str

    @classmethod
    def for_kernel(cls, elf):
        return cls(load(elf))

    def feed(self, data):
        self.text = isinstance(data, str)
        if not self.text:
            return self.feed_bytes(data)
        try:
            raw = data.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:           # a lone surrogate of another kind
            raw = data.encode("utf-8", "surrogatepass")
        return self._str(self.feed_bytes(raw))

    def flush(self):
        """The end of the stream: a record still open is shown undecodable."""
        out = b""
        if self.record is not None:
            out = undecodable(self.record, False)
            self.record = None
        return self._str(out) if self.text else out

    @staticmethod
    def _str(data):
        return data.decode("utf-8", "replace")

    def feed_bytes(self, data):
        if self.dictionary is None:
            return bytes(data)
        out = bytearray()
        i, n = 0, len(data)
        while i < n:
            if self.record is None:
                start = data.find(b"\x1e", i)
                if start < 0:
                    out += data[i:]
                    break
                out += data[i:start]
                self.record = bytearray()
                i = start + 1
                continue
            # In a record: take printable bytes up to the LF, or up to the
            # first byte that cannot be in a record, which ends it ill-formed
            # and is then looked at again outside. So is a record's
            # (MAX_RECORD + 1)-th byte: a stray RS never holds back much text.
            m = NOT_IN_RECORD.search(data, i)
            end = m.start() if m else n
            take = min(end, i + MAX_RECORD - len(self.record))
            self.record += data[i:take]
            i = take
            if i == n:
                break                       # the rest comes in a later chunk
            if i == end and data[i] == LF:
                out += self._finish(bytes(self.record))
                i += 1
            else:
                out += undecodable(self.record, False)
            self.record = None
        return bytes(out)

    def _finish(self, body):
        try:
            return expand(self.dictionary, body) + b"\n"
        except Bad:
            return undecodable(body, True)


class Reader(io.RawIOBase):
    """A binary stream of the decoded output of another (e.g. a pipe from
    QEMU): wrap it in io.TextIOWrapper(io.BufferedReader(...)) to read
    decoded text lines as they come."""

    def __init__(self, raw, decoder):
        super().__init__()
        self.raw, self.decoder, self.left = raw, decoder, b""

    def readable(self):
        return True

    def readinto(self, buf):
        while not self.left and self.decoder is not None:
            chunk = self.raw.read1(65536) if hasattr(self.raw, "read1") else \
                self.raw.read(65536)
            if chunk:
                self.left = self.decoder.feed_bytes(chunk)
            else:
                self.left, self.decoder = self.decoder.flush(), None   # the end
        n = min(len(buf), len(self.left))
        buf[:n] = self.left[:n]
        self.left = self.left[n:]
        return n


def decode(elf, data):
    """A whole output (bytes or str) decoded with the kernel ELF's
    dictionary, in the same type."""
    d = Decoder.for_kernel(elf)
    return d.feed(data) + d.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", required=True, help="the kernel ELF that wrote the log")
    ap.add_argument("file", nargs="?", help="the log (default: stdin)")
    args = ap.parse_args()
    decoder = Decoder.for_kernel(args.kernel)
    if decoder.dictionary is None:
        print(f"klog.py: {args.kernel}: no readable .log_text section; passing the log "
              "through unchanged", file=sys.stderr)
    try:
        fd = os.open(args.file, os.O_RDONLY) if args.file else sys.stdin.fileno()
    except OSError as e:
        sys.exit(f"klog.py: {args.file}: {e.strerror}")
    # Chunk by chunk, so a live stream (QEMU piped in) shows as it comes.
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        sys.stdout.buffer.write(decoder.feed(chunk))
        sys.stdout.buffer.flush()
    sys.stdout.buffer.write(decoder.flush())
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
