"""Document model for the held-out `arkiv follow` pair (adapted 2026-12-02
from ../shared/corpus/build/model.py (project root): own NAMES, per-document metadata for
result reports, multi-line blocks in reports rendered as "lines").

Original description follows.

Document model shared by every renderer of the test corpus.

Each text in ../source/ is parsed into a `Document`: a list of typed `Block`s
(headings, paragraphs, bullet lists, tables, footnotes, ...). Every renderer
(pandoc -> LibreOffice / pdflatex, HTML -> Chromium, ReportLab) draws the same
blocks, and the ground truth in ../truth/ is written from the same blocks, so
the truth always matches what was rendered.

The parsing is deliberately document-specific: the five sources are fixed,
and the role of every block of a web page (heading, link, boilerplate ...) is
written down below by hand rather than guessed.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
SOURCE = CORPUS / "source"

BULLET = "\u2022"  # how every renderer draws a list item marker


# --------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------

# An inline span is (text, style): style is "" (plain), "em", "strong",
# "sup" (superscript footnote mark) or "link:<href>".
Span = tuple


@dataclass
class Block:
    kind: str  # heading | para | meta | kicker | doctype | link | lines |
    #            list | table | rule | footnote
    spans: list = field(default_factory=list)  # inline content (text blocks)
    level: int = 0  # heading level, 1..3
    lines: list = None  # "lines": list of span lists, one per printed line
    items: list = None  # "list": items; an item is a list of lines (span lists)
    rows: list = None  # "table": rows of cell strings
    header: bool = False  # "table": first row is a header row
    widths: list = None  # "table": relative column widths, or None
    note: str = ""  # "footnote": the footnote number
    href: str = ""  # "link": link target
    region: str = "main"  # web pages: "main" (the article) or "chrome"
    #                       (site boilerplate a good pipeline drops)


@dataclass
class Document:
    name: str
    kind: str  # webbsida | resultatrapport | cirkular
    title: str  # running header text and PDF /Title
    author: str  # organisation, used for PDF /Author
    date: str  # ISO date of publication
    blocks: list


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def plain(text):
    return [(text, "")]


def spans_text(spans):
    return "".join(t for t, _ in spans)


def slug(text):
    """URL slug in the style of the SKL/SKR web site (å/ä -> a, ö -> o)."""
    t = text.lower()
    t = t.translate(str.maketrans("åäöé", "aaoe"))
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", t)


INLINE = re.compile(
    r"\*\*(?P<strong>.+?)\*\*"
    r"|\*(?P<em>[^*]+?)\*"
    r"|<sup>(?P<sup>[^<]+)</sup>"
    r"|<(?P<url>https?://[^>]+)>"
)


def parse_inline(text):
    """Markdown-ish inline markup of the result report -> spans."""
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


# --------------------------------------------------------------------------
# Web pages (webb-*): plain text as copied from the browser
# --------------------------------------------------------------------------


def split_web_blocks(text):
    """Blank-line separated blocks; '  • ' lines form lists, and an indented
    line continues the list item above it. Other multi-line blocks are split
    into one block per line (the browser copy glued them together)."""
    out = []
    for raw in text.strip("\n").split("\n\n"):
        lines = raw.split("\n")
        if lines[0].startswith("  " + BULLET + " "):
            items = []
            for line in lines:
                if line.startswith("  " + BULLET + " "):
                    items.append([line[4:]])
                else:
                    assert line.startswith("    "), line
                    items[-1].append(line.strip())
            out.append(("ul", items))
        else:
            for line in lines:
                out.append(("text", line))
    return out


# Role of every block, in order: meta (publication date line), kicker (label
# above the title), h1..h3, p, a (a stand-alone link, "read more"), ul.
# "|" marks where the article ends and site boilerplate (contact box,
# feedback widget, footer) begins.
WEB_ROLES = {
    "webb-2019-jamstalldhetssatsning": """
        meta h1 p p p ul
        h2 p p p
        h2 p
        h3 p a
        h3 p a
        h3 p a
        h3 p a
        h3 p a
        h2 p a
        h2 p ul
        h2 h3 p a h3 p a
        h2 h2 ul
        | h2 p p p p p p
    """,
    "webb-2021-jamstalldhet": """
        meta h1 p
        h2 p
        h2 p p
        h2 p p
        h2 p a
        h2 p
        | a a a h2 a p p a
    """,
    "webb-2020-fraga-och-svar": """
        meta kicker h1 p p p
        h2 p p p p p p p p p
        h2 ul
        h2 p
        h2 p p
        h3 p
        h3 p
        h2 h2 ul
        | h2 p p a p p
    """,
}

# Web pages live under this section of the SKL/SKR site; link targets are
# absolute URLs so that no renderer resolves them against a local file.
SITE_HOSTS = {"SKL": "https://skl.se", "SKR": "https://skr.se"}
SECTION_PATH = "/demokratiledningstyrning/manskligarattigheter/jamstalldhet"
SITE_WIDE_LINKS = {"Kontakta SKR", "Covid-19 och det nya coronaviruset"}


def page_url(doc):
    """Canonical URL of a web page (the section landing page has the section's URL)."""
    host = SITE_HOSTS[doc.author]
    if doc.name == "webb-2021-jamstalldhet":
        return f"{host}{SECTION_PATH}.html"
    return f"{host}{SECTION_PATH}/{slug(doc.title)}.html"


def link_url(author, text):
    host = SITE_HOSTS[author]
    if text in SITE_WIDE_LINKS:
        return f"{host}/{slug(text)}.html"
    return f"{host}{SECTION_PATH}/{slug(text)}.html"


WEB_META = {
    "webb-2019-jamstalldhetssatsning": ("SKL", "2019-09-19"),
    "webb-2021-jamstalldhet": ("SKR", "2021-03-26"),
    "webb-2020-fraga-och-svar": ("SKR", "2020-11-13"),
}


def parse_web(name, text):
    author, date = WEB_META[name]
    roles = WEB_ROLES[name].split()
    raw = split_web_blocks(text)
    region, blocks = "main", []
    roles_iter = iter(roles)
    for kind, content in raw:
        role = next(roles_iter)
        if role == "|":
            region, role = "chrome", next(roles_iter)
        if kind == "ul":
            assert role == "ul", (name, role, content)
            items = [[plain(line) for line in item] for item in content]
            blocks.append(Block("list", items=items, region=region))
            continue
        assert role != "ul", (name, content)
        if role.startswith("h"):
            blocks.append(Block("heading", plain(content), level=int(role[1]), region=region))
        elif role == "a":
            blocks.append(Block("link", plain(content), href=link_url(author, content), region=region))
        else:
            blocks.append(Block({"p": "para"}.get(role, role), plain(content), region=region))
    assert next(roles_iter, None) is None, name + ": more roles than blocks"
    title = next(b for b in blocks if b.kind == "heading" and b.level == 1)
    return Document(name, "webbsida", spans_text(title.spans), author, date, blocks)


# --------------------------------------------------------------------------
# Result report: Markdown-like text extracted from the original PDF
# --------------------------------------------------------------------------


def report_heading_level(text, first):
    if first:
        return 1
    if re.match(r"\d+\.\d+ ", text):
        return 3
    if re.match(r"\d+\. ", text):
        return 2
    # Unnumbered sub-headings of section 3 in the original.
    return 3


def parse_report(name, text):
    raw = [b for b in text.strip("\n").split("\n\n")]
    # The extraction split three paragraphs at page breaks ("... god vård och"
    # / "omsorg på lika villkor ..."). The rendered document has them whole.
    merged = []
    for b in raw:
        if (
            merged
            and re.match(r"[a-zåäö]", b)
            and not merged[-1].startswith(("#", "-", "<sup>"))
            and not re.search(r"[.!?:]$", merged[-1])
        ):
            merged[-1] = merged[-1] + " " + b
        else:
            merged.append(b)

    blocks, first_heading = [], True
    for b in merged:
        if b.startswith("#"):
            t = b.lstrip("#").strip()
            t = re.sub(r"^\*\*(.*)\*\*$", r"\1", t)
            blocks.append(Block("heading", plain(t), level=report_heading_level(t, first_heading)))
            first_heading = False
        elif b == "---":
            blocks.append(Block("rule"))
        elif b.startswith("- "):
            items = []
            for line in b.split("\n"):
                assert line.startswith("- "), line
                items.append([parse_inline(line[2:])])
            blocks.append(Block("list", items=items))
        elif m := re.match(r"<sup>(\d+)</sup> (.*)", b, re.S):
            blocks.append(Block("footnote", parse_inline(m.group(2)), note=m.group(1)))
        elif "\n" in b:
            # A signature block: one printed line per source line.
            blocks.append(Block("lines", lines=[parse_inline(line) for line in b.split("\n")]))
        else:
            blocks.append(Block("para", parse_inline(b)))
    title = spans_text(blocks[0].spans)
    author, date = REPORT_META[name]
    return Document(name, "resultatrapport", title, author, date, blocks)


# Organisation and stated date ("" when the text states none) of each report.
REPORT_META = {
    "resultatrapport-2021-hedersrelaterat-vald": ("SKR", ""),
    "slutrapport-2021-2023-hedersfortryck": ("SKR", "2024-03-15"),
}


# --------------------------------------------------------------------------
# Circular: header block of "Key: value" lines, then the letter
# --------------------------------------------------------------------------

CIRCULAR_KEYS = (
    "Cirkulärnr",
    "Diariernr",
    "Nyckelord",
    "Handläggare",
    "Avdelning",
    "Sektion/Enhet",
    "Datum",
    "Mottagare",
    "Rubrik",
)


def parse_circular(name, text):
    raw = text.strip("\n").split("\n\n")
    # 1. Metadata block. A line that does not start with a known key
    #    continues the value above it (the original wrapped long values).
    rows = []
    for line in raw[0].split("\n"):
        key, sep, value = line.partition(": ")
        if sep and key in CIRCULAR_KEYS:
            rows.append([key + ":", value])
        else:
            rows[-1][1] += " " + line
    blocks = [Block("table", rows=rows, widths=[0.2, 0.8])]
    subject = dict((k.rstrip(":"), v) for k, v in rows)["Rubrik"]

    # 2. The letter itself.
    for b in raw[1:]:
        lines = b.split("\n")
        if "\t" in b:
            blocks.append(Block("table", rows=[line.split("\t") for line in lines], header=True))
        elif lines[0].startswith("- "):
            assert all(line.startswith("- ") for line in lines), b
            blocks.append(Block("list", items=[[plain(line[2:])] for line in lines]))
        elif b.startswith("CIRKULÄR"):
            blocks.append(Block("doctype", plain(b)))
        elif b == subject:
            blocks.append(Block("heading", plain(b), level=1))
        elif len(lines) > 1:
            blocks.append(Block("lines", lines=[plain(line) for line in lines]))
        else:
            blocks.append(Block("para", plain(b)))
    number = rows[0][1]
    return Document(
        name, "cirkular", f"Cirkulär {number} – {subject}", "SKL", "2012-04-04", blocks
    )


# --------------------------------------------------------------------------
# Loading and ground truth
# --------------------------------------------------------------------------

NAMES = [
    "resultatrapport-2021-hedersrelaterat-vald",
    "slutrapport-2021-2023-hedersfortryck",
]


def load(name):
    text = (SOURCE / f"{name}.txt").read_text(encoding="utf-8")
    if name.startswith("webb-"):
        return parse_web(name, text)
    if name.startswith(("resultatrapport-", "slutrapport-")):
        return parse_report(name, text)
    return parse_circular(name, text)


def load_all():
    return [load(n) for n in NAMES]


def block_text(b):
    """Ground-truth text of one block, or None for blocks without text."""
    if b.kind == "rule":
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
    """All blocks (PDF truth), or only one region (HTML article truth)."""
    parts = [block_text(b) for b in doc.blocks if region is None or b.region == region]
    return "\n\n".join(p for p in parts if p is not None) + "\n"


def source_words(name):
    """Words of the source with its markup removed: the truth must have
    exactly these words (checked by build_truth.py)."""
    text = (SOURCE / f"{name}.txt").read_text(encoding="utf-8")
    text = re.sub(r"</?sup>", "", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"(?m)^#+ |^---$", "", text)
    text = re.sub(r"(?m)^- |^ *" + BULLET + " ", BULLET + " ", text)
    return text.split()
