#!/usr/bin/env bash
# Issue 11's checks on the NVIDIA test machine (../shared/device/README.md): the engines see the
# GPU, and measured selection places each model where it runs best. Prepared here, run there:
#   bash ../shared/device/bundle.sh           # builds and packs .device/ (about 3 minutes)
#   then, with the device tool: command `bash scripts/gpu-check.sh`, carry [".device"]
# Each step's JSON and stderr land under $OUT, with summary.txt; no step stops the others.
# Status: prepared, not yet run — no device was lent to the session that wrote it.
set -u
OUT=${OUT:-/tmp/gpu-check}
mkdir -p "$OUT"
REPO=$(pwd)
W=/tmp/w # where on-device.sh unpacks the app and node
export NPU_FIRST_PLACEMENT_CACHE=$OUT/placement.json
cli() { bash "$REPO/.device/on-device.sh" node dist/bin.js "$@"; }
step() {
  local name=$1 limit=$2
  shift 2
  echo "== $name"
  timeout "$limit" "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
  echo "   exit $?"
}

# 1. Vulkan and WebGPU available, the device named by the engine ("NVIDIA H200").
step devices 180 cli devices --json
# 2. Silero VAD: both engines timed on a real window; expected to stay on the CPU.
step vad 180 cli vad --json
# 3. PaddleOCR v4 detection at 640×640: expected on WebGPU, faster than the CPU.
PADDLE=$(find "$W/app/node_modules" -name ch_PP-OCRv4_det_infer.onnx 2>/dev/null | head -1)
step paddle 300 cli run "$PADDLE" --dim p2o.DynamicDimension.1=640 --dim p2o.DynamicDimension.2=640 --json
# 4. A 200 MB F16 llama GGUF (random weights): expected on llama.cpp Vulkan. Kept out of $OUT.
PY=/opt/torch/.venv/bin/python3
[ -x "$PY" ] || PY=python3
step gguf-make 180 "$PY" "$REPO/scripts/sized_gguf.py" /tmp/llama-200mb.gguf 1024 8
step llm 300 cli generate /tmp/llama-200mb.gguf --prompt "The GPU" --max-tokens 128 --json
step llm-cached 120 cli generate /tmp/llama-200mb.gguf --prompt "The GPU" --max-tokens 128 --json

# Where each model landed, and why, in one file.
"$W/node" - "$OUT" >"$OUT/summary.txt" 2>&1 <<'JS'
const { readFileSync } = require('node:fs');
const out = process.argv[2];
const read = (name) => { try { return JSON.parse(readFileSync(`${out}/${name}.json`, 'utf8')); } catch (e) { return { unreadable: String(e) }; } };
const devices = read('devices');
for (const b of devices.backends ?? []) if (b.deviceKind === 'gpu')
  console.log(`${b.id}: ${b.available ? 'available' : 'unavailable'} ${b.devices.map((d) => d.name).join(', ')} ${b.engine ?? ''} ${b.reason ?? ''}`);
for (const name of ['vad', 'paddle', 'llm', 'llm-cached']) {
  const p = read(name).placement;
  if (!p) { console.log(`${name}: no placement (${JSON.stringify(read(name)).slice(0, 300)})`); continue; }
  console.log(`${name}: ${p.backend} on ${p.device} — ${p.selection.method} ${p.selection.inputs ?? ''}`);
  for (const a of p.attempts) if (a.measurement) console.log(`  ${a.backend} ${a.outcome}: ${a.reason}`);
}
JS
cat "$OUT/summary.txt"
