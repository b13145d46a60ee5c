#!/usr/bin/env python3
"""Plain-Tesseract baseline for the scanned corpora made by make.py.

Run from the project root:

    python3 tests/data/scanned/baseline.py [--quality clean|degraded|all] [--jobs 2] [--keep DIR]

For every PDF under tests/data/scanned/<quality>/pdf/<producer>/, the page images are taken out with
`pdfimages -all` and each one is read by `tesseract IMG stdout -l swe` (default page segmentation, no
orientation detection, OMP_THREAD_LIMIT=1), pages in parallel over --jobs processes. The page texts are
joined with form feeds and scored against <quality>/truth/<name>.txt by
`../shared/tools/score-text TRUTH EXTRACTED` (single-file mode). Prints WER/CER per quality, producer and
document, the mean per quality, and the wall time and pages per second of the OCR.

As an extractor for score-text's corpus mode (one PDF in, its text on stdout):

    ../shared/tools/score-text --corpus tests/data/scanned/clean \\
        --cmd 'python3 tests/data/scanned/baseline.py --print {}'
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path("tests/data/scanned")
SCORE_TEXT = Path("../shared/tools/score-text")
QUALITIES = ("clean", "degraded")
ENV = dict(os.environ, OMP_THREAD_LIMIT="1")


def page_images(pdf, tmp):
    """The page images of a scanned PDF, in page order (one image per page)."""
    prefix = Path(tmp) / pdf.stem
    subprocess.run(["pdfimages", "-all", str(pdf), str(prefix)], check=True)
    return sorted(Path(tmp).glob(f"{pdf.stem}-*"))


def ocr(image):
    out = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", "swe"], capture_output=True, env=ENV, check=True
    ).stdout
    return out.decode("utf-8", errors="replace")


def ocr_pdf(pdf, jobs):
    with tempfile.TemporaryDirectory() as tmp:
        images = page_images(pdf, tmp)
        with ThreadPoolExecutor(jobs) as pool:
            return "\f".join(pool.map(ocr, images))


def score(truth, text):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        out = subprocess.run(
            [sys.executable, str(SCORE_TEXT), str(truth), path], capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(path)
    wer = float(re.search(r"^WER ([\d.]+)", out, re.M).group(1))
    cer = float(re.search(r"^CER ([\d.]+)", out, re.M).group(1))
    return wer, cer


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quality", choices=QUALITIES + ("all",), default="all")
    ap.add_argument("--jobs", type=int, default=2, help="tesseract processes in parallel (default 2)")
    ap.add_argument("--keep", metavar="DIR", help="save each OCR text as DIR/<quality>/<producer>/<name>.txt")
    ap.add_argument("--print", metavar="PDF", dest="print_pdf", help="print the OCR text of one PDF and exit")
    args = ap.parse_args()

    if args.print_pdf:
        sys.stdout.write(ocr_pdf(Path(args.print_pdf), args.jobs))
        return
    if not SCORE_TEXT.is_file():
        sys.exit(f"baseline.py: {SCORE_TEXT} not found; run from the project root")

    qualities = QUALITIES if args.quality == "all" else (args.quality,)
    inputs = [(q, pdf) for q in qualities for pdf in sorted((HERE / q / "pdf").glob("*/*.pdf"))]
    if not inputs:
        sys.exit("baseline.py: no PDFs; run tests/data/scanned/make.py first")

    def cpu():
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    start, cpu_start = time.perf_counter(), cpu()
    with tempfile.TemporaryDirectory() as tmp:
        # Every page of every document goes through one pool, so both processes stay busy.
        pages = []  # (input index, image)
        for i, (q, pdf) in enumerate(inputs):
            sub = Path(tmp) / str(i)
            sub.mkdir()
            pages += [(i, img) for img in page_images(pdf, sub)]
        with ThreadPoolExecutor(args.jobs) as pool:
            texts = list(pool.map(ocr, [img for _, img in pages]))
    wall, cpu_seconds = time.perf_counter() - start, cpu() - cpu_start

    by_input = {}
    for (i, _), text in zip(pages, texts):
        by_input.setdefault(i, []).append(text)

    rows = []
    for i, (q, pdf) in enumerate(inputs):
        text = "\f".join(by_input.get(i, []))
        if args.keep:
            out = Path(args.keep) / q / pdf.parent.name / f"{pdf.stem}.txt"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        wer, cer = score(HERE / q / "truth" / f"{pdf.stem}.txt", text)
        rows.append((q, pdf.parent.name, pdf.stem, len(by_input.get(i, [])), wer, cer))

    print(f"{'quality':<9} {'producer':<12} {'document':<34} {'pages':>5} {'WER':>7} {'CER':>7}")
    for q, producer, name, n, wer, cer in rows:
        print(f"{q:<9} {producer:<12} {name:<34} {n:>5} {wer:>7.4f} {cer:>7.4f}")
    print()
    for q in qualities:
        for producer in sorted({r[1] for r in rows if r[0] == q}):
            sel = [r for r in rows if r[0] == q and r[1] == producer]
            print(f"mean {q:<9} {producer:<12} WER {mean(r[4] for r in sel):.4f} CER {mean(r[5] for r in sel):.4f} "
                  f"over {len(sel)} files")
        sel = [r for r in rows if r[0] == q]
        print(f"mean {q:<9} {'all':<12} WER {mean(r[4] for r in sel):.4f} CER {mean(r[5] for r in sel):.4f} "
              f"over {len(sel)} files")
    print(f"\n{len(pages)} pages in {wall:.1f} s wall ({args.jobs} tesseract processes, OMP_THREAD_LIMIT=1): "
          f"{len(pages) / wall:.2f} pages/s; {cpu_seconds:.1f} CPU s in pdfimages + tesseract "
          f"({cpu_seconds / len(pages):.2f} CPU s per page)")


if __name__ == "__main__":
    main()
