"""Fills in the "answer" column (F) of an answers workbook as Assay writes it, as someone
would in Excel: python3 fill_answers.py IN.xlsx OUT.xlsx '{"2": "Yes"}'. Prints the
question ids of column A, one per line. Standard library only."""

import json
import re
import sys
import zipfile
from xml.sax.saxutils import escape


def main(source: str, target: str, answers: dict) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        shared = re.findall(r"<t[^>]*>(.*?)</t>", zin.read("xl/sharedStrings.xml").decode())
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                sheet = data.decode()
                for row, text in answers.items():
                    cell = f'<c r="F{row}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
                    sheet, n = re.subn(
                        rf'(<row r="{row}"[^>]*>.*?)(</row>)',
                        lambda m: m.group(1) + cell + m.group(2),
                        sheet,
                        count=1,
                        flags=re.S,
                    )
                    if n != 1:
                        sys.exit(f"no row {row} in the sheet")
                for index in re.findall(r'<c r="A\d+"[^>]*t="s"[^>]*><v>(\d+)</v>', sheet):
                    print(shared[int(index)])
                data = sheet.encode()
            zout.writestr(item, data)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
