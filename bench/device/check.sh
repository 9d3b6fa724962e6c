#!/usr/bin/env bash
# The GPU check, run on a lent GPU machine from the repository root, after bench/device/prepare.sh
# built .devkit/ here (device tool: carry [".devkit", ".gl", "dist"], command `bash bench/device/check.sh`).
# In one call: the machine, the PyTorch target on CUDA (per-step agreement with `mlspec run`,
# torchrun with NCCL, resume, throughput), then WebGPU through Dawn on the GPU's Vulkan driver
# (a run, bench/gpu.mjs at full size, and the webgpu agreement tests of the suite).
# Tables and logs go to $OUT (the device tool brings them back).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/device-out}
runs=/tmp/mlspec-device-runs
mkdir -p "$OUT" "$runs"
section() { echo; echo "== $* ($(date +%T))"; }
# Sections to run (default all): setup is always run; then any of parity throughput webgpu bench tests.
wanted=" ${*:-parity throughput webgpu bench tests} "
wants() { [[ $wanted == *" $1 "* ]]; }

section machine
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())"
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=$(ls /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json 2>/dev/null | head -1)
echo "vulkan ICD: ${icd:-none found}"
if [ -n "$icd" ]; then export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd; fi
mkdir -p /tmp/nodebin && tar -xJf .devkit/node.tar.xz -C /tmp/nodebin && export PATH=/tmp/nodebin:$PATH
tar -xJf .devkit/nm.tar.xz
node --version

if wants parity; then
section "pytorch: every example, 2 epochs, on cuda and cpu, against mlspec run --backend cpu"
for dir in .devkit/torch/*/; do
  name=$(basename "$dir")
  [ -n "${PARITY_ONLY:-}" ] && [[ " $PARITY_ONLY " != *" $name "* ]] && continue
  for device in cuda cpu; do
    timeout 90 python3 "$dir/train.py" --device "$device" --epochs 2 --out "$runs/pt/$device/$name" --quiet 2>&1 | tail -3 || true
  done
done
[ -z "${PARITY_ONLY:-}" ] && timeout 90 python3 -m torch.distributed.run --nnodes 1 --nproc_per_node 1 --rdzv_backend c10d --rdzv_endpoint 127.0.0.1:29517 .devkit/torch/iris/train.py --device cuda --epochs 2 \
  --out "$runs/pt/cuda-torchrun-nccl/iris" --quiet 2>&1 | grep -v '^W' | tail -3
python3 bench/device/compare.py .devkit/ref "$runs/pt" | tee "$OUT/pytorch-parity.md"
if [ -d "$runs/pt/cuda/iris" ]; then
section "pytorch: resume on cuda"
timeout 60 python3 .devkit/torch/iris/train.py --resume "$runs/pt/cuda/iris" --epochs 4 --quiet 2>&1 | tail -3
python3 -c "import json; s=json.load(open('$runs/pt/cuda/iris/summary.json')); print('resumed iris: epochs_run', s['epochs_run'], 'test', s.get('test'))"
fi
fi
if wants throughput; then
section "pytorch: throughput (bench/specs/mlp.mlspec at batch 1024; bench/specs/wide-mlp.mlspec)"
for dir in .devkit/torch-bench/*/; do
  name=$(basename "$dir")
  for device in cuda cpu; do
    timeout 120 python3 "$dir/train.py" --device "$device" --out "$runs/tp/$device/$name" --quiet --force 2>&1 | tail -3
    python3 -c "import json; s=json.load(open('$runs/tp/$device/$name/summary.json')); print('$name', '$device', round(s['samples_per_s']), 'samples/s', s['backend'], 'wall_time_s', round(s['wall_time_s'], 2))"
  done
done | tee "$OUT/pytorch-throughput.txt"

fi
if wants webgpu; then
section "webgpu: one run"
timeout 120 node bin/mlspec.js run examples/iris.mlspec --backend webgpu --epochs 2 -o "$runs/wg/iris" 2>&1 | head -4
fi
if wants bench; then
section "webgpu: bench/gpu.mjs"
timeout 240 node bench/gpu.mjs 2>&1 | tee "$OUT/gpu-bench.md"
fi
if wants tests; then
section "webgpu: the suite's webgpu agreement tests on this GPU"
NO_COLOR=1 timeout 200 node node_modules/vitest/vitest.mjs run test/runtime/webgpu/agreement.test.ts test/runtime/webgpu/layer-gradients.test.ts test/runtime/webgpu/examples.test.ts 2>&1 | tee "$OUT/vitest-webgpu.log" | tail -25
fi
section done
