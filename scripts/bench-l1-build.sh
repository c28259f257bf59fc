#!/usr/bin/env bash
# Prints the clean debug build time and peak memory of the L1 crate, default features and
# `--features full`, in a separate target directory. Peak memory is the largest sum of the
# resident memory of all rustc processes, sampled every 0.2 s. Figures, not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT

measure() {
  local label=$1; shift
  CARGO_TARGET_DIR="$target" cargo build --quiet -p cfn-l1-model >/dev/null 2>&1  # dependencies first
  rm -rf "$target"/debug/.fingerprint/cfn-l1-* "$target"/debug/deps/libcfn_l1* "$target"/debug/deps/cfn_l1*
  local peak=0 start end
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$target" cargo build --quiet -p cfn-l1 "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    local kb
    kb=$(ps -C rustc -o rss= 2>/dev/null | awk '{s+=$1} END {print s+0}')
    [ "$kb" -gt "$peak" ] && peak=$kb
    sleep 0.2
  done
  wait "$pid"
  end=$(date +%s.%N)
  printf '%-8s %6.1f s  peak rustc memory %5.2f GB\n' "$label" "$(echo "$end - $start" | bc)" "$(echo "scale=2; $peak/1048576" | bc)"
}

measure default
measure full --features full
