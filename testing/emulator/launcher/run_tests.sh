#!/bin/sh
# Runs the patch layer's tests with the pinned venv, from any directory:
#   testing/emulator/launcher/run_tests.sh            (all, ~100 s on 2 cores)
#   testing/emulator/launcher/run_tests.sh -v -k Scenario1
# Extra arguments go to `python -m unittest discover`.  PYTHON overrides the interpreter.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
python=${PYTHON:-"$root/target/tools/venv/bin/python"}
exec "$python" -m unittest discover -s "$here/tests" -t "$here" "$@"
