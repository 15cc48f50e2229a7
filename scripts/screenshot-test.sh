#!/usr/bin/env bash
# Runs the example game in a real window under Xvfb (software Vulkan: mesa's lavapipe),
# saves a screenshot after 120 frames of scripted play, and fails if the frame is blank
# (the game itself checks: >= 16 distinct colours, >= 0.1% of the pixels away from the
# background colour, >= 30 pixels in the colours of the scripted ship/enemies/bullets;
# exit status 2 otherwise).
#
#   scripts/screenshot-test.sh [OUT.png]
#
# Installs xvfb and the runtime libraries with apt-get when they are missing and we are
# root (CI); otherwise skips with a message (exit 0) when there is no xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/game-screenshot.png}"

pkgs=(xvfb xauth mesa-vulkan-drivers libvulkan1 libxkbcommon-x11-0 libxcursor1 libxrandr2
      libxi6 libx11-xcb1 libwayland-client0 libudev1)
if ! command -v xvfb-run >/dev/null || ! ldconfig -p | grep -q libvulkan.so.1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "screenshot-test: installing ${pkgs[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
    else
        echo "screenshot-test: SKIPPED (no xvfb-run / libvulkan, and cannot install them)"
        exit 0
    fi
fi

cargo build --example game
mkdir -p "$(dirname "$out")"
rm -f "$out"
# WGPU_BACKEND=vulkan: lavapipe is the only adapter under Xvfb.
WGPU_BACKEND=vulkan timeout 600 xvfb-run -a -s "-screen 0 1280x720x24" \
    target/debug/examples/game --scripted-input --frames 120 \
    --screenshot "$out" --check-screenshot
test -s "$out"
echo "screenshot-test: passed ($out)"
