#!/usr/bin/env python3
"""Builds the scanned (image-only) test corpora under tests/data/scanned/.

Run from the project root:

    python3 tests/data/scanned/make.py

Reads ../shared/corpus/pdf/{libreoffice,latex}/*.pdf and ../shared/corpus/truth/*.txt and writes

    tests/data/scanned/clean/pdf/<producer>/<name>.pdf     300 dpi grey, straight, JPEG q75
    tests/data/scanned/degraded/pdf/<producer>/<name>.pdf  200 dpi grey, skewed 0.7-1.2 deg, noise and
                                                           specks, JPEG q50, one page fed sideways
    tests/data/scanned/{clean,degraded}/truth/<name>.txt   copied from the corpus

Each page is one DCTDecode image drawn over the whole page; there are no fonts and no text operators.
The PDF is written by hand (no PDF library) and holds no timestamps, so two runs give byte-identical
files (given the same poppler, Pillow and numpy versions).

Needs pdftoppm and pdfinfo (poppler-utils), Pillow and numpy.
"""

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

CORPUS = Path("../shared/corpus")
OUT = Path("tests/data/scanned")
PRODUCERS = ("libreoffice", "latex")

# q85 made the clean set 22.5 MB (> 15 MB), so it is q75 (see README.md).
CLEAN = {"dpi": 300, "quality": 75}
DEGRADED = {"dpi": 200, "quality": 50, "noise_sigma": 7.0, "specks": 30}
SEED = 20240601


# --------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------


def page_sizes(pdf):
    """[(width_pt, height_pt)] for every page, as pdfinfo reports it (rotation applied)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(pages), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]
    rots = [int(r) for r in re.findall(r"^Page\s+\d+ rot:\s+(\d+)", info, re.M)]
    assert len(sizes) == pages, (pdf, info)
    # pdfinfo gives the unrotated MediaBox size; pdftoppm renders rotated pages rotated.
    return [(h, w) if rot % 180 == 90 else (w, h) for (w, h), rot in zip(sizes, rots)]


def render(pdf, page, dpi, tmp):
    """One page as an 8-bit grey PIL image."""
    prefix = Path(tmp) / f"p{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
        check=True,
    )
    path = prefix.with_suffix(".pgm")
    with Image.open(path) as im:
        im = im.convert("L")
        im.load()
    path.unlink()
    return im


# --------------------------------------------------------------------------
# Degradation
# --------------------------------------------------------------------------


def rng_for(producer, name, page):
    key = zlib.crc32(f"{producer}/{name}/{page}".encode())
    return np.random.default_rng([SEED, key])


def degrade(im, rng, sideways):
    """Skew, noise, specks; and, for the sideways page, a quarter turn clockwise."""
    angle = float(rng.uniform(0.7, 1.2)) * (1 if rng.random() < 0.5 else -1)
    im = im.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)

    a = np.asarray(im, dtype=np.float32)
    a = a + rng.normal(0.0, DEGRADED["noise_sigma"], a.shape).astype(np.float32)
    h, w = a.shape
    # A few specks: dust (dark) and drop-outs (light), 1-3 px across.
    for _ in range(DEGRADED["specks"]):
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        s = int(rng.integers(1, 4))
        a[y : y + s, x : x + s] = 0.0 if rng.random() < 0.6 else 255.0
    im = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "L")

    if sideways:
        im = im.transpose(Image.Transpose.ROTATE_270)  # 90 degrees clockwise
    return im, angle


def jpeg(im, quality, dpi):
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, optimize=True, progressive=False, dpi=(dpi, dpi))
    return buf.getvalue()


# --------------------------------------------------------------------------
# A minimal PDF writer: one full-page image per page
# --------------------------------------------------------------------------


def num(x):
    """A PDF number without float noise: 595.304 -> '595.304', 842.0 -> '842'."""
    s = f"{x:.3f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def write_pdf(path, pages):
    """pages: [(width_pt, height_pt, jpeg_bytes, px_width, px_height)]."""
    n = len(pages)
    # Objects: 1 catalog, 2 page tree, 3 info, then per page: page, content, image.
    page_ids = [4 + 3 * i for i in range(n)]
    objects = {}
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()
    objects[3] = b"<< /Producer (arkiv tests/data/scanned/make.py) >>"
    for i, (w, h, data, pw, ph) in enumerate(pages):
        pid, cid, iid = page_ids[i], page_ids[i] + 1, page_ids[i] + 2
        objects[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {num(w)} {num(h)}] "
            f"/Resources << /XObject << /Im0 {iid} 0 R >> >> /Contents {cid} 0 R >>"
        ).encode()
        content = f"q {num(w)} 0 0 {num(h)} 0 0 cm /Im0 Do Q\n".encode()
        objects[cid] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        objects[iid] = (
            f"<< /Type /XObject /Subtype /Image /Width {pw} /Height {ph} /ColorSpace /DeviceGray "
            f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\nstream\n"
        ).encode() + data + b"\nendstream"

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for oid in sorted(objects):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n" % oid + objects[oid] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n" % size
    out += b"0000000000 65535 f \n"
    for oid in range(1, size):
        out += b"%010d 00000 n \n" % offsets[oid]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))


# --------------------------------------------------------------------------


def build_one(pdf, producer, quality, tmp):
    name = pdf.stem
    sizes = page_sizes(pdf)
    sideways_page = 2 if len(sizes) >= 2 else 1
    pages, notes = [], []
    for i, (w, h) in enumerate(sizes, start=1):
        if quality == "clean":
            im = render(pdf, i, CLEAN["dpi"], tmp)
            data = jpeg(im, CLEAN["quality"], CLEAN["dpi"])
            pages.append((w, h, data, im.width, im.height))
        else:
            im = render(pdf, i, DEGRADED["dpi"], tmp)
            sideways = i == sideways_page
            im, angle = degrade(im, rng_for(producer, name, i), sideways)
            data = jpeg(im, DEGRADED["quality"], DEGRADED["dpi"])
            if sideways:
                w, h = h, w
            pages.append((w, h, data, im.width, im.height))
            notes.append(f"{angle:+.2f}{' sideways' if sideways else ''}")
    out = OUT / quality / "pdf" / producer / f"{name}.pdf"
    write_pdf(out, pages)
    return out, len(pages), notes


def main():
    if not CORPUS.is_dir():
        sys.exit(f"make.py: {CORPUS} not found; run from the project root")
    for tool in ("pdftoppm", "pdfinfo"):
        if not shutil.which(tool):
            sys.exit(f"make.py: {tool} not found (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as tmp:
        for quality in ("clean", "degraded"):
            truth_dir = OUT / quality / "truth"
            truth_dir.mkdir(parents=True, exist_ok=True)
            names = set()
            for producer in PRODUCERS:
                for pdf in sorted((CORPUS / "pdf" / producer).glob("*.pdf")):
                    out, n, notes = build_one(pdf, producer, quality, tmp)
                    names.add(pdf.stem)
                    extra = f"  [{', '.join(notes)}]" if notes else ""
                    print(f"{out}  {n} pages  {out.stat().st_size} bytes{extra}")
            for name in sorted(names):
                shutil.copyfile(CORPUS / "truth" / f"{name}.txt", truth_dir / f"{name}.txt")


if __name__ == "__main__":
    main()
