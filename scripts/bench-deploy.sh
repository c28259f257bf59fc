#!/usr/bin/env bash
# Times a deploy of every repository stack to moto (started here on a free loopback port):
# the release `synth-cli deploy --all --yes` (default 2 s polling, and 0.2 s polling) against
# `aws cloudformation deploy` (AWS CLI v1, pinned below, in its own virtualenv) on the same
# templates, for the repository's stacks and for the standalone example. Each figure is the
# best of 3 runs on a freshly reset emulator, with the exit code. Prints figures; asserts
# nothing (speed is a benchmark, not a test).
set -euo pipefail
AWSCLI_VERSION=1.46.3
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/install-tools.sh >/dev/null
bench_venv="$root/target/tools/bench-venv"
if ! "$bench_venv/bin/aws" --version 2>&1 | grep -q "aws-cli/$AWSCLI_VERSION"; then
  python3 -m venv "$bench_venv"
  "$bench_venv/bin/pip" install --quiet --disable-pip-version-check "awscli==$AWSCLI_VERSION"
fi
# The synth binary writes the assemblies; synth-cli deploys them.
cargo build --quiet --release -p stacks --bin synth -p synth-cli --bin synth-cli
CARGO_TARGET_DIR="$root/target" cargo build --quiet --release --manifest-path examples/standalone/Cargo.toml
synth="$root/target/release/synth"
synth_cli="$root/target/release/synth-cli"
"$synth" --quiet --out "$root/target/bench-deploy/repository"
(cd "$root/target" && "$root/target/release/standalone-example" --quiet --out "$root/target/bench-deploy/example")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$root/target/tools/venv/bin/python" -m moto.server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/moto-api/" >/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_EC2_METADATA_DISABLED=true
endpoint="http://127.0.0.1:$port"
reset() { curl -fs -X POST "$endpoint/moto-api/reset" >/dev/null; }
now() { date +%s.%N; }
# Best of 3 runs of a command on a reset emulator: "SECONDS s (exit CODE)".
best() {
  local best="" code=0
  for _ in 1 2 3; do
    reset
    local start end took
    start=$(now)
    if "$@" >/dev/null 2>&1; then code=0; else code=$?; fi
    end=$(now)
    took=$(python3 -c "print(f'{$end - $start:.2f}')")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(not ($took < $best))"; then best=$took; fi
  done
  echo "$best s (exit $code)"
}
aws_deploy_all() { # assembly dir: every stack, in manifest order, as `aws cloudformation deploy`
  local dir=$1 stack failed=0
  for stack in $(python3 -c "import json; print(' '.join(json.load(open('$dir/manifest.json'))['artifacts']))"); do
    "$bench_venv/bin/aws" cloudformation deploy --endpoint-url "$endpoint" \
      --template-file "$dir/$stack.template.json" --stack-name "$stack" \
      --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset || failed=1
  done
  return $failed
}
echo "moto $("$root/target/tools/venv/bin/python" -c 'import moto; print(moto.__version__)'), AWS CLI $AWSCLI_VERSION; best of 3"
for name in repository example; do
  dir="$root/target/bench-deploy/$name"
  echo "$name stacks: $(python3 -c "import json; print(', '.join(json.load(open('$dir/manifest.json'))['artifacts']))")"
  echo "  synth-cli deploy --all --yes (poll 2 s):   $(best "$synth_cli" deploy --all --yes --app "$dir" --endpoint-url "$endpoint")"
  echo "  synth-cli deploy --all --yes (poll 0.2 s): $(best "$synth_cli" deploy --all --yes --app "$dir" --endpoint-url "$endpoint" --poll-interval 0.2)"
  echo "  aws cloudformation deploy:                 $(best aws_deploy_all "$dir")"
done
