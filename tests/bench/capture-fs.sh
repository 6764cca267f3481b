# Sourced by bench-live.sh and profile-live.sh: where the captures of a live benchmark go. On a tmpfs of their own by
# default (as the measurements were made), so that no capture's disk speed or writeback (which the kernel's
# flusher threads do for tcpdump's buffered writes, outside its CPU time) is counted; CAPTURE_FS=disk writes under var/.
CAPTURE_FS=${CAPTURE_FS:-tmpfs}

# capture_fs_reset OUT DIR NAME: empties OUT (unmounting DIR left by an interrupted run) and creates DIR, on a tmpfs
# called NAME unless CAPTURE_FS=disk.
capture_fs_reset() {
  local out=$1 dir=$2 name=$3
  [ ! -d "$dir" ] || umount "$dir" 2>/dev/null || true
  rm -rf "$out"; mkdir -p "$dir"
  [ "$CAPTURE_FS" = disk ] || mount -t tmpfs -o size=4g "$name" "$dir"
}

# capture_fs_release DIR: unmounts what capture_fs_reset mounted.
capture_fs_release() {
  [ "$CAPTURE_FS" = disk ] || umount "$1" 2>/dev/null || true
}
