#!/usr/bin/env bash
# The system packages the test suite needs, installed from Debian when missing:
#   libvulkan1 + chromium-common  the Vulkan loader and SwiftShader's Vulkan driver (WebGPU tests)
#   chromium                      headless browser tests of report.html
#   python3-torch + python3-numpy the PyTorch target's parity and DDP tests
# Run by `npm test` (pretest) and .ci/run; quick when everything is present.
set -euo pipefail
packages=(libvulkan1 chromium-common chromium python3-torch python3-numpy)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${MLSPEC_SKIP_SYSTEM_DEPS:-}" = 1 ]; then
  echo "install-system-deps: missing ${missing[*]} (MLSPEC_SKIP_SYSTEM_DEPS=1: not installing)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "install-system-deps: the tests need the Debian packages ${missing[*]};" \
       "install them (apt-get install -y ${missing[*]}) or run as root on Debian 12." >&2
  exit 1
fi
echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
