#!/usr/bin/env bash
# Measures what a user installs: packs the packages, installs them with npm into empty
# folders (install scripts off, as with pnpm), and prints node_modules sizes for
#   1. an ONNX-only set-up: @npu-first/core + @npu-first/backend-cpu
#   2. an LLM set-up: the same plus node-llama-cpp (the optional peer for GGUF models)
# Run after `pnpm build`. Uses the npm registry for onnxruntime-node and node-llama-cpp.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for p in core onnxruntime llama-cpp backend-cpu; do
  (cd "$root/packages/$p" && pnpm pack --pack-destination "$work/packs" >/dev/null)
done
install() {
  mkdir -p "$work/$1" && cd "$work/$1" && npm init -y >/dev/null
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error "$work"/packs/*.tgz "${@:2}" >/dev/null
  echo "$1: $(du -sh node_modules | cut -f1) in node_modules ($(ls node_modules | wc -l) top-level entries)"
}
install onnx-only
install llm node-llama-cpp@3
du -sh "$work/llm/node_modules/node-llama-cpp" "$work/llm/node_modules/@node-llama-cpp/"* | sed 's|'"$work"'/llm/node_modules/||'
