#!/usr/bin/env bash
# The one command that runs every test on a fresh machine (CI runs exactly this):
# installs the pinned tools, checks formatting, generated code and lints, runs the tests,
# builds every L1 service and the standalone example, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "tools (pinned cfn-lint and CDK CLI in target/tools)"
bash scripts/install-tools.sh

step "formatting"
cargo fmt --all -- --check

step "generated L1 code is current"
cargo xtask codegen --check

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The synth binary with the deploy engine linked in (`stacks --features deploy`).
cargo clippy -p stacks --all-targets --features deploy --quiet -- -D warnings

step "emulator patch layer (Python tests of testing/emulator/launcher)"
bash testing/emulator/launcher/run_tests.sh

step "tests"
# insta records every snapshot a test uses, for the check below.
references="$PWD/target/insta-references.txt"
rm -f "$references"
INSTA_SNAPSHOT_REFERENCES_FILE="$references" cargo test --workspace
# The deploy tests drive the synth binary built with the deploy engine in it.
cargo test -p stacks --features deploy --test deploy

step "every snapshot is used by a test"
bash scripts/check-snapshots.sh "$references"

step "every CloudFormation service builds (cfn-l1 --features full)"
cargo build --quiet -p cfn-l1 --features full

step "migrate round-trips every template the repository synthesizes, and the cfn-lint corpus"
# Each template is migrated to Rust, compiled (construct-lib --features full, the L1 built
# just above), synthesized and compared with the original; the report names each template
# that does not come back equal and why. Every repository template must, and every template
# of testing/migrate-corpus/templates (a realistic service, and the hard cases reviews found); of the 99 "good"
# templates of cfn-lint's test fixtures, at least the count below (raise it when it grows).
cargo run --quiet --bin synth -- --out target/migrate-corpus-repo
cargo run --quiet -p migrate-corpus -- --work target/migrate-corpus \
  --set repo=target/migrate-corpus-repo:all \
  --set edge=testing/migrate-corpus/templates:all \
  --set cfn-lint=target/tools/cfn-lint-corpus/good:80

step "standalone example builds as another repository would use the library"
# Not --locked: its lock records which generated part crates the default features pull in,
# and `cargo xtask codegen` may move services between parts.
CARGO_TARGET_DIR="$PWD/target" cargo build --quiet --manifest-path examples/standalone/Cargo.toml
# and with the deploy engine linked in (`--features deploy`).
CARGO_TARGET_DIR="$PWD/target" cargo build --quiet --manifest-path examples/standalone/Cargo.toml --features deploy

step "main job: cargo run --bin synth"
cargo run --quiet --bin synth -- --out target/cdk.out

echo
echo "all checks passed"
