#!/bin/sh
# Make sure every Debian package the build and the tests need is installed.
#
# Called by `make` before it builds, runs or tests anything. As root it
# installs what is missing with apt-get (after `apt-get update`); as anyone
# else it prints the exact command to run and fails. It never touches a
# package that is already installed, so a second run costs one dpkg query.
set -eu

# Package list, one line per purpose.
PACKAGES="
gcc-arm-none-eabi libnewlib-arm-none-eabi newlib-source
qemu-system-arm gdb-multiarch
gcc make xz-utils bear
libcmocka-dev python3 python3-pytest
clang libclang-rt-14-dev
"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $pkg" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "setup: missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run this once as root, then retry:"
    echo "    sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
fi

echo "setup: installing them with apt-get (this happens once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # the list is meant to split into words
apt-get install -y --no-install-recommends $missing
echo "setup: done"
