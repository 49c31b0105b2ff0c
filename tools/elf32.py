"""Just enough of a 32-bit little-endian ELF reader for the app packer.

Reads section headers, program headers, the symbol table and REL relocation
sections of an ARM executable. No third-party modules: /usr/bin/python3 on
a fresh Debian has none of the ELF libraries.
"""
from dataclasses import dataclass
import struct

ELF_MAGIC = b"\x7fELF"
ELFCLASS32 = 1
ELFDATA2LSB = 1
EM_ARM = 40

SHT_SYMTAB = 2
SHT_RELA = 4
SHT_NOBITS = 8
SHT_REL = 9
SHF_WRITE = 0x1
SHF_ALLOC = 0x2
SHF_EXECINSTR = 0x4

PT_LOAD = 1

SHN_UNDEF = 0
SHN_ABS = 0xFFF1

EHDR_FORMAT = "<16sHHIIIIIHHHHHH"
SHDR_FORMAT = "<IIIIIIIIII"
PHDR_FORMAT = "<IIIIIIII"
SYM_FORMAT = "<IIIBBH"
REL_FORMAT = "<II"


class ElfError(Exception):
    pass


@dataclass
class Section:
    index: int
    name: str
    type: int
    flags: int
    addr: int
    offset: int
    size: int
    link: int
    info: int
    entsize: int


@dataclass
class Segment:
    type: int
    offset: int
    vaddr: int
    paddr: int
    filesz: int
    memsz: int


@dataclass
class Symbol:
    name: str
    value: int
    size: int
    info: int
    shndx: int


@dataclass
class Reloc:
    offset: int      # address of the relocated place (final, with --emit-relocs)
    type: int
    symbol: Symbol


class Elf32:
    def __init__(self, data: bytes):
        self.data = data
        if len(data) < struct.calcsize(EHDR_FORMAT) or data[:4] != ELF_MAGIC:
            raise ElfError("not an ELF file")
        (ident, _etype, machine, _version, self.entry, phoff, shoff, _flags, _ehsize,
         phentsize, phnum, shentsize, shnum, shstrndx) = struct.unpack_from(EHDR_FORMAT, data)
        if ident[4] != ELFCLASS32 or ident[5] != ELFDATA2LSB or machine != EM_ARM:
            raise ElfError("not a 32-bit little-endian ARM ELF")
        self.sections = [self._section(i, shoff + i * shentsize) for i in range(shnum)]
        names = self.sections[shstrndx] if shnum else None
        for s in self.sections:
            s.name = self._string(names, s.name) if names else ""
        self.segments = [Segment(*struct.unpack_from(PHDR_FORMAT, data, phoff + i * phentsize)[:6])
                         for i in range(phnum)]
        self.symbols = self._symbols()

    def _section(self, index, off):
        (name, stype, flags, addr, offset, size, link, info, _align,
         entsize) = struct.unpack_from(SHDR_FORMAT, self.data, off)
        return Section(index, name, stype, flags, addr, offset, size, link, info, entsize)

    def _string(self, strtab, offset):
        start = strtab.offset + offset
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode("utf-8", "replace")

    def _symbols(self):
        tabs = [s for s in self.sections if s.type == SHT_SYMTAB]
        if not tabs:
            return []
        tab = tabs[0]
        strtab = self.sections[tab.link]
        out = []
        for off in range(tab.offset, tab.offset + tab.size, struct.calcsize(SYM_FORMAT)):
            name, value, size, info, _other, shndx = struct.unpack_from(SYM_FORMAT, self.data, off)
            out.append(Symbol(self._string(strtab, name), value, size, info, shndx))
        return out

    def section(self, name):
        for s in self.sections:
            if s.name == name:
                return s
        return None

    def symbol(self, name):
        for s in self.symbols:
            if s.name == name:
                return s
        return None

    def contents(self, section):
        if section.type == SHT_NOBITS:
            return bytes(section.size)
        return self.data[section.offset:section.offset + section.size]

    def relocations(self):
        """Yield (target section, [Reloc]) for every REL section; RELA is refused
        (ARM EABI executables use REL)."""
        for s in self.sections:
            if s.type == SHT_RELA:
                raise ElfError(f"{s.name}: RELA relocations are not expected on ARM")
            if s.type != SHT_REL:
                continue
            target = self.sections[s.info]
            relocs = []
            for off in range(s.offset, s.offset + s.size, struct.calcsize(REL_FORMAT)):
                r_offset, r_info = struct.unpack_from(REL_FORMAT, self.data, off)
                sym_index = r_info >> 8
                if sym_index >= len(self.symbols):
                    raise ElfError(f"{s.name}: relocation names symbol {sym_index}, "
                                   f"table has {len(self.symbols)}")
                relocs.append(Reloc(r_offset, r_info & 0xFF, self.symbols[sym_index]))
            yield target, relocs
