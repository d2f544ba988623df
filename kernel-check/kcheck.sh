#!/usr/bin/env bash
# kernel-check's tool: builds the scenario module for one of Debian's 6.1 i386 kernels and
# boots that kernel under qemu with it. kmap-stress kernel-check calls it; by hand:
#   kcheck.sh build FLAVOUR                      FLAVOUR: 686-pae or 686; prints the base initramfs
#   kcheck.sh boot FLAVOUR PARAMS CPUS SERIAL    boots with the module parameters in file PARAMS,
#                                                CPUS+1 CPUs (the last one runs the controller),
#                                                the serial console written to file SERIAL
# The kernels, headers and busybox come from `kcheck.sh`'s sibling install.sh, unpacked in
# $KMAP_STRESS_KERNEL_CACHE (default ~/.cache/kmap-stress/kernel). Exit 2: something missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KMAP_STRESS_KERNEL_CACHE:-$HOME/.cache/kmap-stress/kernel}"
boot_timeout="${KMAP_STRESS_BOOT_TIMEOUT:-300}"

# No "kernel-check:" prefix: kmap-stress kernel-check relays the line with its own.
die() { echo "$*" >&2; exit 2; }

flavour="${2:-}"
case "$flavour" in 686-pae|686) ;; *) die "unknown kernel flavour '$flavour' (686-pae or 686)";; esac
[ -f "$cache/abi" ] || die "no kernels in $cache: run ./kmap-stress kernel-check --install (as root)"
abi=$(cat "$cache/abi")
release="$abi-$flavour"
headers="$cache/root/usr/src/linux-headers-$release"
vmlinuz="$cache/root/boot/vmlinuz-$release"
build="$cache/build/$release"
for tool in i686-linux-gnu-gcc qemu-system-i386 cpio gzip make; do
  command -v "$tool" >/dev/null || die "'$tool' is missing: run ./kmap-stress kernel-check --install (as root)"
done
[ -d "$headers" ] && [ -f "$vmlinuz" ] || die "$release is not unpacked in $cache: run ./kmap-stress kernel-check --install"

build() {
  local stamp="$build/initramfs.cpio.gz"
  if [ -f "$stamp" ] && [ -z "$(find "$here/module" "$here/initramfs" -newer "$stamp" -print -quit)" ]; then
    echo "$stamp"; return
  fi
  rm -rf "$build" && mkdir -p "$build/module" "$build/root/bin" "$build/root/proc" "$build/root/dev"
  cp "$here/module/kcheck.c" "$here/module/Kbuild" "$build/module/"
  # The headers' Makefile includes the common headers by their installed path; ours are unpacked.
  sed -i "s|^include /usr/src/|include $cache/root/usr/src/|" "$headers/Makefile"
  make -s -C "$headers" M="$build/module" ARCH=x86 CROSS_COMPILE=i686-linux-gnu- \
    CC=i686-linux-gnu-gcc modules >&2 || die "the module did not build against $release"
  cp "$build/module/kcheck.ko" "$cache/root/bin/busybox" "$build/root/" 2>/dev/null
  mv "$build/root/busybox" "$build/root/bin/busybox"
  cp "$here/initramfs/init" "$build/root/init"
  (cd "$build/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$stamp.tmp"
  mv "$stamp.tmp" "$stamp"
  echo "$stamp"
}

boot() {
  local params="$3" cpus="$4" serial="$5" base work
  base=$(build)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  mkdir "$work/root" && cp "$params" "$work/root/params"
  # A second archive appended to the first adds /params (the kernel unpacks both).
  (cd "$work/root" && echo params | cpio -o -H newc --quiet) | gzip -1 > "$work/params.cpio"
  cat "$base" "$work/params.cpio" > "$work/initrd"
  # no_timer_check: on a loaded host TCG can miss the boot-time check that the timer IRQ works,
  # and the kernel then panics ("IO-APIC + timer doesn't work!") before /init.
  nice -n 5 timeout "$boot_timeout" qemu-system-i386 -accel tcg -smp $((cpus + 1)) -m 1G \
    -nographic -no-reboot -monitor none -display none -serial "file:$serial" \
    -kernel "$vmlinuz" -initrd "$work/initrd" \
    -append "console=ttyS0 loglevel=6 printk.time=0 panic=-1 nokaslr no_timer_check" >/dev/null 2>&1 \
    || die "qemu did not power off by itself within ${boot_timeout}s (exit $?)"
}

case "${1:-}" in
  build) build ;;
  boot) [ $# -eq 5 ] || die "usage: kcheck.sh boot FLAVOUR PARAMS CPUS SERIAL"; boot "$@" ;;
  *) die "usage: kcheck.sh build FLAVOUR | boot FLAVOUR PARAMS CPUS SERIAL" ;;
esac
