#!/usr/bin/env bash
# Rebuilds tests/data/columns/ from source/: truth/ and pdf/{libreoffice,latex}/.
#
#   bash build/build.sh          # everything
#   bash build/build.sh truth    # only truth/
#
# Adapted from shared/corpus/build/build.sh: two producers only, both
# two-column (see render_pandoc.py). Needs python3, pandoc 2.17,
# LibreOffice (soffice) with hyphen-sv, pdflatex (TeX Live with
# babel-swedish, lmodern, multicol), poppler-utils.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")"
SET=$(cd .. && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 build_truth.py
[[ "${1:-all}" == truth ]] && exit 0

NAMES=$(python3 -c 'import model; print(" ".join(model.NAMES))')
mkdir -p "$SET"/pdf/{libreoffice,latex} "$WORK/lo" "$WORK/tex"

# A first soffice run on the fresh profile registers the system hyphenation
# dictionaries; without it the first document comes out unhyphenated.
python3 render_pandoc.py docx resultatrapport-2021-jamstalld-styrning "$WORK/warm.json" "$WORK/warm.reference.docx"
pandoc -f json "$WORK/warm.json" --reference-doc "$WORK/warm.reference.docx" -o "$WORK/warm.docx"
soffice -env:UserInstallation="file://$WORK/lo-profile" --headless --convert-to pdf --outdir "$WORK" "$WORK/warm.docx" >/dev/null 2>&1

for name in $NAMES; do
  echo "== $name"

  # libreoffice: pandoc AST -> DOCX (reference.docx: A4, Liberation fonts,
  # running header with the title, "Sida N av M" footer, two-column body
  # section) -> soffice -> PDF.
  python3 render_pandoc.py docx "$name" "$WORK/$name.docx.json" "$WORK/$name.reference.docx"
  pandoc -f json "$WORK/$name.docx.json" --reference-doc "$WORK/$name.reference.docx" -o "$WORK/lo/$name.docx"
  python3 render_pandoc.py props "$name" "$WORK/lo/$name.docx"
  soffice -env:UserInstallation="file://$WORK/lo-profile" --headless \
    --convert-to pdf --outdir "$WORK/lo" "$WORK/lo/$name.docx" >/dev/null 2>&1
  cp "$WORK/lo/$name.pdf" "$SET/pdf/libreoffice/$name.pdf"

  # latex: pandoc AST -> LaTeX (babel swedish, justified, hyphenated, Latin
  # Modern, multicol two columns) -> pdflatex.
  python3 render_pandoc.py latex "$name" "$WORK/$name.latex.json"
  title=$(python3 -c "import model, sys; print(model.load(sys.argv[1]).title)" "$name")
  author=$(python3 -c "import model, sys; print(model.load(sys.argv[1]).author)" "$name")
  pandoc -f json "$WORK/$name.latex.json" -s -t latex -o "$WORK/tex/$name.tex" \
    -V lang=sv -V papersize=a4 -V geometry=margin=25mm -V fontsize=11pt \
    -V title-meta="$title" -V author-meta="$author" --include-in-header=header.tex
  (cd "$WORK/tex" && for pass in 1 2; do pdflatex -interaction=nonstopmode -halt-on-error "$name.tex" >/dev/null; done)
  cp "$WORK/tex/$name.pdf" "$SET/pdf/latex/$name.pdf"
done

python3 fonts_table.py > "$SET/pdf/FONTS.md"
echo "done"
