#!/usr/bin/env python3
"""Writes the PDF fixtures of reader/tests/pdf.rs: real tables of data/,
laid out as HTML the way publishers lay them out, printed to PDF by headless
Chromium ("print to PDF", fonts-noto-cjk), as a journalist would download
them. Run from the repository root (needs /usr/bin/chromium):

    python3 reader/tests/pdf/make_pdfs.py

The HTML pages are kept next to the PDFs.

With `--budget OUT.pdf [PAGES]` it prints instead a long budget document
for the speed benchmark (not a fixture): every table of data/*.txt as a
bordered HTML table, every other line as a paragraph, repeated until the
print has about PAGES pages (default 300). In every table the cells of the
text printing keep their columns: a cell followed by empty cells spans them
(colspan), and the leading empty cells of a row belong to the label above
them (rowspan; the label is printed in the middle of the rows it spans, as
merged cells are).

- 000_first_table.pdf: the first table of data/000 (title, year, the
  待遇保障和医药服务工作经费 table): bordered, A4, long cells wrapping onto
  several lines, 绩效指标 and 产出指标 centred on the rows they span, the
  table running onto a second page where its first row is printed again
  (<thead>), a running header and a page number in the margins.
- 000_third_table.pdf: the third table of data/000 (下达2024年中央财政医疗
  服务与保障能力提升补助资金…), bordered, A5: its 绩效指标 label spans more
  rows than a page holds, so the page break cuts the merged cell; page
  numbers as `1/3` in the footer.
- 002_first_table.pdf: the first project table of data/002 with the title
  lines before it, bordered, in narrow columns (most cells wrap).
- 002_borderless.pdf: the same without borders, on a page wide enough that
  no cell wraps, labels at the top of their rows (the layout is rebuilt
  from the gaps between words).
"""
import glob
import html
import os
import subprocess
import sys
import tempfile

OUT = 'reader/tests/pdf'


def table_rows(path, first, last):
    """Lines first..last (1-based, inclusive) of a data file as cell lists
    padded to the table's width (trailing columns empty in every row dropped)."""
    lines = open(path, encoding='utf-8').read().split('\n')[first - 1:last]
    rows = [line.split('\t') for line in lines]
    width = max(max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in rows)
    return [(r + [''] * width)[:width] for r in rows]


def merges(rows):
    """(rowspan, colspan) per anchor cell; None for slots a merge covers."""
    n, width = len(rows), len(rows[0])
    spans = [[(1, 1) for _ in range(width)] for _ in range(n)]
    covered = [[False] * width for _ in range(n)]
    for r, row in enumerate(rows):
        lead = next((i for i, c in enumerate(row) if c.strip()), width)
        if lead == width:
            continue
        for c in range(lead):
            anchor = next((a for a in range(r - 1, -1, -1) if not covered[a][c]), None)
            if anchor is not None and rows[anchor][c].strip():
                rs, cs = spans[anchor][c]
                if anchor + rs == r:
                    spans[anchor][c] = (rs + 1, cs)
                    covered[r][c] = True
    for r, row in enumerate(rows):
        c = 0
        while c < width:
            if covered[r][c] or not row[c].strip() or spans[r][c][0] > 1:
                c += 1
                continue
            end = c + 1
            while end < width and not row[end].strip() and not covered[r][end]:
                covered[r][end] = True
                end += 1
            spans[r][c] = (1, end - c)
            c = end
    return spans, covered


def table_html(rows, head_rows=0, valign='middle'):
    spans, covered = merges(rows)
    out = []
    for r, row in enumerate(rows):
        if r == 0 and head_rows:
            out.append('<thead>')
        if r == head_rows and head_rows:
            out.append('</thead><tbody>')
        cells = []
        for c, text in enumerate(row):
            if covered[r][c]:
                continue
            rs, cs = spans[r][c]
            attrs = (f' rowspan="{rs}"' if rs > 1 else '') + (f' colspan="{cs}"' if cs > 1 else '')
            cells.append(f'<td{attrs}>{html.escape(text.strip())}</td>')
        out.append('<tr>' + ''.join(cells) + '</tr>')
    if head_rows:
        out.append('</tbody>')
    cols = ''.join(f'<col style="width:{w}%">' for w in column_widths(rows))
    return f'<table style="--valign:{valign}"><colgroup>{cols}</colgroup>' + '\n'.join(out) + '</table>'


def column_widths(rows):
    """Percentages from the longest single-column text in each column
    (square roots, so that no column is starved)."""
    width = len(rows[0])
    spans, covered = merges(rows)
    longest = [1] * width
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not covered[r][c] and spans[r][c][1] == 1:
                longest[c] = max(longest[c], len(text.strip()))
    weights = [min(l, 40) ** 0.5 for l in longest]
    total = sum(weights)
    return [round(100 * w / total, 1) for w in weights]


def page(body, size='A4', font='10pt', borders=True, header=None, footer=None):
    border = '1px solid #000' if borders else 'none'
    margins = ''
    if header:
        margins += f'@top-center{{content:"{header}";font:9pt "Noto Sans CJK SC"}}'
    if footer:
        margins += f'@bottom-center{{content:{footer};font:9pt "Noto Sans CJK SC"}}'
    return f'''<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>fixture</title><style>
@page {{ size: {size}; margin: 20mm 15mm; {margins} }}
body {{ font: {font}/1.35 "Noto Sans CJK SC", sans-serif; margin: 0 }}
h1 {{ font-size: 15pt; text-align: center; margin: 0 0 4pt }}
p {{ margin: 0 0 6pt }}
p.centre {{ text-align: center }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed }}
td {{ border: {border}; padding: 3pt 4pt; vertical-align: var(--valign); overflow-wrap: anywhere }}
tr {{ break-inside: avoid }}
</style></head><body>
{body}
</body></html>
'''


def chromium(args):
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
                        '--disable-background-networking', '--disable-component-update', '--disable-sync',
                        f'--user-data-dir={profile}'] + args,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def print_pdf(name, document):
    html_path = os.path.abspath(os.path.join(OUT, name + '.html'))
    with open(html_path, 'w', encoding='utf-8') as f:
        f.write(document)
    chromium(['--no-pdf-header-footer', f'--print-to-pdf={os.path.abspath(os.path.join(OUT, name + ".pdf"))}',
              'file://' + html_path])
    print(os.path.join(OUT, name + '.pdf'))


def main():
    data = open('data/000_2ed6aacce9ed946a.txt', encoding='utf-8').read().split('\n')
    title, year = data[2], data[4]
    rows = table_rows('data/000_2ed6aacce9ed946a.txt', 7, 32)
    assert rows[0][0] == '项目名称' and rows[-1][0] == '满意度指标', rows[-1]
    body = (f'<h1>{html.escape(title)}</h1><p class="centre">{html.escape(year)}</p>'
            + table_html(rows, head_rows=1))
    print_pdf('000_first_table', page(body, header='忻州市医疗保障局　2024 年部门预算公开',
                                      footer='"第 " counter(page) " 页 共 " counter(pages) " 页"'))

    rows = table_rows('data/000_2ed6aacce9ed946a.txt', 100, 141)
    assert rows[0][1].startswith('下达2024年中央财政') and rows[-1][0] == '满意度指标', rows[-1]
    body = (f'<h1>{html.escape(title)}</h1><p class="centre">{html.escape(year)}</p>' + table_html(rows))
    print_pdf('000_third_table', page(body, size='A5', font='8pt', footer='counter(page) "/" counter(pages)'))

    data = open('data/002_617d5cc0387f4f3f.txt', encoding='utf-8').read().split('\n')
    lead = [data[i] for i in (104, 106, 108)]  # title, department, unit lines
    assert lead[0].startswith('1.2024') and lead[2] == '单位：万元', lead
    rows = table_rows('data/002_617d5cc0387f4f3f.txt', 111, 123)
    assert rows[0][0] == '项目编码' and rows[-1][0] == '满意度指标', rows[-1]
    paragraphs = ''.join(f'<p>{html.escape(line)}</p>' for line in lead)
    print_pdf('002_first_table', page(paragraphs + table_html(rows), size='A5', font='9pt',
                                      footer='"- " counter(page) " -"'))
    print_pdf('002_borderless', page(paragraphs + table_html(rows, valign='top'), size='A3 landscape',
                                     borders=False))


def budget(out, pages):
    """Every data/*.txt document as HTML: tab-separated lines as tables,
    other lines as paragraphs; repeated to about `pages` A4 pages (one
    printing of data/ makes about 75)."""
    parts = []
    for path in sorted(glob.glob('data/*.txt')):
        lines = open(path, encoding='utf-8').read().split('\n')
        i = 0
        while i < len(lines):
            if '\t' in lines[i]:
                j = i
                while j < len(lines) and '\t' in lines[j]:
                    j += 1
                rows = [line.split('\t') for line in lines[i:j]]
                width = max(max((k + 1 for k, c in enumerate(r) if c.strip()), default=1) for r in rows)
                parts.append(table_html([(r + [''] * width)[:width] for r in rows]))
                i = j
            else:
                if lines[i].strip():
                    parts.append(f'<p>{html.escape(lines[i].strip())}</p>')
                i += 1
    body = '\n'.join(parts * max(1, round(pages / 75)))
    document = page(body, header='部门预算绩效目标', footer='"第 " counter(page) " 页"')
    with tempfile.TemporaryDirectory() as tmp:
        html_path = os.path.join(tmp, 'budget.html')
        with open(html_path, 'w', encoding='utf-8') as f:
            f.write(document)
        chromium(['--no-pdf-header-footer', f'--print-to-pdf={os.path.abspath(out)}', 'file://' + html_path])
    print(out)


if __name__ == '__main__':
    if sys.argv[1:2] == ['--budget']:
        budget(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 300)
    else:
        main()
