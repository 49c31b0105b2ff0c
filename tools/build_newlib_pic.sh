#!/bin/bash
# Build the position-independent newlib (libc + libm) our apps link, once
# per machine and user, into a cache outside the checkout.
#
# Why: Debian's prebuilt newlib for arm-none-eabi reaches its own data with
# absolute addresses, so an app linked against it only works at the address it
# was linked for. Our apps run from any flash slot with their data wherever
# the kernel put their RAM block, so every access to data must go through the
# GOT, found through r9 (see docs/userland.md). We rebuild Debian's
# newlib-source with the same code-generation flags as our apps.
#
# Where: $XDG_CACHE_HOME/nvkernel/newlib-pic/<version>-<key> (XDG_CACHE_HOME
# defaults to ~/.cache), where <key> is a hash of the newlib version, every
# compiler flag and configure option below: change one and a new library is
# built beside the old one. Every checkout of the same recipe shares it, and
# `make clean` leaves it alone. `make NEWLIB_PIC=/some/dir` (or a PREFIX
# argument) builds and uses another place instead.
#
# Safe against interruption and races: the library is built in a temporary
# folder next to its final place and renamed into place (one rename) only
# once installed, with a stamp file inside; a build killed half-way leaves no
# library, only a temporary folder that the next build deletes. Two builds
# of the same library take turns on a lock file: the second waits, then finds
# the first one's result.
#
# Usage: tools/build_newlib_pic.sh [PREFIX]      build unless already built
#        tools/build_newlib_pic.sh --print-prefix print where it goes, build nothing
# Environment: JOBS (parallel compile jobs, default: number of CPUs),
#   PROGRESS_EVERY (seconds between progress lines, default 15),
#   NEWLIB_TARBALL (the newlib source tarball, default Debian's).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)

TARBALL=${NEWLIB_TARBALL:-/usr/src/newlib/newlib-3.3.0.tar.xz}
VERSION=$(basename "$TARBALL" .tar.xz)
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
PROGRESS_EVERY=${PROGRESS_EVERY:-15}

# Code generation: the app flags (userland/app.mk PIC_FLAGS) plus size
# options. -ffunction-sections lets the app link drop what it does not use.
# -g costs about 10% of the compile time and lets gdb step into newlib.
TARGET_CFLAGS="-mcpu=cortex-m3 -mthumb -mfloat-abi=soft -Os -g \
-fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative \
-ffunction-sections -fdata-sections -fno-unwind-tables -fno-asynchronous-unwind-tables \
-DPREFER_SIZE_OVER_SPEED -D__OPTIMIZE_SIZE__"

# newlib-nano-like configuration: small reentrancy structure, small malloc,
# integer-only printf/scanf unless the app asks for float, no syscalls (our
# userland/sys.c provides them), no multilibs.
CONFIG_OPTS=(
    --target=arm-none-eabi
    --disable-multilib
    --disable-nls
    --disable-newlib-supplied-syscalls
    --enable-newlib-reent-small
    --enable-newlib-nano-malloc
    --enable-newlib-nano-formatted-io
    --disable-newlib-fvwrite-in-streamio
    --disable-newlib-fseek-optimization
    --disable-newlib-wide-orient
    --disable-newlib-unbuf-stream-opt
    --enable-newlib-global-atexit
    --enable-lite-exit
)

# What the stamp certifies; its hash names the cache folder. Bump the
# revision when the way of building changes without a flag changing.
RECIPE="$VERSION pic-r9 rev2 | $TARGET_CFLAGS | ${CONFIG_OPTS[*]}"
KEY=$(printf '%s' "$RECIPE" | sha256sum | cut -c1-12)
CACHE=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/nvkernel/newlib-pic

# The count of objects and sub-configures of one build of this recipe
# (measured), for the progress lines.
EXPECTED_OBJECTS=990
EXPECTED_CONFIGURES=10

if [ "${1:-}" = "--print-prefix" ]; then
    echo "$CACHE/$VERSION-$KEY"
    exit 0
fi
PREFIX=$(realpath -m "${1:-$CACHE/$VERSION-$KEY}")
STAMP="$PREFIX/.built"

built() { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$RECIPE" ]; }
built && exit 0

if [ ! -f "$TARBALL" ]; then
    echo "build_newlib_pic: $TARBALL missing; install it with: apt-get install newlib-source" >&2
    exit 1
fi
if ! mkdir -p "$(dirname "$PREFIX")" 2>/dev/null; then
    echo "build_newlib_pic: cannot create $(dirname "$PREFIX");" \
        "set XDG_CACHE_HOME, or NEWLIB_PIC=<folder> on the make command line" >&2
    exit 1
fi

# One build of a given library at a time: wait for a running one, then use
# its result. (Without flock, builds race; the rename below still lets only
# a complete library into place.)
exec 9>"$PREFIX.lock"
if command -v flock >/dev/null && ! flock -n 9; then
    echo "NEWLIB waiting for another build of $PREFIX to finish"
    flock 9
fi
built && exit 0

# Anything left now is from a build that died: we hold the lock.
rm -rf "$PREFIX".tmp.*
if [ -e "$PREFIX" ]; then
    case "$PREFIX" in
    "$CACHE"/*) rm -rf "$PREFIX" ;; # ours, but not a finished build of this recipe
    *)
        echo "build_newlib_pic: $PREFIX exists but holds no finished build of this" \
            "recipe; remove it or choose another NEWLIB_PIC" >&2
        exit 1
        ;;
    esac
fi
TMP=$(mktemp -d "$PREFIX.tmp.XXXXXX")
MONITOR=
cleanup() {
    set +e # everything here must run, whatever failed
    [ -n "$MONITOR" ] && kill "$MONITOR" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start=$(date +%s)
elapsed() {
    local s=$(($(date +%s) - start))
    printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# A line every PROGRESS_EVERY seconds (plain lines: CI logs are not
# terminals): how many of newlib's sub-configures, then objects, are done.
progress() {
    local obj=$TMP/obj/arm-none-eabi/newlib configs objects parent=$$
    exec 9>&- # never keep the lock alive on our own
    while sleep "$PROGRESS_EVERY" && kill -0 "$parent" 2>/dev/null; do
        configs=$(find "$obj" -name config.status 2>/dev/null | wc -l)
        objects=$(find "$obj" -name '*.o' -not -path "$obj/tmp/*" 2>/dev/null | wc -l)
        if [ "$objects" -eq 0 ]; then
            echo "NEWLIB   configuring: $configs of $EXPECTED_CONFIGURES parts, $(elapsed)"
        else
            echo "NEWLIB   compiling: $objects of about $EXPECTED_OBJECTS objects, $(elapsed)"
        fi
    done
}

# step NAME LOG COMMAND...: run one phase, its output in a log; on failure
# show the end of the log.
step() {
    local name=$1 log=$TMP/$2
    shift 2
    if ! "$@" >"$log" 2>&1 9>&-; then
        echo "build_newlib_pic: $name failed after $(elapsed); end of $log:" >&2
        tail -n 30 "$log" >&2
        cp "$log" "$(dirname "$PREFIX")/last-failure.log" 2>/dev/null &&
            echo "build_newlib_pic: full log kept in $(dirname "$PREFIX")/last-failure.log" >&2
        exit 1
    fi
}

echo "NEWLIB building the position-independent newlib once for this machine and user"
echo "NEWLIB   into $PREFIX (under a minute on 2 idle cores; later checkouts reuse it)"
mkdir -p "$TMP/src" "$TMP/obj"
step unpacking unpack.log tar xJf "$TARBALL" -C "$TMP/src" --strip-components=1
echo "NEWLIB   unpacked $VERSION, configuring ($(elapsed))"

progress &
MONITOR=$!

# Configure runs about ten configure scripts one after another; dash runs
# them about 40% faster than bash (CONFIG_SHELL is inherited by all of them).
SH=/bin/sh
[ -x /bin/dash ] && SH=/bin/dash
cd "$TMP/obj"
step configure configure.log env CONFIG_SHELL="$SH" "$SH" "$TMP/src/configure" \
    "${CONFIG_OPTS[@]}" --prefix="$TMP/out" \
    CC_FOR_TARGET=arm-none-eabi-gcc AR_FOR_TARGET=arm-none-eabi-ar \
    AS_FOR_TARGET=arm-none-eabi-as LD_FOR_TARGET=arm-none-eabi-ld \
    NM_FOR_TARGET=arm-none-eabi-nm RANLIB_FOR_TARGET=arm-none-eabi-ranlib \
    CFLAGS_FOR_TARGET="$TARGET_CFLAGS"
# all-target-newlib: newlib alone (libc and libm; libm also supplies libc's
# frexp, ldexp, isnan and friends). No libgloss, no info documentation.
step compile build.log make -j"$JOBS" all-target-newlib
kill "$MONITOR" 2>/dev/null || true
MONITOR=
echo "NEWLIB   compiled, installing ($(elapsed))"
step install install.log make install-target-newlib
cd "$ROOT"

# libg.a is a second copy of libc.a (for -lg); nothing links it.
rm -f "$TMP/out/arm-none-eabi/lib/libg.a"
mv "$TMP"/*.log "$TMP/out/"
echo "$RECIPE" >"$TMP/out/.built"
# The one step that makes the library visible: a rename within one folder.
if ! mv -T "$TMP/out" "$PREFIX" 2>/dev/null; then
    built || { echo "build_newlib_pic: could not move the library to $PREFIX" >&2; exit 1; }
fi
echo "NEWLIB done in $(elapsed): $PREFIX/arm-none-eabi/lib/{libc,libm}.a"
