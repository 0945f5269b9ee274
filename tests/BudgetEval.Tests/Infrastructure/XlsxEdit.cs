using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>Changes an exported workbook the way a user editing it in Excel would: a cell's value, a row added.</summary>
internal static class XlsxEdit
{
    public static byte[] FirstSheet(byte[] xlsx, Action<SheetData> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var part = doc.WorkbookPart!.WorksheetParts.First();
            edit(part.Worksheet.GetFirstChild<SheetData>()!);
            part.Worksheet.Save();
        }

        return stream.ToArray();
    }

    /// <summary>The first row with a cell reading <paramref name="text"/>.</summary>
    public static Row RowWith(SheetData sheet, string text) =>
        sheet.Elements<Row>().First(r => r.Elements<Cell>().Any(c => (c.InlineString?.InnerText ?? c.CellValue?.Text) == text));

    public static void SetNumber(Row row, string column, decimal value)
    {
        var cell = row.Elements<Cell>().Single(c => c.CellReference!.Value == column + row.RowIndex!.Value);
        cell.DataType = null;
        cell.CellValue = new CellValue(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A copy of <paramref name="source"/> appended as row <paramref name="rowIndex"/>.</summary>
    public static void CopyTo(SheetData sheet, Row source, uint rowIndex)
    {
        var copy = (Row)source.CloneNode(true);
        copy.RowIndex = rowIndex;
        foreach (var cell in copy.Elements<Cell>())
        {
            cell.CellReference = new string(cell.CellReference!.Value!.TakeWhile(char.IsLetter).ToArray()) + rowIndex;
        }

        sheet.Append(copy);
    }
}
