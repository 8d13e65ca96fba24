"""The year's report book for the board (事業報告の資料): one workbook and one A4 PDF.
docs/report-book.md tells what is in it and why the PDF is drawn by WeasyPrint."""
