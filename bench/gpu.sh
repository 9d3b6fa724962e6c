#!/usr/bin/env bash
# The one-shot GPU benchmark: from a fresh clone on a machine with a GPU, unattended, in a few
# minutes. Installs what it needs, prints the WebGPU adapter, then measures mlspec on webgpu
# against mlspec on wasm and stock model.fit on webgpu (bench/gpu.mjs), as a markdown table.
#
#   bash bench/gpu.sh            # full sizes (meant for a real GPU)
#   bash bench/gpu.sh --quick    # shrunk workloads (automatic on a software adapter such as SwiftShader)
#
# Needs Node 20+, the Vulkan loader (libvulkan1; installed here with apt-get when missing and
# possible) and the GPU's Vulkan driver (NVIDIA's driver ships one; AMD/Intel: mesa-vulkan-drivers).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvulkan1 >/dev/null
  else
    echo "bench/gpu.sh: the Vulkan loader libvulkan.so.1 is missing; install libvulkan1 (as root) and run again." >&2
    exit 1
  fi
fi
if [ ! -d node_modules/webgpu ] || [ ! -d node_modules/@tensorflow/tfjs-backend-webgpu ]; then
  npm ci --no-audit --no-fund
fi
npm run build >/dev/null
exec node bench/gpu.mjs "$@"
