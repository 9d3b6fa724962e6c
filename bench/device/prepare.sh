#!/usr/bin/env bash
# Builds .devkit/ (ignored by git) for bench/device/check.sh: what a lent GPU machine lacks, in
# under 64 MiB: this machine's Node binary, the node_modules the runtime, the webgpu backend and
# vitest need (source maps, type declarations and browser bundles left out), Debian's Vulkan
# loader, the examples compiled to PyTorch, and the reference losses of `mlspec run` on cpu.
#
#   bash bench/device/prepare.sh      # here, after npm ci and npm run build
# then, with the device tool: carry [".devkit", ".gl", "dist"] and run `bash bench/device/check.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
kit=.devkit
rm -rf "$kit" && mkdir -p "$kit/torch" "$kit/ref"
grep -qx '/.devkit/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.devkit/' >> .git/info/exclude; }
grep -qx '/.gl/' .git/info/exclude || echo '/.gl/' >> .git/info/exclude

# Debian's Vulkan loader and GL dispatch libraries (the device image has the NVIDIA driver only).
if [ ! -d .gl ]; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update -qq && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi

tar -cf - -C "$(dirname "$(command -v node)")" node | xz -T2 -6 > "$kit/node.tar.xz"
node bench/device/closure.mjs vitest fast-check @tensorflow/tfjs @tensorflow/tfjs-backend-wasm @tensorflow/tfjs-backend-webgpu webgpu \
  chevrotain commander csv-parse vscode-languageserver vscode-languageserver-textdocument pngjs jpeg-js > "$kit/packages.txt"
tar -cf - --exclude='*.map' --exclude='*.d.ts' --exclude='*.min.js' --exclude='*.es2017.js' --exclude='*.fesm.js' \
  --exclude='*.html' --exclude='*/miniprogram' --exclude='node_modules/webgpu/dist/darwin*' \
  --exclude='node_modules/webgpu/dist/win32*' --exclude='node_modules/webgpu/dist/linux-arm64' \
  $(cat "$kit/packages.txt") | xz -T2 -6 > "$kit/nm.tar.xz"

# Every example, compiled to PyTorch, and its first two epochs under `mlspec run --backend cpu`.
for spec in examples/*.mlspec; do
  name=$(basename "$spec" .mlspec)
  # Image examples are skipped: digits_images holds JPEG files, which the PyTorch target refuses (E0702).
  if grep -q 'source: images(' "$spec"; then continue; fi
  node bin/mlspec.js compile "$spec" --target pytorch -o "$kit/torch/$name/" >/dev/null
  node bin/mlspec.js run "$spec" --backend cpu --epochs 2 -o "$kit/ref/$name" --force --quiet
  rm -rf "$kit/ref/$name/model" "$kit/ref/$name/checkpoint.bin" "$kit/ref/$name/report.html"
done
# Throughput workloads for PyTorch on CUDA and on the CPU.
mkdir -p "$kit/specs"
sed -e 's/batch: 128/batch: 1024/' -e 's/samples: 4096/samples: 12288/' -e 's/epochs: 3/epochs: 10/' bench/specs/mlp.mlspec > "$kit/specs/mlp1024.mlspec"
node bin/mlspec.js compile "$kit/specs/mlp1024.mlspec" --target pytorch -o "$kit/torch-bench/mlp1024/" >/dev/null
node bin/mlspec.js compile bench/specs/wide-mlp.mlspec --target pytorch -o "$kit/torch-bench/wide/" >/dev/null
du -sh "$kit" .gl
