#!/usr/bin/env bash
# Rebuilds truth/ and pdf/ (ReportLab) of the held-out follow pair from source/.
#   build/build.sh
# Needs python3 with reportlab. PDFs carry creation dates, so rebuilding
# changes bytes but not text.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")"
CORPUS=$(cd .. && pwd)
python3 build_truth.py
mkdir -p "$CORPUS/pdf"
for name in $(python3 -c 'import model; print(" ".join(model.NAMES))'); do
  python3 render_reportlab.py "$name" "$CORPUS/pdf/$name.pdf"
  echo "pdf/$name.pdf"
done
