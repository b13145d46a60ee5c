"""Writes the ground truth from the document model and checks it.

(Adapted copy for tests/data/follow/: writes truth/NAME.txt for model.NAMES;
the pair has no web page, so truth/html/ is not written.)

    python3 build_truth.py

truth/NAME.txt       every block of the document: what a perfect extractor
                     returns from any of the PDFs in pdf/*/NAME.pdf
truth/html/NAME.txt  only the article of a saved web page html/NAME.html

The check: the words of truth/NAME.txt must be exactly the words of
source/NAME.txt once the source's Markdown syntax is removed.
"""

import model

for doc in model.load_all():
    pdf_truth = model.truth_text(doc)
    words, expected = pdf_truth.split(), model.source_words(doc.name)
    if words != expected:
        at = next(i for i, (a, b) in enumerate(zip(words + [""], expected + [""])) if a != b)
        raise SystemExit(f"{doc.name}: truth differs from source at word {at}: "
                         f"{words[at - 3:at + 3]} != {expected[at - 3:at + 3]}")
    (model.CORPUS / "truth" / f"{doc.name}.txt").write_text(pdf_truth, encoding="utf-8")
    if doc.kind == "webbsida":  # never, for this pair
        (model.CORPUS / "truth" / "html").mkdir(exist_ok=True)
        article = model.truth_text(doc, region="main")
        (model.CORPUS / "truth" / "html" / f"{doc.name}.txt").write_text(article, encoding="utf-8")
    print(f"{doc.name}: {len(words)} words")
