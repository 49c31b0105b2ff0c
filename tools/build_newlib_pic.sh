#!/bin/bash
# Build a position-independent newlib (libc + libm) for our apps, once.
#
# Why: Debian's prebuilt newlib for arm-none-eabi reaches its own data with
# absolute addresses, so an app linked against it only works at the address it
# was linked for. Our apps run from any flash slot with their data wherever
# the kernel put their RAM block, so every access to data must go through the
# GOT, found through r9 (see docs/userland.md). We rebuild Debian's
# newlib-source with the same code-generation flags as our apps.
#
# Output: build/newlib-pic/arm-none-eabi/{lib,include}; a stamp file makes a
# second run a no-op. One multilib only (Cortex-M3, Thumb-2, soft float).
#
# Usage: tools/build_newlib_pic.sh [prefix]   (default build/newlib-pic)
set -eu
cd "$(dirname "$0")/.."

PREFIX=$(realpath -m "${1:-build/newlib-pic}")
TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
STAMP="$PREFIX/.built"
# What the stamp certifies: change this string and the library is rebuilt.
RECIPE="newlib-3.3.0 pic-r9 v1"
JOBS=${JOBS:-2}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$RECIPE" ]; then
    # Keep the stamp newer than this script, so make stops asking.
    [ "$STAMP" -nt "$0" ] || touch "$STAMP"
    exit 0
fi
if [ ! -f "$TARBALL" ]; then
    echo "build_newlib_pic: $TARBALL missing; install it with: apt-get install newlib-source" >&2
    exit 1
fi

# Code generation: the app flags (userland/app.mk PIC_FLAGS) plus size
# options. -ffunction-sections lets the app link drop what it does not use.
TARGET_CFLAGS="-mcpu=cortex-m3 -mthumb -mfloat-abi=soft -Os -g \
-fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative \
-ffunction-sections -fdata-sections -fno-unwind-tables -fno-asynchronous-unwind-tables \
-DPREFER_SIZE_OVER_SPEED -D__OPTIMIZE_SIZE__"

# newlib-nano-like configuration: small reentrancy structure, small malloc,
# integer-only printf/scanf unless the app asks for float, no syscalls (our
# userland/sys.c provides them), no multilibs.
CONFIG_OPTS=(
    --target=arm-none-eabi
    --prefix="$PREFIX"
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

WORK="$PREFIX/work"
rm -rf "$WORK" "$STAMP"
mkdir -p "$WORK/src" "$WORK/obj"
start=$(date +%s)

echo "NEWLIB unpacking $TARBALL"
tar xJf "$TARBALL" -C "$WORK/src" --strip-components=1

echo "NEWLIB configuring (log: $WORK/configure.log)"
(cd "$WORK/obj" &&
    "$WORK/src/configure" "${CONFIG_OPTS[@]}" \
        CC_FOR_TARGET=arm-none-eabi-gcc AR_FOR_TARGET=arm-none-eabi-ar \
        AS_FOR_TARGET=arm-none-eabi-as LD_FOR_TARGET=arm-none-eabi-ld \
        NM_FOR_TARGET=arm-none-eabi-nm RANLIB_FOR_TARGET=arm-none-eabi-ranlib \
        CFLAGS_FOR_TARGET="$TARGET_CFLAGS" >"$WORK/configure.log" 2>&1) || {
    tail -n 30 "$WORK/configure.log" >&2
    exit 1
}

echo "NEWLIB compiling with -j$JOBS (log: $WORK/build.log)"
(cd "$WORK/obj" && make -j"$JOBS" all-target-newlib >"$WORK/build.log" 2>&1) || {
    tail -n 30 "$WORK/build.log" >&2
    exit 1
}

echo "NEWLIB installing into $PREFIX"
(cd "$WORK/obj" && make install-target-newlib >"$WORK/install.log" 2>&1) || {
    tail -n 30 "$WORK/install.log" >&2
    exit 1
}

# Keep the logs, drop the sources and objects (about 100 MB).
mv "$WORK"/*.log "$PREFIX/" 2>/dev/null || true
rm -rf "$WORK"
echo "$RECIPE" >"$STAMP"
echo "NEWLIB done in $(($(date +%s) - start)) s: $PREFIX/arm-none-eabi/lib/{libc,libm}.a"
