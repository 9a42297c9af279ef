#!/bin/sh
# Refresh docs/widget.png (the README picture: the widget showing a WeChat QR in the demo shop)
# from the e2e screenshot of the scan state. Needs a build (pnpm build at the repo root).
set -eu
cd "$(dirname "$0")/.."
pnpm exec playwright test tests/demo-shop.spec.ts -g "buy a tea"
mkdir -p ../docs
cp screenshots/scan.png ../docs/widget.png
echo "docs/widget.png updated ($(wc -c < ../docs/widget.png) bytes)"
