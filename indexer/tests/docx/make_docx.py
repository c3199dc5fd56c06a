#!/usr/bin/env python3
"""Writes 000_first_table.docx: the first table of data/000_2ed6aacce9ed946a.txt
(its title, year line and the 待遇保障和医药服务工作经费 table) as a Word
document, the way Word stores it: one w:tbl of 7 grid columns, a cell
followed by empty cells in the text export is one cell spanning them
(w:gridSpan), the empty first cells under 项目资金 (元) continue a vertical
merge (w:vMerge). Deterministic (fixed timestamps), so re-running it
reproduces the committed file. Run from the repository root:

    python3 indexer/tests/docx/make_docx.py
"""
import zipfile
from xml.sax.saxutils import escape

SOURCE = 'data/000_2ed6aacce9ed946a.txt'
OUT = 'indexer/tests/docx/000_first_table.docx'
COLUMNS = 7
W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

lines = open(SOURCE, encoding='utf-8').read().split('\n')
title, year = lines[2], lines[4]
table = lines[6:32]  # 项目名称 … 满意度指标
assert table[0].startswith('项目名称') and table[-1].startswith('满意度指标'), table[-1]

def run(text):
    return ('<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体"/><w:sz w:val="21"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')

def paragraph(text, centred=False):
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centred else ''
    return f'<w:p>{ppr}{run(text) if text else ""}</w:p>'

def row(line, merge_first):
    cells = line.split('\t')
    cells += [''] * (COLUMNS - len(cells))
    out, i = [], 0
    while i < COLUMNS:
        span = 1
        # an empty cell after a filled one is part of it (Word merges them)
        while cells[i] and i + span < COLUMNS and not cells[i + span]:
            span += 1
        props = f'<w:tcW w:w="{1200 * span}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if i == 0 and merge_first is not None:
            props += '<w:vMerge w:val="restart"/>' if merge_first else '<w:vMerge/>'
        out.append(f'<w:tc><w:tcPr>{props}</w:tcPr>{paragraph(cells[i])}</w:tc>')
        i += span
    return '<w:tr>' + ''.join(out) + '</w:tr>'

rows = []
merging = False
for line in table:
    first = line.split('\t')[0]
    # 项目资金 (元) and 绩效指标 span the rows below them whose first cell is empty
    if first.startswith('项目资金') or first == '绩效指标':
        merging, merge = True, True
    elif first == '' and merging:
        merge = False
    else:
        merging, merge = False, None
    rows.append(row(line, merge))

grid = ''.join('<w:gridCol w:w="1200"/>' for _ in range(COLUMNS))
body = (paragraph(title, True) + paragraph('') + paragraph(year, True) + paragraph('')
        + '<w:tbl><w:tblPr><w:tblW w:w="8400" w:type="dxa"/><w:tblBorders>'
        + ''.join(f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for b in ('top', 'left', 'bottom', 'right', 'insideH', 'insideV'))
        + f'</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>' + ''.join(rows) + '</w:tbl>'
        + paragraph('') + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>')
document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '</Relationships>')

with zipfile.ZipFile(OUT, 'w', zipfile.ZIP_DEFLATED) as z:
    for name, text in [('[Content_Types].xml', content_types), ('_rels/.rels', rels), ('word/document.xml', document)]:
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode('utf-8'))
print(OUT)
