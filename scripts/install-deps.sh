#!/usr/bin/env bash
# Installs the Debian packages trove needs to build, test and run, and only those missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suites need)
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libxapian-dev xapian-tools libsqlite3-dev libsodium-dev libzstd-dev libcpp-httplib-dev
  libgmime-3.0-dev libpoppler-cpp-dev libzip-dev libpugixml-dev libarchive-dev libgumbo-dev
  libuchardet-dev libcld2-dev libicu-dev libmagic-dev libre2-dev libphonenumber-dev xz-utils
  libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-fra
  libpff-dev libbfio-dev libgsf-1-dev libssl-dev antiword catdoc
)
# The web UI (web/) builds with npm (Vite needs Node 18 or newer). A Node from elsewhere
# (NodeSource bundles npm) is kept: Debian's npm package would not install beside it.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--test" ]]; then
  packages+=(poppler-utils xz-utils tesseract-ocr bc)
  packages+=(chromium)  # tests/browser: playwright-core drives Debian's chromium
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
