#!/bin/sh
# in-overlay.sh WORK SOURCE — run by test-package.sh inside new mount, PID
# and network namespaces (unshare): makes WORK/root an overlay of this
# system's / whose writes land in WORK/upper, gives it its own /proc, /dev,
# /run and /tmp, and runs in-root.sh there under chroot. Nothing here reaches
# the host: the mounts end with the namespace, the only network is this
# namespace's loopback, and every process dies with the namespace's init.
set -eu
work=$1
source_dir=$2
root=$work/root
mkdir -p "$work/upper" "$work/overlay-work" "$root"
ip link set lo up
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/overlay-work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t sysfs -o ro sysfs "$root/sys" 2>/dev/null || mount --rbind -o ro /sys "$root/sys"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mkdir -p "$root/tmp/pkg"
for p in vc-scheduler vc-bridge vc-endpoint vc-province-demo; do
  cp "$work/${p}_"*.deb "$root/tmp/pkg/"
done
cp "$source_dir/tests/package/in-root.sh" "$source_dir/tests/upgrade/check-upgrade.sh" \
  "$source_dir/tests/upgrade/schema-v1.sql" "$root/tmp/pkg/"
chroot "$root" /bin/sh /tmp/pkg/in-root.sh
