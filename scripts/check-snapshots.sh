#!/usr/bin/env bash
# Fails when a reviewed snapshot (`*.snap`) is no longer used by any test: a stale snapshot
# looks reviewed but checks nothing. `$1` is the file insta wrote the snapshots the tests
# used into (INSTA_SNAPSHOT_REFERENCES_FILE, set by scripts/test.sh for `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."
references=${1:?usage: check-snapshots.sh REFERENCES_FILE}
if [ ! -s "$references" ]; then
  echo "no snapshot references in $references: were the tests run with INSTA_SNAPSHOT_REFERENCES_FILE?" >&2
  exit 1
fi
unused=$(comm -23 \
  <(find "$PWD" -name '*.snap' -not -path "$PWD/target/*" -not -path '*/node_modules/*' | sort -u) \
  <(sort -u "$references"))
if [ -n "$unused" ]; then
  echo "snapshots no test uses any more (delete them, or restore the test):" >&2
  echo "$unused" | sed 's/^/  /' >&2
  exit 1
fi
echo "every snapshot is used by a test ($(sort -u "$references" | wc -l) snapshots)"
