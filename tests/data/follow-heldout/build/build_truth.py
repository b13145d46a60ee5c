"""Writes the ground truth from the document model and checks it
(adapted 2026-12-02 from ../shared/corpus/build/build_truth.py (from the project root)).

    python3 build_truth.py

truth/NAME.txt  every block of the document: what a perfect extractor
                returns from pdf/NAME.pdf

The check: the words of truth/NAME.txt must be exactly the words of
source/NAME.txt once the source's Markdown syntax is removed.
"""

import model

(model.CORPUS / "truth").mkdir(exist_ok=True)
for doc in model.load_all():
    pdf_truth = model.truth_text(doc)
    words, expected = pdf_truth.split(), model.source_words(doc.name)
    if words != expected:
        at = next(i for i, (a, b) in enumerate(zip(words + [""], expected + [""])) if a != b)
        raise SystemExit(f"{doc.name}: truth differs from source at word {at}: "
                         f"{words[at - 3:at + 3]} != {expected[at - 3:at + 3]}")
    (model.CORPUS / "truth" / f"{doc.name}.txt").write_text(pdf_truth, encoding="utf-8")
    print(f"{doc.name}: {len(words)} words")
