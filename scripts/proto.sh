#!/usr/bin/env bash
# Lints the protos, checks for breaking changes against main (when there is a main to compare
# with) and regenerates libs/contracts/src/gen.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
(cd proto && buf lint)
if git rev-parse --verify -q main >/dev/null && git cat-file -e main:proto/buf.yaml 2>/dev/null; then
  (cd proto && buf breaking --against "../.git#branch=main,subdir=proto")
fi
buf generate
echo "proto: lint ok, generated libs/contracts/src/gen"
