"""ReportLab producer: Platypus layout with the standard 14 fonts
(copied 2026-12-02 from ../shared/corpus/build/render_reportlab.py (from the project root)).

    python3 render_reportlab.py NAME OUT.pdf

Helvetica is not embedded and uses WinAnsiEncoding; justified paragraphs are
stretched with the Tw (word spacing) operator. Every page gets a running
header (document title, left) and a page number in the Swedish style
"N (M)" (right), as on SKL letters; both are excluded from the truth.
"""

import sys
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    HRFlowable,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

import model

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14, alignment=TA_JUSTIFY, spaceAfter=7)
LEFT = ParagraphStyle("left", parent=BODY, alignment=TA_LEFT)
CELL = ParagraphStyle("cell", parent=LEFT, fontSize=9, leading=11.5, spaceAfter=0)
META = ParagraphStyle("meta", parent=LEFT, fontSize=8.5, textColor=colors.HexColor("#555555"))
KICKER = ParagraphStyle("kicker", parent=LEFT, fontName="Helvetica-Bold", textColor=colors.HexColor("#555555"))
DOCTYPE = ParagraphStyle("doctype", parent=LEFT, fontName="Helvetica-Bold", fontSize=16, leading=20, spaceBefore=10, spaceAfter=10)
FOOTNOTE = ParagraphStyle("footnote", parent=BODY, fontSize=8, leading=10, spaceAfter=3)
HEADINGS = {
    1: ParagraphStyle("h1", parent=LEFT, fontName="Helvetica-Bold", fontSize=17, leading=21, spaceBefore=6, spaceAfter=10),
    2: ParagraphStyle("h2", parent=LEFT, fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=10, spaceAfter=5),
    3: ParagraphStyle("h3", parent=LEFT, fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=4),
}


def markup(spans):
    """Spans -> ReportLab paragraph markup."""
    out = []
    for text, style in spans:
        t = escape(text)
        if style == "em":
            t = f"<i>{t}</i>"
        elif style == "strong":
            t = f"<b>{t}</b>"
        elif style == "sup":
            t = f"<super>{t}</super>"
        elif style.startswith("link:"):
            t = f'<a href="{escape(style[5:])}" color="#00529b">{t}</a>'
        out.append(t)
    return "".join(out)


def flowables(b):
    k = b.kind
    if k == "heading":
        return [Paragraph(markup(b.spans), HEADINGS[b.level])]
    if k == "para":
        return [Paragraph(markup(b.spans), BODY)]
    if k == "meta":
        return [Paragraph(markup(b.spans), META)]
    if k == "kicker":
        return [Paragraph(markup(b.spans), KICKER)]
    if k == "doctype":
        return [Paragraph(markup(b.spans), DOCTYPE)]
    if k == "link":
        return [Paragraph(f'<a href="{escape(b.href)}" color="#00529b"><b>{markup(b.spans)}</b></a>', LEFT)]
    if k == "lines":
        return [Paragraph("<br/>".join(markup(line) for line in b.lines), LEFT)]
    if k == "list":
        items = [
            ListItem(Paragraph("<br/>".join(markup(line) for line in item), LEFT), value="\u2022")
            for item in b.items
        ]
        return [ListFlowable(items, bulletType="bullet", start="\u2022", bulletFontName="Helvetica", leftIndent=14, bulletFontSize=10)]
    if k == "table":
        data = [[Paragraph(escape(c), CELL) for c in row] for row in b.rows]
        width = A4[0] - 50 * mm
        col_widths = [width * w for w in b.widths] if b.widths else None
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if b.header:
            data[0] = [Paragraph(f"<b>{escape(c)}</b>", CELL) for c in b.rows[0]]
        t = Table(data, colWidths=col_widths, hAlign="LEFT", repeatRows=1 if b.header else 0)
        t.setStyle(TableStyle(style))
        t.spaceAfter = 8
        return [t]
    if k == "rule":
        return [HRFlowable(width="35%", thickness=0.5, color=colors.black, hAlign="LEFT", spaceBefore=8, spaceAfter=4)]
    if k == "footnote":
        return [Paragraph(f"<super>{escape(b.note)}</super> {markup(b.spans)}", FOOTNOTE)]
    raise ValueError(k)


class NumberedCanvas(rl_canvas.Canvas):
    """Draws the running header once the page count is known."""

    title = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.draw_header(total)
            super().showPage()
        super().save()

    def draw_header(self, total):
        width, height = A4
        self.saveState()
        self.setFont("Helvetica", 8)
        self.drawString(25 * mm, height - 15 * mm, self.title)
        self.drawRightString(width - 25 * mm, height - 15 * mm, f"{self._pageNumber} ({total})")
        self.setLineWidth(0.4)
        self.line(25 * mm, height - 17 * mm, width - 25 * mm, height - 17 * mm)
        self.restoreState()


def render(doc, out):
    pdf = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=22 * mm,
        title=doc.title,
        author=doc.author,
        lang="sv-SE",
    )
    frame = Frame(pdf.leftMargin, pdf.bottomMargin, pdf.width, pdf.height, id="body")
    pdf.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story = []
    for b in doc.blocks:
        story += flowables(b)
    canvas_class = type("DocCanvas", (NumberedCanvas,), {"title": doc.title})
    pdf.build(story, canvasmaker=canvas_class)


if __name__ == "__main__":
    render(model.load(sys.argv[1]), sys.argv[2])
