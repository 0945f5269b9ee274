using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using BudgetEval.Web.SelfEvaluations.Import;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>Reads an exported workbook back as text, row by row, as a person opening it would see the cells.</summary>
internal static class XlsxText
{
    /// <summary>Every sheet by name.</summary>
    public static Dictionary<string, List<List<string>>> Sheets(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        Validate(doc);
        var wb = doc.WorkbookPart!;
        var formats = NumberFormats.From(wb);
        return wb.Workbook.Descendants<Sheet>().ToDictionary(s => s.Name!.Value!, s => Rows(((WorksheetPart)wb.GetPartById(s.Id!)).Worksheet, formats));
    }

    /// <summary>The first sheet.</summary>
    public static List<List<string>> FirstSheet(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        Validate(doc);
        return Rows(doc.WorkbookPart!.WorksheetParts.First().Worksheet, NumberFormats.From(doc.WorkbookPart));
    }

    /// <summary>The number format code a cell is shown with ("0" for built-in 1), on the named sheet or the first.</summary>
    public static string FormatOf(byte[] xlsx, string reference, string? sheet = null)
    {
        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var workbook = doc.WorkbookPart!;
        var part = sheet is null ? workbook.WorksheetParts.First()
            : (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet).Id!.Value!);
        var cell = part.Worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);
        var styles = workbook.WorkbookStylesPart!.Stylesheet;
        var id = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)cell.StyleIndex!.Value).NumberFormatId!.Value;
        return id == 1 ? "0" : styles.NumberingFormats!.Elements<NumberingFormat>().Single(n => n.NumberFormatId!.Value == id).FormatCode!.Value!;
    }

    /// <summary>Every workbook read back must keep to the Office Open XML schema (what Excel would otherwise "repair").</summary>
    private static void Validate(SpreadsheetDocument doc)
    {
        var errors = new OpenXmlValidator(FileFormatVersions.Office2013).Validate(doc).Take(5)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("the workbook breaks the schema: " + string.Join(" | ", errors));
        }
    }

    /// <summary>Date and percent cells through their format, as the import reads them (2026年3月2日, not the serial); other numbers as stored.</summary>
    private static List<List<string>> Rows(Worksheet sheet, NumberFormats formats) =>
        sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? Shown(c, formats)).ToList()).ToList();

    private static string Shown(Cell cell, NumberFormats formats) =>
        cell.CellValue?.Text is not { } raw ? string.Empty
        : cell.DataType is null && formats.Number(raw, cell.StyleIndex?.Value) is { Kind: CellKind.Date or CellKind.Percent } shown ? shown.Text
        : raw;

    /// <summary>The kind of value each cell of the first sheet stores (number, date, text), row by row.</summary>
    public static List<List<CellKind>> FirstSheetKinds(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        var formats = NumberFormats.From(doc.WorkbookPart!);
        return doc.WorkbookPart!.WorksheetParts.First().Worksheet.Descendants<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.CellValue?.Text is { } raw && c.DataType is null ? formats.Number(raw, c.StyleIndex?.Value).Kind : CellKind.Text).ToList()).ToList();
    }
}
