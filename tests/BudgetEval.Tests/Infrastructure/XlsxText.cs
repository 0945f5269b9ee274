using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

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
        return wb.Workbook.Descendants<Sheet>().ToDictionary(s => s.Name!.Value!, s => Rows(((WorksheetPart)wb.GetPartById(s.Id!)).Worksheet));
    }

    /// <summary>The first sheet.</summary>
    public static List<List<string>> FirstSheet(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var doc = SpreadsheetDocument.Open(stream, false);
        Validate(doc);
        return Rows(doc.WorkbookPart!.WorksheetParts.First().Worksheet);
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

    private static List<List<string>> Rows(Worksheet sheet) =>
        sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? string.Empty).ToList()).ToList();
}
