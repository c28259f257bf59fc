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
  start=$(date +%s%N)
  CARGO_TARGET_DIR="$target" cargo build --quiet -p cfn-l1 "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    local kb
    # `ps` fails while no rustc runs; that counts as zero.
    kb=$( (ps -C rustc -o rss= 2>/dev/null || true) | awk '{s+=$1} END {print s+0}')
    if [ "$kb" -gt "$peak" ]; then peak=$kb; fi
    sleep 0.2
  done
  wait "$pid"
  end=$(date +%s%N)
  awk -v label="$label" -v ns="$((end - start))" -v kb="$peak" \
    'BEGIN { printf "%-8s %6.1f s  peak rustc memory %5.2f GB\n", label, ns / 1e9, kb / 1048576 }'

}

measure default
measure full --features full
