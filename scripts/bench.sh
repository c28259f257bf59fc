#!/usr/bin/env bash
# Synthesis benchmarks: `bash scripts/bench.sh` (about 5 minutes on 2 cores; not part of the
# tests). Prints one table: for each generated app (L2 load-balanced Fargate services with a
# bucket grant each, over 1 to 50 stacks), a 38-resource stack and this repository's app,
# the in-process time (criterion's median of building the constructs plus synthesis), its
# cost per resource, and the whole process (release binary writing cdk.out: best wall time
# of 5 runs, peak resident memory).
#   QUICK=1 bash scripts/bench.sh   skips criterion (whole-process figures only).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs=5
sizes=("400 1" "1000 5" "1000 50" "5000 20" "5000 50" "20000 50")

cargo build --quiet --release -p synth-bench --bin synth-bench-app -p stacks --bin synth
if [ -z "${QUICK:-}" ]; then
  echo "criterion: in-process figures (about 2 minutes)..." >&2
  cargo bench --quiet -p synth-bench --bench synth -- --noplot >/dev/null 2>&1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# criterion's median in nanoseconds for a benchmark id, or empty.
median_ns() {
  local file="$root/target/criterion/$1/new/estimates.json"
  [ -f "$file" ] && python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"])' "$file"
}

# Best wall seconds and largest peak KB over $runs runs of a command; prints "secs kb resources".
# (GNU time gives the peak; its wall time has 10 ms steps, so bash's clock gives the time.)
whole_process() {
  local best="" peak=0 resources=0 start secs kb
  for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$work/time" "$@" --out "$work/out" >"$work/stdout" 2>"$work/stderr"
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.4f", b - a}')
    read -r kb <"$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best="$secs"; fi
    if [ "$kb" -gt "$peak" ]; then peak="$kb"; fi
  done
  resources=$(awk '/ resources, /{sum += $2} END{print sum + 0}' "$work/stdout")
  echo "$best $peak $resources"
}

row() { # name stacks criterion-id command...
  local name="$1" stacks="$2" id="$3"; shift 3
  read -r secs kb resources < <(whole_process "$@")
  local ns; ns="$(median_ns "$id" || true)"
  python3 - "$name" "$stacks" "$resources" "${ns:-}" "$secs" "$kb" <<'PY'
import sys
name, stacks, resources, ns, secs, kb = sys.argv[1:]
resources = int(resources)
inproc = f"{float(ns)/1e6:10.2f}" if ns else f"{'-':>10}"
per = f"{float(ns)/1e3/resources:10.2f}" if ns else f"{'-':>10}"
print(f"| {name:<14} | {stacks:>6} | {resources:>9} | {inproc} | {per} | {float(secs)*1000:10.0f} | {int(kb)/1024:8.1f} |")
PY
}

echo
echo "| app            | stacks | resources | in-process | µs per     | process    | peak     |"
echo "|                |        |           | median ms  | resource   | wall ms    | MB       |"
echo "| -------------- | -----: | --------: | ---------: | ---------: | ---------: | -------: |"
app="$root/target/release/synth-bench-app"
row "small stack"  1 small_stack "$app" --stacks 1 --resources 38
for size in "${sizes[@]}"; do
  read -r resources stacks <<<"$size"
  row "generated" "$stacks" "generated/${resources}r_${stacks}s" "$app" --stacks "$stacks" --resources "$resources"
done
row "repository" 8 repository "$root/target/release/synth"
