#!/usr/bin/env bash
# Rebuilds tests/data/follow/ truth/ and pdf/ from source/ (ReportLab only).
#
#   bash build/build.sh
#
# Needs python3 with reportlab. The PDF carries a creation date, so
# rebuilding changes bytes but not text.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")"
PAIR=$(cd .. && pwd)

python3 build_truth.py
mkdir -p "$PAIR/pdf"
for name in $(python3 -c 'import model; print(" ".join(model.NAMES))'); do
  python3 render_reportlab.py "$name" "$PAIR/pdf/$name.pdf"
  echo "$name: pdf/$name.pdf"
done
