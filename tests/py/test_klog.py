"""tools/klog.py, the decoder of the kernel's log records: each kind of
argument, escapes, the formatter's widths and flags (checked case by case
against the kernel's own kernel/fmt.c, compiled here for the host), records
anywhere in the stream and split across chunks, every kind of ill-formed
record (shown whole, never dropped, never an exception), kernels without a
dictionary, the command line, and the tools that read QEMU's output
(tools/qemu.py) decoding it.

The test kernels are tiny ELFs built here with the cross compiler: a few
strings put in .log_text by a section attribute, placed by a linker script
the way kernel/log_text.ld places the real one.
"""
import os
import random
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import elf32  # noqa: E402
import klog  # noqa: E402
import qemu  # noqa: E402

KLOG = os.path.join(ROOT, "tools", "klog.py")
TWIN_SRC = os.path.join(ROOT, "tests", "py", "support", "fmt_twin.c")
FMT_SRC = os.path.join(ROOT, "kernel", "fmt.c")
LOG_TEXT_ADDR = 0xF0000000
M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF

needs_cross = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None,
                                 reason="arm-none-eabi-gcc not installed")
needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc not installed")

# The test kernel's .log_text: C name -> string.
LOG_TEXT = {
    "app_line": b"[kernel] INFO  app '%s': flash %p (%u bytes), RAM %08x (%u bytes)%s",
    "lldebug": b"[lldebug] '%s': 0x%x",
    "owner": b", storage owner",
    "nothing": b"",
    "signs": b"[kernel] WARN  delta %d, %i, %u",
    "widths": b"[%5d|%-5d|%05d|%-05d|%08x|%-4s|%4s|%3c|%%]",
    "loaded": b"[kernel] INFO  3 apps loaded",
    "percent": b"100%% done",
    "named": b"name %s",
    "word": b"%x",
}


def c_literal(data):
    """A C string literal holding exactly these bytes."""
    return '"' + "".join(chr(c) if c < 0x80 and chr(c).isalnum() or c == 0x20
                         else f"\\{c:03o}" for c in data) + '"'


def build_kernel(folder, log_text=True, addr=LOG_TEXT_ADDR):
    """A tiny ARM ELF with LOG_TEXT's strings in .log_text at addr (or in
    .rodata, log_text=False)."""
    attr = '__attribute__((section(".log_text"), used))' if log_text else \
        "__attribute__((used))"
    src = folder / "kernel.c"
    src.write_text("".join(f"{attr} const char {name}[] = {c_literal(text)};\n"
                           for name, text in LOG_TEXT.items())
                   + "void _start(void) { for (;;) { } }\n")
    ld = folder / "kernel.ld"
    ld.write_text("SECTIONS\n{\n    .text 0x0 : { *(.text*) *(.rodata*) }\n"
                  f"    .log_text {addr:#x} (INFO) : {{ KEEP(*(.log_text)) }}\n}}\n")
    elf = folder / "kernel.elf"
    subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m3", "-mthumb", "-Os", "-nostdlib",
                    "-nostartfiles", "-T", str(ld), "-o", str(elf), str(src)],
                   check=True, capture_output=True)
    return str(elf)


class Kernel:
    """A test kernel ELF and the addresses of its strings."""

    def __init__(self, path):
        self.path = path
        self.elf = elf32.Elf32(open(path, "rb").read())

    def at(self, name):
        return self.elf.symbol(name).value

    def ref(self, name):
        return Ref(self.at(name))

    def decode(self, data):
        return klog.decode(self.path, data)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc not installed")
    return Kernel(build_kernel(tmp_path_factory.mktemp("klog")))


class Ref:
    """A string argument that lives in .log_text: sent as $address."""

    def __init__(self, addr):
        self.addr = addr


def quote(data):
    """A string from memory as a record argument."""
    out = ""
    for c in data:
        if c in b'"\\':
            out += "\\" + chr(c)
        elif 0x20 <= c <= 0x7E:
            out += chr(c)
        else:
            out += f"\\x{c:02x}"
    return '"' + out + '"'


def record(addr, *args):
    """The record the kernel writes for a line: ints are words, bytes are
    strings from memory, Ref strings in .log_text, None a NULL string."""
    words = [f"{addr:x}"]
    for a in args:
        if a is None:
            words.append("0")
        elif isinstance(a, Ref):
            words.append(f"${a.addr:x}")
        elif isinstance(a, bytes):
            words.append(quote(a))
        else:
            words.append(f"{a:x}")
    return b"\x1e" + " ".join(words).encode() + b"\n"


def bad(body, lf=True):
    """How an ill-formed record whose bytes after RS are body is shown."""
    return b"[klog: undecodable: \\x1e" + body + b"]" + (b"\n" if lf else b"")


# ---- the dictionary ----------------------------------------------------------

@needs_cross
def test_section_is_found_by_its_header_wherever_it_is(tmp_path):
    for addr in (LOG_TEXT_ADDR, 0x10000000):
        folder = tmp_path / f"at{addr:x}"
        folder.mkdir()
        k = Kernel(build_kernel(folder, addr=addr))
        section = k.elf.section(".log_text")
        assert section.addr == addr and not section.flags & elf32.SHF_ALLOC
        d = klog.load(k.path)
        assert d.addr == addr
        assert d.string(k.at("lldebug")) == LOG_TEXT["lldebug"]
        assert d.string(k.at("nothing")) == b""
        assert d.string(k.at("lldebug") + 1) is None, "not the start of a string"
        assert d.string(addr + len(d.data)) is None and d.string(addr - 1) is None


# ---- records -------------------------------------------------------------------

def test_every_kind_of_argument(kernel):
    rec = record(kernel.at("app_line"), b"boot_counter", 0x44000, 16384, 0x20012000, 8192,
                 kernel.ref("owner"))
    assert kernel.decode(rec) == b"[kernel] INFO  app 'boot_counter': flash 0x44000 " \
        b"(16384 bytes), RAM 20012000 (8192 bytes), storage owner\n"
    rec = record(kernel.at("app_line"), b"hello", 0x50000, 8192, 0x20014000, 8192,
                 kernel.ref("nothing"))
    assert kernel.decode(rec).endswith(b"RAM 20014000 (8192 bytes)\n")
    assert kernel.decode(record(kernel.at("named"), None)) == b"name (null)\n"
    assert kernel.decode(record(kernel.at("loaded"))) == b"[kernel] INFO  3 apps loaded\n"
    assert kernel.decode(record(kernel.at("lldebug"), b"conformance", 0xC0FFEE)) == \
        b"[lldebug] 'conformance': 0xc0ffee\n"


def test_escapes_in_quoted_strings(kernel):
    name = kernel.at("named")
    assert kernel.decode(b'\x1e%x "a\\"b\\\\c"\n' % name) == b'name a"b\\c\n'
    # The kernel sends quote and backslash as \xNN too; any byte can come so.
    assert kernel.decode(b'\x1e%x "\\x22\\x5c\\x41"\n' % name) == b'name "\\A\n'


def test_a_string_from_memory_can_neither_break_nor_forge_a_line(kernel):
    """An app's name is any UTF-8: a newline in it must not start a line
    that looks like the kernel's. Control bytes and bytes that are not
    UTF-8 are shown as \\xNN; valid UTF-8 is shown as text."""
    name = kernel.at("named")
    forged = b"x\n[kernel] INFO  forged\x1e\x7f"
    assert kernel.decode(record(name, forged)) == b"name x\\x0a[kernel] INFO  forged\\x1e\\x7f\n"
    assert kernel.decode(record(name, "café".encode())) == "name café\n".encode()
    assert kernel.decode(record(name, b"\xff\x80\x00")) == b"name \\xff\\x80\\x00\n"
    everything = kernel.decode(record(name, bytes(range(1, 256))))
    assert everything.count(b"\n") == 1 and everything.endswith(b"\n")


def test_signed_conversions_take_the_word_as_signed(kernel):
    assert kernel.decode(record(kernel.at("signs"), 0xFFFFFFD6, 0x80000000, 0xFFFFFFFF)) == \
        b"[kernel] WARN  delta -42, -2147483648, 4294967295\n"


def test_widths_flags_and_percent(kernel):
    rec = record(kernel.at("widths"), -42 & M32, 42, -42 & M32, 42, 0xBEEF, b"ab", b"ab",
                 ord("z"))
    assert kernel.decode(rec) == b"[  -42|42   |-0042|42   |0000beef|ab  |  ab|  z|%]\n"
    assert kernel.decode(record(kernel.at("percent"))) == b"100% done\n"


def test_record_in_the_middle_of_a_line_and_records_back_to_back(kernel):
    one = record(kernel.at("word"), 1)
    two = record(kernel.at("word"), 0xAB)
    assert kernel.decode(b"app says: " + one + b"...and goes on\n") == \
        b"app says: 1\n...and goes on\n"
    assert kernel.decode(one + two + one) == b"1\nab\n1\n"
    assert kernel.decode(b"no records at all\r\n\xff\xfe") == b"no records at all\r\n\xff\xfe"


def test_text_in_text_out(kernel):
    rec = record(kernel.at("named"), "héllo".encode()).decode()
    assert kernel.decode("é " + rec + "x") == "é name héllo\nx"


# ---- streaming -------------------------------------------------------------------

def test_a_record_split_across_chunks_anywhere(kernel):
    stream = b"prompt> " + record(kernel.at("lldebug"), b"a b\"c", 0x10) + b"after"
    whole = kernel.decode(stream)
    for cut in range(len(stream) + 1):
        d = klog.Decoder.for_kernel(kernel.path)
        assert d.feed(stream[:cut]) + d.feed(stream[cut:]) + d.flush() == whole
    d = klog.Decoder.for_kernel(kernel.path)
    assert b"".join(d.feed(bytes([c])) for c in stream) + d.flush() == whole


def test_text_before_a_record_and_prompts_pass_at_once(kernel):
    d = klog.Decoder.for_kernel(kernel.path)
    assert d.feed(b"name? ") == b"name? "
    rec = record(kernel.at("word"), 5)
    assert d.feed(b"ok " + rec[:4]) == b"ok ", "only the unfinished record is held"
    assert d.feed(rec[4:]) == b"5\n"
    assert d.feed(b"$ ") == b"$ "
    assert d.flush() == b""


def test_random_streams_never_raise_and_chunking_never_matters(kernel):
    rng = random.Random(1)
    pieces = [b"\x1e", b"\n", b" ", b"$", b'"', b"\\", b"\\x4", b"0", b"f", b"ff", b"g", b"\x00",
              b"\x80", b"text", b"%x" % kernel.at("word"), b"%x" % kernel.at("named"),
              record(kernel.at("lldebug"), b"n", 1), record(kernel.at("word"), 7)]
    for _ in range(300):
        stream = b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40)))
        whole = kernel.decode(stream)
        d = klog.Decoder.for_kernel(kernel.path)
        out, i = b"", 0
        while i < len(stream):
            n = rng.randrange(1, 8)
            out += d.feed(stream[i:i + n])
            i += n
        assert out + d.flush() == whole


# ---- ill-formed records -------------------------------------------------------------

def ill_formed(k):
    """(name, bytes after RS up to the LF) of records the decoder must refuse."""
    word, named, lld = k.at("word"), k.at("named"), k.at("lldebug")
    return [
        ("bad hex address", b"f00zz 1"),
        ("uppercase hex", b"%X 1" % word),
        ("empty address", b" 1"),
        ("unknown address", b"12345 1"),
        ("address inside a string", b"%x 1" % (word + 1)),
        ("too few arguments", b"%x" % word),
        ("too few arguments, strings", b'%x "a"' % lld),
        ("too many arguments", b"%x 1 2" % word),
        ("string where a word goes", b'%x "1"' % word),
        ("$string where a word goes", b"%x $%x" % (word, k.at("owner"))),
        ("nonzero word where a string goes", b"%x 5" % named),
        ("$ address inside a string", b"%x $%x" % (named, k.at("owner") + 2)),
        ("$ unknown address", b"%x $1" % named),
        ("bad hex argument", b"%x 12z" % word),
        ("word wider than 32 bits", b"%x 100000000" % word),
        ("unterminated quote", b'%x "abc' % named),
        ("bad escape", b'%x "a\\qb"' % named),
        ("short \\x escape", b'%x "a\\x4"' % named),
        ("two spaces", b"%x  1" % word),
        ("trailing space", b"%x 1 " % word),
        ("no address at all", b""),
    ]


def test_ill_formed_records_are_shown_whole(kernel):
    for why, body in ill_formed(kernel):
        assert kernel.decode(b"a" + b"\x1e" + body + b"\nz") == b"a" + bad(body) + b"z", why


def test_stream_ending_inside_a_record(kernel):
    cut = record(kernel.at("lldebug"), b"x", 1)[:-3]
    d = klog.Decoder.for_kernel(kernel.path)
    assert d.feed(b"end " + cut) == b"end "
    assert d.flush() == bad(cut[1:], lf=False)


def test_a_byte_no_record_holds_ends_the_record_and_is_kept(kernel):
    good = record(kernel.at("word"), 9)
    # A record cut off by another (the kernel restarted, say): both shown.
    assert kernel.decode(b"\x1e%x" % kernel.at("word") + good) == \
        bad(b"%x" % kernel.at("word"), lf=False) + b"9\n"
    # A stray RS in an app's output before a control byte or a prompt.
    assert kernel.decode(b"\x1e\tx\n") == bad(b"", lf=False) + b"\tx\n"
    assert kernel.decode(b"\x1e\xffq") == bad(b"", lf=False) + b"\xffq"


def test_a_stray_rs_never_holds_back_much(kernel):
    d = klog.Decoder.for_kernel(kernel.path)
    text = b"y" * (klog.MAX_RECORD + 10)
    assert d.feed(b"\x1e" + text) == bad(text[:klog.MAX_RECORD], lf=False) + b"y" * 10
    body = b"%x " % kernel.at("named") + quote(b"z" * (klog.MAX_RECORD - 20)).encode()
    assert len(body) <= klog.MAX_RECORD
    assert kernel.decode(b"\x1e" + body + b"\n").startswith(b"name zzz")


# ---- no dictionary ----------------------------------------------------------------

@needs_cross
def test_kernel_without_log_text_passes_everything_through(tmp_path):
    k = Kernel(build_kernel(tmp_path, log_text=False))
    assert k.elf.section(".log_text") is None
    assert klog.load(k.path) is None
    data = b"[kernel] INFO  plain\n\x1ef0000000 1\nmore"
    assert k.decode(data) == data
    assert k.decode(data.decode()) == data.decode()


def test_unreadable_or_broken_elf_passes_everything_through(tmp_path, kernel):
    data = b"x\x1e1 2\ny"
    assert klog.decode(str(tmp_path / "missing.elf"), data) == data
    assert klog.decode(None, data) == data
    junk = tmp_path / "junk.elf"
    junk.write_bytes(b"not an ELF at all")
    assert klog.decode(str(junk), data) == data
    cut = tmp_path / "cut.elf"
    whole = open(kernel.path, "rb").read()
    for size in (20, 52, len(whole) // 2, len(whole) - 10):
        cut.write_bytes(whole[:size])
        klog.decode(str(cut), data)          # never raises; no section, or the right one


# ---- against the kernel's formatter -----------------------------------------------

class W(int):
    """A 32-bit word argument."""
    c = "(unsigned)0x{:x}u"


class P(int):
    """A pointer argument (a word in the record)."""
    c = "(void *)(uintptr_t)0x{:x}u"


class L(int):
    """A 64-bit argument (%ll conversions: one word of up to 64 bits)."""
    c = "(unsigned long long)0x{:x}ull"


class S(bytes):
    """A string from memory."""


class R(bytes):
    """A string that lives in .log_text."""


NULL = None
LONG = bytes(range(0x20, 0x7F)) * 5
CORPUS = [
    (b"%d", [W(0)]), (b"%d", [W(1)]), (b"%d", [W(M32)]), (b"%d", [W(0x7FFFFFFF)]),
    (b"%d", [W(0x80000000)]), (b"%i", [W(-42 & M32)]),
    (b"%u", [W(M32)]), (b"%u", [W(0)]), (b"%x", [W(0xDEADBEEF)]), (b"%X", [W(0xDEADBEEF)]),
    (b"%x|%X", [W(0), W(0)]),
    (b"%5d|%-5d|%05d|%-05d|%1d|", [W(42)] * 5),
    (b"%5d|%-5d|%05d|%-05d|%2d|", [W(-42 & M32)] * 5),
    (b"%08x|%8x|%-8x|%2x|%08X|", [W(0x1234)] * 3 + [W(0x12345), W(0xABC)]),
    (b"%010u|%1u|%-012u|", [W(M32), W(12345), W(7)]),
    (b"%lu %lx %ld %li %lX", [W(M32), W(0xABC), W(-2 & M32), W(5), W(0xABC)]),
    (b"%lld|%llu|%llx|%llX|%lli", [L(M64), L(M64), L(0x123456789ABCDEF0), L(0xABCDEF),
                                   L(1 << 63)]),
    (b"%020lld|%-20lld|%08llx|", [L(-5 & M64), L(7), L(0x1FFFFFFFF)]),
    (b"%c%c%c", [W(0x41), W(0x142), W(0x7E)]),
    (b"%3c|%-3c|%03c|", [W(ord("a"))] * 3),
    (b"[%c]", [W(0)]),
    (b"%p", [P(0)]), (b"%p", [P(0x20001000)]), (b"%12p|%-12p|%012p|", [P(0xF00)] * 3),
    (b"%llp %lp", [P(0x1234), P(0xFFFFFFFF)]),
    (b"%s", [S(b"hello")]), (b"%s", [NULL]), (b"%10s|%-10s|%010s|", [S(b"abc")] * 3),
    (b"%3s|", [S(b"longer than three")]), (b"%-8s|%8s|", [NULL, NULL]),
    (b"%s", [S(LONG)]), (b"%700s|", [S(b"pad")]),
    (b"%s|%s", [S(b'quote " back \\ and ~'), S(b"")]),
    (b"%s and %s%s", [R(b", storage owner"), R(b""), R(b" (FAIL)")]),
    (b"%ls %llc %lc", [S(b"l"), W(0x5A), W(0x5B)]),
    (b"%%|%5%|%-%|%0%", []), (b"100%% done", []), (b"", []), (b"no conversions", []),
    (b"%q", []), (b"%5q|", []), (b"%-08q|", []), (b"%lq %llq", []), (b"%llld", []),
    (b"%", []), (b"abc %", []), (b"abc %5", []), (b"%l", []), (b"%ll", []), (b"%-", []),
    (b"%0", []), (b"%q%d", [W(3)]),
    (b"%4294967297d|", [W(7)]),            # the width is a C unsigned: it wraps to 1
    (b"%d %s %x %c %p %u", [W(-1 & M32), S(b"mix"), W(255), W(0x21), P(0x400), W(3)]),
    (b"[kernel] INFO  app '%s': flash %p (%u bytes), RAM %08x (%u bytes)%s",
     [S(b"boot_counter"), P(0x44000), W(16384), W(0x20012000), W(8192),
      R(b", storage owner")]),
]


def c_arg(a):
    if a is None:
        return "(const char *)0"
    if isinstance(a, (S, R)):
        return c_literal(a)
    return type(a).c.format(int(a))


@needs_gcc
def test_expansion_equals_the_kernel_formatter_case_by_case(tmp_path):
    """Every corpus case formatted by kernel/fmt.c (a host program) and by
    klog from a record with the same arguments: byte for byte the same."""
    (tmp_path / "fmt_cases.inc").write_text("".join(
        "CASE(" + ", ".join([c_literal(fmt)] + [c_arg(a) for a in args]) + ");\n"
        for fmt, args in CORPUS))
    twin = tmp_path / "fmt_twin"
    subprocess.run(["gcc", "-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror", "-Wno-format",
                    "-I", ROOT, "-I", str(tmp_path), "-o", str(twin), TWIN_SRC, FMT_SRC],
                   check=True)
    expected = subprocess.run([str(twin)], capture_output=True, text=True,
                              check=True).stdout.splitlines()
    assert len(expected) == len(CORPUS)

    # A dictionary holding every format and every R string, NUL-terminated.
    strings = sorted({fmt for fmt, _ in CORPUS} | {a for _, args in CORPUS for a in args
                                                   if isinstance(a, R)})
    data, where = b"", {}
    for s in strings:
        where[s] = LOG_TEXT_ADDR + len(data)
        data += s + b"\0"
    d = klog.Decoder(klog.Dictionary(LOG_TEXT_ADDR, data))
    for (fmt, args), want in zip(CORPUS, expected):
        assert want != "TRUNCATED"
        rec_args = [Ref(where[a]) if isinstance(a, R) else
                    bytes(a) if isinstance(a, S) else a for a in args]
        got = d.feed(record(where[fmt], *rec_args)) + d.flush()
        assert got == bytes.fromhex(want) + b"\n", (fmt, args)


# ---- command line -------------------------------------------------------------------

def test_command_line_decodes_a_file_and_stdin(kernel, tmp_path):
    log = tmp_path / "qemu.log"
    raw = b"boot\n" + record(kernel.at("lldebug"), b"hello", 0x2A) + b"end\n"
    log.write_bytes(raw)
    want = b"boot\n[lldebug] 'hello': 0x2a\nend\n"
    r = subprocess.run([sys.executable, KLOG, "--kernel", kernel.path, str(log)],
                       capture_output=True, check=True)
    assert r.stdout == want and r.stderr == b""
    r = subprocess.run([sys.executable, KLOG, "--kernel", kernel.path], input=raw,
                       capture_output=True, check=True)
    assert r.stdout == want


def test_command_line_without_a_dictionary_says_so_and_passes_through(tmp_path):
    raw = b"x\x1e1 2\ny"
    r = subprocess.run([sys.executable, KLOG, "--kernel", str(tmp_path / "none.elf")],
                       input=raw, capture_output=True, check=True)
    assert r.stdout == raw
    assert b"no readable .log_text section" in r.stderr


# ---- the tools that read QEMU's output ---------------------------------------------

FAKE_QEMU = r"""
import sys, time
out = sys.stdout.buffer
out.write(bytes.fromhex(sys.argv[1]))
out.flush()
time.sleep(0.2)
out.write(bytes.fromhex(sys.argv[2]))
out.flush()
sys.exit(3)
"""


def fake_qemu(kernel, first, second):
    """A command line that prints like QEMU booting this kernel (the tools
    find the ELF after -kernel) and exits with status 3."""
    return [sys.executable, "-c", FAKE_QEMU, first.hex(), second.hex(), "-kernel", kernel.path]


def test_qemu_boot_captured_and_boot_until_decode(kernel):
    import re
    rec = record(kernel.at("app_line"), b"hello", 0x50000, 8192, 0x20014000, 8192,
                 kernel.ref("nothing"))
    argv = fake_qemu(kernel, b"Hello " + rec[:10], rec[10:] + b"tail")
    line = "Hello [kernel] INFO  app 'hello': flash 0x50000 (8192 bytes), RAM 20014000 " \
           "(8192 bytes)\n"
    out, status, timed_out, _ = qemu.boot_captured(argv, 10)
    assert (out, status, timed_out) == (line + "tail", 3, False)
    found, upto = qemu.boot_until(argv, re.compile(r".*INFO  app '(\w+)'"), timeout=10)
    assert [m.group(1) for m in found] == ["hello"] and upto == line


def test_qemu_run_decodes_live_and_keeps_the_exit_status(kernel):
    argv = fake_qemu(kernel, b"name? ", record(kernel.at("word"), 0x2A) + b"bye")
    r = subprocess.run([sys.executable, "-c",
                        "import sys; sys.path.insert(0, sys.argv[1]); import qemu; "
                        "sys.exit(qemu.run_interactive(sys.argv[2:]))",
                        os.path.join(ROOT, "tools")] + argv,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    assert r.stdout == b"name? 2a\nbye"
    assert r.returncode == 3
