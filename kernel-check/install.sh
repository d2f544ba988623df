#!/usr/bin/env bash
# Installs what kernel-check needs, idempotently: host tools (qemu, the i686 cross compiler, cpio)
# with apt-get, and Debian's 6.1 i386 kernels, their headers, kbuild and a static i386 busybox
# fetched with `apt-get download` and unpacked with `dpkg-deb -x` into the cache folder
# (nothing of them is installed on the host). Without root it only prints the commands.
#   usage: install.sh [CACHE]      (default: $KMAP_STRESS_KERNEL_CACHE or ~/.cache/kmap-stress/kernel)
set -euo pipefail
cache="${1:-${KMAP_STRESS_KERNEL_CACHE:-$HOME/.cache/kmap-stress/kernel}}"
host_packages=(qemu-system-x86 gcc-i686-linux-gnu cpio)

if [ "$(id -u)" != 0 ]; then
  cat <<MSG
kernel-check --install needs root. Run as root:
  dpkg --add-architecture i386
  apt-get update
  apt-get install -y ${host_packages[*]}
  ./kmap-stress kernel-check --install     (downloads the i386 kernels into $cache)
MSG
  exit 2
fi

if ! dpkg --print-foreign-architectures | grep -qx i386; then
  dpkg --add-architecture i386
  apt-get -o DPkg::Lock::Timeout=600 update -q
elif ! apt-cache show busybox-static:i386 >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update -q
fi
missing=()
for p in "${host_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
fi

# The ABI (6.1.0-NN) is the one Debian's meta package currently points at.
abi=$(apt-cache depends linux-image-686-pae:i386 | sed -n 's/.*Depends: linux-image-\(6\.1\.0-[0-9]*\)-686-pae.*/\1/p' | head -1)
[ -n "$abi" ] || { echo "kernel-check: cannot find the 6.1 ABI of linux-image-686-pae:i386" >&2; exit 2; }
version=$(apt-cache show "linux-headers-$abi-common" | sed -n 's/^Version: //p' | head -1)
packages=(
  "linux-image-$abi-686-pae:i386" "linux-image-$abi-686:i386"
  "linux-headers-$abi-686-pae:i386" "linux-headers-$abi-686:i386"
  "linux-headers-$abi-common" "linux-kbuild-6.1:amd64=$version" "busybox-static:i386"
)
mkdir -p "$cache/debs" "$cache/root"
if [ -f "$cache/abi" ] && [ "$(cat "$cache/abi")" = "$abi" ] && [ -d "$cache/root/usr/src/linux-headers-$abi-686-pae" ]; then
  echo "kernel-check: $abi already unpacked in $cache"
  exit 0
fi
(cd "$cache/debs" && apt-get download "${packages[@]}")
rm -rf "$cache/root.new" && mkdir "$cache/root.new"
for deb in "$cache"/debs/*"$abi"*.deb "$cache"/debs/linux-kbuild-6.1_*"${version//:/%3a}"*.deb "$cache"/debs/busybox-static_*_i386.deb; do
  dpkg-deb -x "$deb" "$cache/root.new"
done
rm -rf "$cache/root" && mv "$cache/root.new" "$cache/root"
echo "$abi" > "$cache/abi.new" && mv "$cache/abi.new" "$cache/abi"
echo "kernel-check: Debian's $abi 686-pae and 686 kernels unpacked in $cache"
