#!/usr/bin/env bash
# Installs Tesseract with its Swedish data from Debian's packages, if missing: what reads
# scanned PDFs and photographed pages. Used by .ci/run; handy on a developer machine too.
set -euo pipefail
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx swe; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq tesseract-ocr tesseract-ocr-swe >/dev/null
fi
echo "Tesseract ready: $(tesseract --version 2>&1 | head -n 1), languages: $(tesseract --list-langs 2>/dev/null | tail -n +2 | tr '\n' ' ')"
