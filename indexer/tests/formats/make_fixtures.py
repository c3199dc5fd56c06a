"""Makes the binary fixtures of the format tests (run once; the outputs are committed).

- 005_yudu_2024.xls: the first table of tests/adding/005_yudu_2024.txt as an
  Excel 97-2003 workbook (xlwt), 项目资金 merged over its rows, amounts as numbers;
- encrypted.xlsx: a workbook protected with the password "jixiao"
  (msoffcrypto-tool), as an OLE file holding an EncryptedPackage.

pip install xlwt msoffcrypto-tool openpyxl
"""
import io

import msoffcrypto
import openpyxl
import xlwt

rows = []
for line in open("../adding/005_yudu_2024.txt", encoding="utf-8").read().split("\n"):
    rows.append(line.split("\t"))

book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("项目支出绩效目标表")
r = 0
for cells in rows:
    if not any(c.strip() for c in cells):
        r += 1
        continue
    for c, text in enumerate(cells):
        text = text.strip()
        if not text:
            continue
        try:
            number = float(text.replace(",", ""))
            sheet.write(r, c, number)
        except ValueError:
            sheet.write(r, c, text)
    r += 1
book.save("005_yudu_2024.xls")

plain = io.BytesIO()
wb = openpyxl.Workbook()
wb.active["A1"] = "项目名称"
wb.active["B1"] = "受密码保护的表"
wb.save(plain)
plain.seek(0)
office = msoffcrypto.OfficeFile(plain)
with open("encrypted.xlsx", "wb") as out:
    office.encrypt("jixiao", out)
