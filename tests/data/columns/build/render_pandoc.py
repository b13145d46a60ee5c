"""Pandoc inputs for two producers: DOCX (-> LibreOffice) and LaTeX (-> pdflatex).

Adapted copy of shared/corpus/build/render_pandoc.py for tests/data/columns/:
the body is set in TWO COLUMNS below a full-width title block.

- DOCX: the `columns` block becomes an empty paragraph carrying a one-column
  section break (w:sectPr with w:cols w:num="1"); the document's final sectPr
  (from the reference docx) is continuous with w:cols w:num="2" w:space="567"
  (1 cm gap). Heading 4 (the `####` sub-headings) is bold body-size serif, not
  italic. Body text is justified and automatic hyphenation is switched on
  (settings.xml w:autoHyphenation; LibreOffice uses hyphen-sv).
- LaTeX: everything after the `columns` block is inside multicol's
  \begin{multicols}{2} ... \end{multicols} (longtable cannot be used in
  columns, so tables inside the columns are written as raw tabular with
  p{} columns; the circular header table stays a pandoc table above the
  columns). The title line (level 1) is raw LaTeX \LARGE bold, ragged right; source levels
  2/3/4 become \section / \subsection / \subsubsection, so a `####`
  sub-heading is bold in body size, unlike the larger numbered ones. The
  headings are set ragged right (build/header.tex), so they wrap without
  hyphens, as the DOCX headings (w:suppressAutoHyphens) do.

The document model is written out as a pandoc JSON AST rather than as
Markdown, so nothing in the text can be misread as markup.

Usage:
    python3 render_pandoc.py docx NAME OUT.json REFERENCE.docx
    python3 render_pandoc.py props NAME FILE.docx   # set title/author after pandoc
    python3 render_pandoc.py latex NAME OUT.json
"""

import json
import os
import re
import subprocess
import sys
import zipfile

import model

API = [1, 22, 2, 1]  # pandoc 2.17
NOATTR = ["", [], []]


# --------------------------------------------------------------------------
# Inlines
# --------------------------------------------------------------------------


def words(text):
    """Text -> Str/Space inlines (the sources contain only plain spaces)."""
    out = []
    for i, w in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if w:
            out.append({"t": "Str", "c": w})
    return out


def inlines(spans):
    out = []
    for text, style in spans:
        if style == "":
            out += words(text)
        elif style == "em":
            out.append({"t": "Emph", "c": words(text)})
        elif style == "strong":
            out.append({"t": "Strong", "c": words(text)})
        elif style == "sup":
            out.append({"t": "Superscript", "c": words(text)})
        elif style.startswith("link:"):
            url = style[5:]
            out.append({"t": "Link", "c": [["", ["uri"], []], words(text), [url, ""]]})
        else:
            raise ValueError(style)
    return out


def line_broken(lines):
    """Several printed lines of one paragraph, joined with hard line breaks."""
    out = []
    for i, line in enumerate(lines):
        if i:
            out.append({"t": "LineBreak"})
        out += inlines(line)
    return out


def para(inl):
    return {"t": "Para", "c": inl}


def raw(fmt, text):
    return {"t": "RawBlock", "c": [fmt, text]}


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def cell(text):
    content = [{"t": "Plain", "c": words(text)}] if text else []
    return [NOATTR, {"t": "AlignDefault"}, 1, 1, content]


def table(b):
    ncols = len(b.rows[0])
    if b.widths:
        colspecs = [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": w}] for w in b.widths]
    else:
        colspecs = [[{"t": "AlignLeft"}, {"t": "ColWidthDefault"}]] * ncols
    rows = [[NOATTR, [cell(t) for t in row]] for row in b.rows]
    head, body = (rows[:1], rows[1:]) if b.header else ([], rows)
    return {
        "t": "Table",
        "c": [
            NOATTR,
            [None, []],
            colspecs,
            [NOATTR, head],
            [[NOATTR, 0, [], body]],
            [NOATTR, []],
        ],
    }


# --------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------


def styled(fmt, style, blocks, latex_open, latex_close="\\par}"):
    """A paragraph in a named style: a custom style in DOCX, a group in LaTeX."""
    if fmt == "docx":
        return [{"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}]
    return [raw("latex", latex_open)] + blocks + [raw("latex", latex_close)]


def tex_escape(t):
    out = []
    for ch in t:
        if ch in "&%$#_{}":
            out.append("\\" + ch)
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        elif ch == "\\":
            out.append("\\textbackslash{}")
        else:
            out.append(ch)
    return "".join(out)


def latex_column_table(b):
    """A table inside a column: tabular with wrapping p{} cells and rules."""
    w = b.widths or [1.0 / len(b.rows[0])] * len(b.rows[0])
    spec = "@{}" + "@{\\hspace{0.03\\linewidth}}".join(
        f">{{\\raggedright\\arraybackslash}}p{{{x - 0.03 / len(w):.3f}\\linewidth}}" for x in w) + "@{}"
    lines = ["\\par\\smallskip\\noindent\\begin{tabular}{" + spec + "}", "\\hline"]
    for i, row in enumerate(b.rows):
        cells = [tex_escape(c) for c in row]
        if i == 0 and b.header:
            cells = ["\\textbf{" + c + "}" for c in cells]
        lines.append(" & ".join(cells) + " \\\\" + (" \\hline" if i == 0 and b.header else ""))
    lines += ["\\hline", "\\end{tabular}\\par\\smallskip"]
    return raw("latex", "\n".join(lines))


IN_COLUMNS = {"on": False}


def block(b, fmt):
    k = b.kind
    if k == "columns":
        IN_COLUMNS["on"] = True
        if fmt == "docx":
            return [raw("openxml", SECTION_BREAK_ONE_COLUMN)]
        return [raw("latex", "\\begin{multicols}{2}")]
    if k == "heading":
        if fmt == "latex":
            if b.level == 1:
                return [raw("latex", "\\noindent{\\raggedright\\LARGE\\bfseries " + tex_escape(spans_text_b(b)) + "\\par}\\bigskip")]
            return [{"t": "Header", "c": [b.level - 1, NOATTR, inlines(b.spans)]}]
        return [{"t": "Header", "c": [b.level, NOATTR, inlines(b.spans)]}]
    if k == "para":
        return [para(inlines(b.spans))]
    if k == "link":
        return [para([{"t": "Link", "c": [NOATTR, inlines(b.spans), [b.href, ""]]}])]
    if k == "meta":
        return styled(fmt, "Published", [para(inlines(b.spans))], "{\\small\\sffamily")
    if k == "kicker":
        return styled(fmt, "Kicker", [para(inlines(b.spans))], "{\\sffamily\\bfseries")
    if k == "doctype":
        return styled(fmt, "Doctype", [para(inlines(b.spans))], "{\\Large\\sffamily\\bfseries")
    if k == "lines":
        return styled(fmt, "Address", [para(line_broken(b.lines))], "{\\raggedright")
    if k == "list":
        items = [[{"t": "Plain", "c": line_broken(item)}] for item in b.items]
        return [{"t": "BulletList", "c": items}]
    if k == "table":
        if fmt == "latex" and IN_COLUMNS["on"]:
            return [latex_column_table(b)]
        return [table(b)]
    if k == "rule":
        if fmt == "docx":
            return styled(fmt, "Footnote Rule", [para([])], "")
        return [raw("latex", "\\par\\medskip\\noindent\\rule{0.35\\linewidth}{0.4pt}\\par")]
    if k == "footnote":
        content = [{"t": "Superscript", "c": [{"t": "Str", "c": b.note}]}, {"t": "Space"}]
        content += inlines(b.spans)
        return styled(fmt, "Footnote Text", [para(content)], "{\\footnotesize")
    raise ValueError(k)


def spans_text_b(b):
    return model.spans_text(b.spans)


def ast(doc, fmt):
    blocks = []
    IN_COLUMNS["on"] = False
    for b in doc.blocks:
        blocks += block(b, fmt)
    if fmt == "latex" and IN_COLUMNS["on"]:
        blocks.append(raw("latex", "\\end{multicols}"))
    return {"pandoc-api-version": API, "meta": {}, "blocks": blocks}


# --------------------------------------------------------------------------
# Reference DOCX: page set-up, fonts, running header and "Sida N av M" footer
# --------------------------------------------------------------------------

W = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
SERIF = (
    '<w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif" '
    'w:eastAsia="Liberation Serif" w:cs="Liberation Serif" />'
)
SANS = (
    '<w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" '
    'w:eastAsia="Liberation Sans" w:cs="Liberation Sans" />'
)


def xml_escape(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def field(instr, shown):
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def header_xml(title):
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W}>'
        '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{xml_escape(title)}</w:t></w:r></w:p></w:hdr>'
    )


def footer_xml():
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W}>'
        '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">Sida </w:t></w:r>'
        + field("PAGE", "1")
        + '<w:r><w:t xml:space="preserve"> av </w:t></w:r>'
        + field("NUMPAGES", "1")
        + "</w:p></w:ftr>"
    )


EXTRA_STYLES = f"""
  <w:style w:type="paragraph" w:styleId="Header">
    <w:name w:val="header" /><w:basedOn w:val="Normal" />
    <w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080" /></w:pBdr>
      <w:tabs><w:tab w:val="right" w:pos="9070" /></w:tabs><w:spacing w:after="0" /></w:pPr>
    <w:rPr>{SANS}<w:sz w:val="16" /><w:szCs w:val="16" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Footer">
    <w:name w:val="footer" /><w:basedOn w:val="Normal" />
    <w:pPr><w:jc w:val="right" /><w:spacing w:after="0" /></w:pPr>
    <w:rPr>{SANS}<w:sz w:val="16" /><w:szCs w:val="16" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Published">
    <w:name w:val="Published" /><w:basedOn w:val="BodyText" />
    <w:rPr>{SANS}<w:color w:val="595959" /><w:sz w:val="18" /><w:szCs w:val="18" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Kicker">
    <w:name w:val="Kicker" /><w:basedOn w:val="BodyText" />
    <w:rPr>{SANS}<w:b /><w:color w:val="595959" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Doctype">
    <w:name w:val="Doctype" /><w:basedOn w:val="BodyText" />
    <w:pPr><w:spacing w:before="360" w:after="240" /></w:pPr>
    <w:rPr>{SANS}<w:b /><w:sz w:val="32" /><w:szCs w:val="32" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Address">
    <w:name w:val="Address" /><w:basedOn w:val="BodyText" />
    <w:pPr><w:spacing w:before="120" w:after="120" /><w:jc w:val="left" /></w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="FootnoteRule">
    <w:name w:val="Footnote Rule" /><w:basedOn w:val="Normal" />
    <w:pPr><w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="auto" /></w:pBdr>
      <w:spacing w:before="240" w:after="0" w:line="120" w:lineRule="exact" /><w:ind w:right="6000" /></w:pPr>
  </w:style>
</w:styles>"""

PAGE = (
    '<w:pgSz w:w="11906" w:h="16838" />'
    '<w:pgMar w:top="1701" w:right="1418" w:bottom="1418" w:left="1418" '
    'w:header="709" w:footer="709" w:gutter="0" />'
)
REFS = (
    '<w:headerReference w:type="default" r:id="rIdArkivHeader" />'
    '<w:footerReference w:type="default" r:id="rIdArkivFooter" />'
)
# The body: continuous section, two columns with a 1 cm gap.
SECTPR = (
    "<w:sectPr>" + REFS + '<w:type w:val="continuous" />' + PAGE
    + '<w:cols w:num="2" w:space="567" />' + "</w:sectPr>"
)
# End of the full-width title block: an empty paragraph holding the first
# section's properties (one column).
SECTION_BREAK_ONE_COLUMN = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact" />'
    "<w:sectPr>" + REFS + PAGE + '<w:cols w:num="1" w:space="708" />'
    "</w:sectPr></w:pPr></w:p>"
)


def reference_docx(title, out_path):
    default = subprocess.run(
        ["pandoc", "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    ).stdout
    src_path = out_path + ".default"
    with open(src_path, "wb") as f:
        f.write(default)
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":
                data = patch_styles(data.decode("utf-8")).encode("utf-8")
            elif item.filename == "word/document.xml":
                s = data.decode("utf-8")
                s = re.sub(r"<w:sectPr\s*/>|<w:sectPr>.*?</w:sectPr>", SECTPR, s, flags=re.S)
                data = s.encode("utf-8")
            elif item.filename == "word/_rels/document.xml.rels":
                rels = (
                    '<Relationship Id="rIdArkivHeader" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/header" Target="header1.xml" />'
                    '<Relationship Id="rIdArkivFooter" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/footer" Target="footer1.xml" />'
                )
                data = data.decode("utf-8").replace("</Relationships>", rels + "</Relationships>").encode()
            elif item.filename == "[Content_Types].xml":
                types = (
                    '<Override PartName="/word/header1.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.header+xml" />'
                    '<Override PartName="/word/footer1.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
                )
                data = data.decode("utf-8").replace("</Types>", types + "</Types>").encode()
            dst.writestr(item, data)
        dst.writestr("word/header1.xml", header_xml(title))
        dst.writestr("word/footer1.xml", footer_xml())
    os.remove(src_path)


def patch_styles(s):
    # Explicit fonts instead of theme fonts: serif body, sans headings.
    s = re.sub(r'<w:rFonts w:asciiTheme="minorHAnsi"[^>]*/>', SERIF, s)
    s = re.sub(r'<w:rFonts w:asciiTheme="majorHAnsi"[^>]*/>', SANS, s)
    # 11 pt body text, Swedish language (hyphenation and spelling).
    s = s.replace('<w:sz w:val="24" />\n        <w:szCs w:val="24" />', '<w:sz w:val="22" />\n        <w:szCs w:val="22" />', 1)
    s = s.replace('<w:lang w:val="en-US"', '<w:lang w:val="sv-SE"', 1)
    # Black headings.
    s = re.sub(r'<w:color w:val="[0-9A-F]{6}" w:themeColor="accent1"[^>]*/>', '<w:color w:val="000000" />', s)
    # Smaller footnote text.
    s = s.replace(
        '<w:name w:val="Footnote Text" />',
        '<w:name w:val="Footnote Text" /><w:rPr><w:sz w:val="18" /><w:szCs w:val="18" /></w:rPr>',
        1,
    )
    # Grid lines on tables.
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080" />'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    s = s.replace(
        '<w:tblInd w:w="0" w:type="dxa" />\n      <w:tblCellMar>',
        f'<w:tblInd w:w="0" w:type="dxa" />\n      <w:tblBorders>{borders}</w:tblBorders>\n      <w:tblCellMar>',
        1,
    )
    # Heading 4: bold serif in body size (11 pt), not italic: the unnumbered
    # sub-headings set apart only by bold type and space.
    def heading4(m):
        h = m.group(0)
        h = h.replace(SANS, SERIF).replace("<w:i />", "<w:b />")
        h = h.replace('<w:sz w:val="24" />', '<w:sz w:val="22" />').replace('<w:szCs w:val="24" />', '<w:szCs w:val="22" />')
        h = h.replace('<w:spacing w:before="200" w:after="0" />', '<w:spacing w:before="240" w:after="0" />')
        return h
    s = re.sub(r'<w:style w:type="paragraph" w:styleId="Heading4">.*?</w:style>', heading4, s, count=1, flags=re.S)
    # Headings and the title are not hyphenated (Word's usual heading setting);
    # the body is.
    s = re.sub(r'(<w:style w:type="paragraph" w:styleId="Heading[1-6]">.*?<w:pPr>)', r'\1<w:suppressAutoHyphens />', s, flags=re.S)
    # Justified body text (Body Text, First Paragraph inherit it).
    s = re.sub(r'(<w:style w:type="paragraph" w:styleId="BodyText">.*?<w:pPr>)', r'\1<w:jc w:val="both" />', s, count=1, flags=re.S)
    return s.replace("</w:styles>", EXTRA_STYLES, 1)


def set_properties(docx_path, title, author):
    """Fixes the section break's relationship ids and switches on automatic
    hyphenation (see below), then sets title and author in docProps/core.xml (LibreOffice copies them into the
    PDF's /Title and /Author). pandoc's own `title` would also print a title
    block, which the document does not have."""
    tmp = docx_path + ".tmp"
    with zipfile.ZipFile(docx_path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                # pandoc renumbers the header/footer relationships: give the
                # one-column section break the ids the final sectPr got.
                s = data.decode("utf-8")
                final = s[s.rfind("<w:sectPr"):]
                hdr = re.search(r'<w:headerReference[^>]*r:id="([^"]+)"', final).group(1)
                ftr = re.search(r'<w:footerReference[^>]*r:id="([^"]+)"', final).group(1)
                s = s.replace('r:id="rIdArkivHeader"', f'r:id="{hdr}"').replace('r:id="rIdArkivFooter"', f'r:id="{ftr}"')
                data = s.encode("utf-8")
            elif item.filename == "word/settings.xml":
                # Automatic hyphenation (pandoc writes its own settings.xml).
                s = data.decode("utf-8")
                if "autoHyphenation" not in s:
                    s = re.sub(r"(<w:settings[^>]*>)", r'\1<w:autoHyphenation w:val="true" />', s, count=1)
                data = s.encode("utf-8")
            elif item.filename == "docProps/core.xml":
                s = data.decode("utf-8")
                s = re.sub(r"<dc:title>.*?</dc:title>|<dc:title\s*/>", "", s)
                s = re.sub(r"<dc:creator>.*?</dc:creator>|<dc:creator\s*/>", "", s)
                props = f"<dc:title>{xml_escape(title)}</dc:title><dc:creator>{xml_escape(author)}</dc:creator>"
                s = s.replace("</cp:coreProperties>", props + "</cp:coreProperties>")
                data = s.encode("utf-8")
            dst.writestr(item, data)
    os.replace(tmp, docx_path)


def main():
    fmt, name, out = sys.argv[1:4]
    doc = model.load(name)
    if fmt == "props":
        set_properties(out, doc.title, doc.author)
        return
    with open(out, "w", encoding="utf-8") as f:
        json.dump(ast(doc, fmt), f, ensure_ascii=False)
    if fmt == "docx":
        reference_docx(doc.title, sys.argv[4])


if __name__ == "__main__":
    main()
