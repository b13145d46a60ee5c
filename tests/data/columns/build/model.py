"""Document model for tests/data/columns/ (two-column PDFs).

Adapted copy of ../../../../../shared/corpus/build/model.py (the shared corpus's model).
What differs:

- CORPUS is tests/data/columns/; NAMES are the four new documents.
- Reports and circulars share one Markdown-like syntax: `#` title, `##` section,
  `###` sub-section, `####` an unnumbered bold sub-heading in body size,
  `- ` list items, tab-separated tables (first row a header), `---` rule,
  `<sup>N</sup> text` footnote, a multi-line block = line-broken lines.
  The result-report parser no longer merges paragraphs split at page breaks
  (these sources have none).
- A `columns` block marks where the full-width title block ends and the
  two-column body begins: after the title line of a report, after the Rubrik
  heading of a circular. It has no text.
- Organisation and date come from META (the circulars' Datum, the reports'
  dated closing line), not hard-coded.
- The circular header keys include "Diarienr".
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
SOURCE = CORPUS / "source"

BULLET = "\u2022"  # how every renderer draws a list item marker


@dataclass
class Block:
    kind: str  # heading | para | doctype | lines | list | table | rule | footnote | columns
    spans: list = field(default_factory=list)
    level: int = 0  # heading level in the source: 1 title, 2 section, 3 sub-section, 4 bold sub-heading
    lines: list = None
    items: list = None
    rows: list = None
    header: bool = False
    widths: list = None
    note: str = ""
    region: str = "main"


@dataclass
class Document:
    name: str
    kind: str  # resultatrapport | cirkular
    title: str  # running header text and PDF /Title
    author: str  # organisation, used for PDF /Author
    date: str
    blocks: list


def plain(text):
    return [(text, "")]


def spans_text(spans):
    return "".join(t for t, _ in spans)


INLINE = re.compile(
    r"\*\*(?P<strong>.+?)\*\*"
    r"|\*(?P<em>[^*]+?)\*"
    r"|<sup>(?P<sup>[^<]+)</sup>"
    r"|<(?P<url>https?://[^>]+)>"
)


def parse_inline(text):
    spans, pos = [], 0
    for m in INLINE.finditer(text):
        if m.start() > pos:
            spans.append((text[pos : m.start()], ""))
        if m.group("strong"):
            spans.append((m.group("strong"), "strong"))
        elif m.group("em"):
            spans.append((m.group("em"), "em"))
        elif m.group("sup"):
            spans.append((m.group("sup"), "sup"))
        else:
            spans.append((m.group("url"), "link:" + m.group("url")))
        pos = m.end()
    if pos < len(text):
        spans.append((text[pos:], ""))
    return spans


def body_block(b):
    """One blank-line separated block of a report's or a circular's body."""
    lines = b.split("\n")
    if b.startswith("#"):
        hashes = len(b) - len(b.lstrip("#"))
        return Block("heading", plain(b[hashes:].strip()), level=hashes)
    if b == "---":
        return Block("rule")
    if "\t" in b:
        rows = [line.split("\t") for line in lines]
        return Block("table", rows=rows, header=True, widths=[0.34, 0.66])
    if lines[0].startswith("- "):
        assert all(line.startswith("- ") for line in lines), b
        return Block("list", items=[[parse_inline(line[2:])] for line in lines])
    if m := re.match(r"<sup>(\d+)</sup> (.*)", b, re.S):
        return Block("footnote", parse_inline(m.group(2)), note=m.group(1))
    if len(lines) > 1:
        return Block("lines", lines=[plain(line) for line in lines])
    return Block("para", parse_inline(b))


META = {
    # name: (organisation, date the document states)
    "resultatrapport-2021-jamstalld-styrning": ("SKR", "2022-02-18"),
    "slutrapport-2019-2022-kvinnofrid": ("SKR", "2023-03-09"),
    "cirkular-20-04-2020": ("SKR", "2020-02-04"),
    "cirkular-22-11-2022": ("SKR", "2022-05-17"),
}


def parse_report(name, text):
    raw = text.strip("\n").split("\n\n")
    blocks = [body_block(b) for b in raw]
    assert blocks[0].kind == "heading" and blocks[0].level == 1
    blocks.insert(1, Block("columns"))
    author, date = META[name]
    return Document(name, "resultatrapport", spans_text(blocks[0].spans), author, date, blocks)


CIRCULAR_KEYS = (
    "Cirkulärnr",
    "Diarienr",
    "Diariernr",
    "Nyckelord",
    "Handläggare",
    "Avdelning",
    "Sektion/Enhet",
    "Enhet",
    "Datum",
    "Mottagare",
    "Rubrik",
)


def parse_circular(name, text):
    raw = text.strip("\n").split("\n\n")
    rows = []
    for line in raw[0].split("\n"):
        key, sep, value = line.partition(": ")
        if sep and key in CIRCULAR_KEYS:
            rows.append([key + ":", value])
        else:
            rows[-1][1] += " " + line
    blocks = [Block("table", rows=rows, widths=[0.2, 0.8])]
    subject = dict((k.rstrip(":"), v) for k, v in rows)["Rubrik"]
    number = dict((k.rstrip(":"), v) for k, v in rows)["Cirkulärnr"]
    for b in raw[1:]:
        if b.startswith("CIRKULÄR"):
            blocks.append(Block("doctype", plain(b)))
        elif b == subject:
            blocks.append(Block("heading", plain(b), level=1))
            blocks.append(Block("columns"))
        else:
            blocks.append(body_block(b))
    author, date = META[name]
    return Document(name, "cirkular", f"Cirkulär {number} – {subject}", author, date, blocks)


NAMES = [
    "resultatrapport-2021-jamstalld-styrning",
    "slutrapport-2019-2022-kvinnofrid",
    "cirkular-20-04-2020",
    "cirkular-22-11-2022",
]


def load(name):
    text = (SOURCE / f"{name}.txt").read_text(encoding="utf-8")
    if name.startswith("cirkular-"):
        return parse_circular(name, text)
    return parse_report(name, text)


def load_all():
    return [load(n) for n in NAMES]


def block_text(b):
    if b.kind in ("rule", "columns"):
        return None
    if b.kind == "lines":
        return "\n".join(spans_text(line) for line in b.lines)
    if b.kind == "list":
        return "\n".join(
            BULLET + " " + "\n".join(spans_text(line) for line in item) for item in b.items
        )
    if b.kind == "table":
        return "\n".join("\t".join(row) for row in b.rows)
    if b.kind == "footnote":
        return b.note + " " + spans_text(b.spans)
    return spans_text(b.spans)


def truth_text(doc, region=None):
    parts = [block_text(b) for b in doc.blocks if region is None or b.region == region]
    return "\n\n".join(p for p in parts if p is not None) + "\n"


def source_words(name):
    text = (SOURCE / f"{name}.txt").read_text(encoding="utf-8")
    text = re.sub(r"</?sup>", "", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"(?m)^#+ |^---$", "", text)
    text = re.sub(r"(?m)^- |^ *" + BULLET + " ", BULLET + " ", text)
    return text.split()
