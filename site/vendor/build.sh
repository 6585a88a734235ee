#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Rebuild the vendored libraries of site/vendor from the npm registry (run by hand when a
# version changes; the built files are committed, the site has no build step):
#   echarts/echarts.min.js  Apache ECharts (Apache-2.0), a custom build of echarts-entry.mjs
#                            (bar charts, grid, SVG renderer, label layout) as one ES module
#   jsqr/jsQR.min.js         jsQR (Apache-2.0), minified, for camera scanning where the
#                            browser has no BarcodeDetector
#   weixin/jweixin.min.js    WeChat's JS-SDK 1.6.0 as the npm package weixin-js-sdk (MIT)
#                            packs it, as one ES module: wx.scanQRCode inside WeChat
# with their LICENSE (and ECharts' NOTICE). Needs node and npm.
set -euo pipefail
ECHARTS=6.1.0
JSQR=1.4.0
WEIXIN=1.6.5
ESBUILD=0.28.2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund "echarts@$ECHARTS" "jsqr@$JSQR" "weixin-js-sdk@$WEIXIN" "esbuild@$ESBUILD" >/dev/null
mkdir -p "$HERE/echarts" "$HERE/jsqr" "$HERE/weixin"
cp "$HERE/echarts-entry.mjs" entry.mjs
./node_modules/.bin/esbuild entry.mjs --bundle --format=esm --minify --legal-comments=none --target=es2019 \
    "--banner:js=/*! Apache ECharts $ECHARTS (custom build, site/vendor/echarts-entry.mjs), Apache-2.0: see LICENSE and NOTICE beside this file */" \
    --outfile="$HERE/echarts/echarts.min.js"
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE "$HERE/echarts/"
./node_modules/.bin/esbuild node_modules/jsqr/dist/jsQR.js --minify --legal-comments=none --target=es2019 \
    "--banner:js=/*! jsQR $JSQR (github.com/cozmo/jsQR), Apache-2.0: see LICENSE beside this file */" \
    --outfile="$HERE/jsqr/jsQR.min.js"
cp node_modules/jsqr/LICENSE "$HERE/jsqr/"
printf 'export { default } from "weixin-js-sdk";\n' >weixin.mjs
./node_modules/.bin/esbuild weixin.mjs --bundle --format=esm --minify --legal-comments=none --target=es2019 \
    "--banner:js=/*! WeChat JS-SDK 1.6.0 as npm weixin-js-sdk $WEIXIN packs it (MIT): see LICENSE beside this file */" \
    --outfile="$HERE/weixin/jweixin.min.js"
cp node_modules/weixin-js-sdk/LICENSE "$HERE/weixin/"
printf 'weixin-js-sdk %s (WeChat JS-SDK 1.6.0), bundled with esbuild %s\n' "$WEIXIN" "$ESBUILD" >"$HERE/weixin/VERSION"
printf 'echarts %s (custom build: echarts-entry.mjs), esbuild %s\n' "$ECHARTS" "$ESBUILD" >"$HERE/echarts/VERSION"
printf 'jsqr %s, minified with esbuild %s\n' "$JSQR" "$ESBUILD" >"$HERE/jsqr/VERSION"
echo "built into $HERE"
