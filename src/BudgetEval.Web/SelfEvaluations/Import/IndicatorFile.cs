using System.Globalization;
using System.Text;
using BudgetEval.Web.SelfEvaluations.Scoring;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Web.SelfEvaluations.Import;

internal sealed record ImportError(int Row, string Column, string Message);

internal sealed record ImportResult(IReadOnlyList<IndicatorLine> Lines, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static ImportResult Fail(string message, string column = "") => new([], [new ImportError(0, column, message)]);
}

/// <summary>
/// Reads an indicator table from .xlsx or UTF-8 .csv with the official header. Every row is checked and
/// every problem is reported by row and column; the caller saves nothing unless there are none.
/// </summary>
internal static class IndicatorFile
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 2000;

    public static readonly IReadOnlyList<string> Header = ["一级指标", "二级指标", "三级指标", "目标内容", "目标值", "完成值", "分值", "得分", "未完成原因", "改进措施"];

    private const int MaxText = 2000;

    public static ImportResult Read(string fileName, byte[] content)
    {
        if (content.Length == 0)
        {
            return ImportResult.Fail("文件是空的。");
        }

        if (content.LongLength > MaxBytes)
        {
            return ImportResult.Fail("文件超过 10 MB，请拆分后导入。");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var isZip = content.Length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
        return extension switch
        {
            ".xlsx" when isZip => ReadXlsx(content),
            ".xlsx" => ImportResult.Fail("文件扩展名为 .xlsx，但内容不是 Excel 工作簿。"),
            ".csv" when isZip || Array.IndexOf(content, (byte)0) >= 0 => ImportResult.Fail("文件扩展名为 .csv，但内容不是文本（可能是 Excel 工作簿，请使用 .xlsx 扩展名）。"),
            ".csv" => ReadCsv(content),
            _ => ImportResult.Fail("只能导入 .xlsx 或 .csv 文件。"),
        };
    }

    private static ImportResult ReadCsv(byte[] content)
    {
        if (Decode(content) is not { } text)
        {
            return ImportResult.Fail("文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入。");
        }

        var rows = CsvText.Parse(text);
        if (rows.Count == 0 || !IsHeader(rows[0]))
        {
            return ImportResult.Fail($"第1行应为表头：{string.Join(',', Header)}。");
        }

        // Spreadsheet row numbers: the header is row 1. Multi-line quoted cells make this approximate,
        // which is what a user counting records (not lines) expects anyway.
        return ReadRows(rows.Skip(1).Select((cells, i) => (i + 2, cells)).ToList());
    }

    /// <summary>Strict UTF-8 (BOM or not). A Chinese Excel often saves GBK; GB18030 is its superset and is accepted when the header then reads right.</summary>
    private static string? Decode(byte[] content)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
        }

        try
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            var gbk = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetString(content);
            return CsvText.Parse(gbk) is [var first, ..] && IsHeader(first) ? gbk : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static ImportResult ReadXlsx(byte[] content)
    {
        List<(int Row, string[] Cells)> sheetRows;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var doc = SpreadsheetDocument.Open(stream, false);
            var workbook = doc.WorkbookPart ?? throw new InvalidDataException("no workbook");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new InvalidDataException("no sheet");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
            sheetRows = [];
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var cells = new string[Header.Count + 1];
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = ColumnIndex(cell.CellReference?.Value);
                    if (column < cells.Length)
                    {
                        cells[column] = CellText(cell, shared);
                    }
                }

                sheetRows.Add(((int)(row.RowIndex?.Value ?? (uint)(sheetRows.Count + 1)), cells.Select(c => c ?? string.Empty).ToArray()));
                if (sheetRows.Count > MaxRows + 100)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException or IOException or InvalidOperationException or FormatException)
        {
            return ImportResult.Fail("无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式。");
        }

        // The exported form has title and funds rows above the table: the table starts at its header.
        var headerAt = sheetRows.FindIndex(r => IsHeader(r.Cells));
        if (headerAt < 0)
        {
            return ImportResult.Fail($"未找到表头行：{string.Join(',', Header)}。");
        }

        var data = sheetRows.Skip(headerAt + 1).TakeWhile(r => r.Cells[0].Trim() is not ("总分" or "合计")).ToList();
        return ReadRows(data);
    }

    private static ImportResult ReadRows(List<(int Row, string[] Cells)> rows)
    {
        rows = rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        if (rows.Count > MaxRows)
        {
            return ImportResult.Fail($"指标行数为 {rows.Count}，超过 {MaxRows} 行的上限。");
        }

        if (rows.Count == 0)
        {
            return ImportResult.Fail("文件中没有指标行。");
        }

        var errors = new List<ImportError>();
        var lines = new List<IndicatorLine>(rows.Count);
        foreach (var (rowNo, raw) in rows)
        {
            var cells = Enumerable.Range(0, Header.Count).Select(i => i < raw.Length ? raw[i].Trim() : string.Empty).ToArray();
            void Error(int column, string message) => errors.Add(new ImportError(rowNo, Header[column], $"第{rowNo}行「{Header[column]}」{message}"));

            if (raw.Length > Header.Count && raw.Skip(Header.Count).Any(c => !string.IsNullOrWhiteSpace(c)))
            {
                errors.Add(new ImportError(rowNo, string.Empty, $"第{rowNo}行的列数多于表头（{Header.Count} 列）。"));
            }

            if (cells[0].Length == 0)
            {
                Error(0, "未填写。");
            }

            for (var c = 0; c < Header.Count; c++)
            {
                if (cells[c].Length > MaxText)
                {
                    Error(c, $"超过 {MaxText} 字。");
                }
            }

            var weight = ParseNumber(cells[6], required: true, m => Error(6, m));
            var score = ParseNumber(cells[7], required: false, m => Error(7, m));
            if (weight is { } w && score is { } s && s > w)
            {
                Error(7, $"（{s:0.##}）超过「分值」（{w:0.##}）。");
            }

            lines.Add(new IndicatorLine(Null(cells[0]), Null(cells[1]), Null(cells[2]), Null(cells[3]), Null(cells[4]), Null(cells[5]),
                weight, score, Null(cells[8]), Null(cells[9])));
        }

        return errors.Count > 0 ? new ImportResult([], errors) : new ImportResult(lines, []);
    }

    private static decimal? ParseNumber(string text, bool required, Action<string> error)
    {
        if (text.Length == 0)
        {
            if (required)
            {
                error("未填写。");
            }

            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            error("不是数字。");
            return null;
        }

        if (value < 0)
        {
            error("不能为负数。");
            return null;
        }

        if (value != Math.Round(value, 2) || value > 1000)
        {
            error("应为不超过 1000、最多两位小数的数字。");
            return null;
        }

        return value;
    }

    private static string? Null(string s) => s.Length == 0 ? null : s;

    private static bool IsHeader(string[] cells) =>
        cells.Length >= Header.Count && Header.Select((h, i) => cells[i].Trim() == h).All(x => x);

    private static int ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return int.MaxValue;
        }

        var index = 0;
        foreach (var ch in reference.TakeWhile(char.IsLetter))
        {
            index = (index * 26) + (char.ToUpperInvariant(ch) - 'A' + 1);
        }

        return index - 1;
    }

    private static string CellText(Cell cell, string[] shared)
    {
        var value = cell.CellValue?.Text ?? cell.InlineString?.InnerText ?? string.Empty;
        if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(value, CultureInfo.InvariantCulture, out var i) && i < shared.Length)
        {
            return shared[i];
        }

        // Excel stores 2 as "2" but 0.1+0.2-ish binary noise as "0.30000000000000004": read numbers back as decimals.
        if (cell.DataType is null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return ((decimal)Math.Round(d, 10)).ToString(CultureInfo.InvariantCulture);
        }

        return value;
    }
}
