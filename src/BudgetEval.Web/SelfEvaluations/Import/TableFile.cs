using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Web.SelfEvaluations.Import;

/// <summary>
/// What <see cref="TableFile.Read"/> found: the data rows with their spreadsheet row numbers, or why the file
/// was refused. It also says where a cell is, so that every reader names cells the same way.
/// </summary>
internal sealed class TableRead(IReadOnlyList<string> header, bool fromWorkbook)
{
    public List<(int Row, TableCell[] Cells)> Rows { get; } = [];

    public List<ImportError> Errors { get; } = [];

    /// <summary>
    /// Where a cell is, as the user looks for it: 单元格 G14（第14行「分值」） in a workbook; a CSV has no
    /// cell letters, so 第14行「分值」. Row numbers are the sheet's own.
    /// </summary>
    public string Where(int row, int column) => fromWorkbook
        ? $"单元格 {TableFile.ColumnName(column)}{row}（第{row}行「{header[column]}」）"
        : $"第{row}行「{header[column]}」";

    public ImportError CellError(int row, int column, string message) => new(row, header[column], Where(row, column) + message);

    /// <summary>A cell's value in quotes, cut short when long (a whole paragraph would bury the message).</summary>
    public static string Quote(string value) => $"“{(value.Length > 30 ? value[..30] + "…" : value)}”";

    public TableRead Fail(string message)
    {
        Errors.Add(new ImportError(0, string.Empty, message));
        return this;
    }
}

/// <summary>
/// The file half of an import, shared by every table that can be uploaded (自评表, 评价指标评分表): .xlsx or
/// UTF-8 .csv with a fixed header, returning the data rows with their spreadsheet row numbers. Checking
/// the cells belongs to each table's own reader.
/// </summary>
internal static class TableFile
{
    /// <summary>Reads the table whose header starts with the first <paramref name="required"/> names of <paramref name="header"/>; the rest may be left out.</summary>
    public static TableRead Read(string fileName, byte[] content, IReadOnlyList<string> header, int required, long maxBytes, int maxRows)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var read = new TableRead(header, fromWorkbook: extension == ".xlsx");
        if (content.Length == 0)
        {
            return read.Fail("文件是空的。");
        }

        if (content.LongLength > maxBytes)
        {
            return read.Fail($"文件超过 {maxBytes / 1024 / 1024} MB，请拆分后导入。");
        }

        var isZip = content.Length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
        return extension switch
        {
            ".xlsx" when isZip => ReadXlsx(read, content, header, required, maxRows),
            ".xlsx" => read.Fail("文件扩展名为 .xlsx，但内容不是 Excel 工作簿。"),
            ".csv" when isZip || Array.IndexOf(content, (byte)0) >= 0 => read.Fail("文件扩展名为 .csv，但内容不是文本（可能是 Excel 工作簿，请使用 .xlsx 扩展名）。"),
            ".csv" => ReadCsv(read, content, header.Take(required).ToList()),
            _ => read.Fail("只能导入 .xlsx 或 .csv 文件。"),
        };
    }

    /// <summary>The column's letters: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static TableRead ReadCsv(TableRead read, byte[] content, IReadOnlyList<string> header)
    {
        if (Decode(content, header) is not { } text)
        {
            return read.Fail("文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入。");
        }

        var rows = CsvText.Parse(text).Select(r => r.Select(c => new TableCell(c)).ToArray()).ToList();
        if (rows.Count == 0 || !IsHeader(rows[0], header))
        {
            return read.Fail($"第1行应为表头：{string.Join(',', header)}。");
        }

        // Spreadsheet row numbers: the header is row 1. Multi-line quoted cells make this approximate,
        // which is what a user counting records (not lines) expects anyway.
        read.Rows.AddRange(rows.Skip(1).Select((cells, i) => (i + 2, cells)));
        return read;
    }

    private static string? Decode(byte[] content, IReadOnlyList<string> header) =>
        CsvText.Decode(content, gbk => CsvText.Parse(gbk) is [var first, ..] && IsHeader([.. first.Select(c => new TableCell(c))], header));

    private static TableRead ReadXlsx(TableRead read, byte[] content, IReadOnlyList<string> header, int required, int maxRows)
    {
        List<(int Row, TableCell[] Cells)> sheetRows;
        var formulas = new List<(int Row, int Column)>();
        var merges = new List<string>();
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var doc = SpreadsheetDocument.Open(stream, false);
            var workbook = doc.WorkbookPart ?? throw new InvalidDataException("no workbook");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new InvalidDataException("no sheet");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(PlainText).ToArray() ?? [];
            var formats = NumberFormats.From(workbook);
            sheetRows = [];

            // The r of rows and cells is optional (some generators leave it out): then a row follows the one
            // before it and a cell the cell before it, as Excel reads them.
            var rowNo = 0;
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                rowNo = row.RowIndex?.Value is { } r ? (int)r : rowNo + 1;
                var cells = new TableCell[header.Count + 1];
                var column = -1;
                foreach (var cell in row.Elements<Cell>())
                {
                    column = cell.CellReference?.Value is { Length: > 0 } reference ? ColumnIndex(reference) : column + 1;
                    if (column >= 0 && column < cells.Length)
                    {
                        cells[column] = ReadCell(cell, shared, formats);
                        if (cell.CellFormula is not null)
                        {
                            formulas.Add((rowNo, column));
                        }
                    }
                }

                sheetRows.Add((rowNo, cells.Select(c => c.Text is null ? TableCell.Empty : c).ToArray()));
                if (sheetRows.Count > maxRows + 100)
                {
                    break;
                }
            }

            merges.AddRange(part.Worksheet.Descendants<MergeCell>().Select(m => m.Reference?.Value ?? string.Empty).Where(r => r.Contains(':', StringComparison.Ordinal)));
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException or IOException or InvalidOperationException or FormatException)
        {
            return read.Fail("无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式。");
        }

        // The exported form has title and funds rows above the table: the table starts at its header.
        var requiredHeader = header.Take(required).ToList();
        var headerAt = sheetRows.FindIndex(r => IsHeader(r.Cells, requiredHeader));
        if (headerAt < 0)
        {
            // A header typed by hand often merges cells (两级表头); say which, since the row looks right on screen.
            var nearHeader = sheetRows.FirstOrDefault(r => r.Cells.Count(c => requiredHeader.Contains(c.Text.Trim())) >= required / 2);
            var merged = merges.FirstOrDefault(m => nearHeader.Cells is not null && CellRow(m.Split(':')[0]) == nearHeader.Row);
            return read.Fail(merged is not null
                ? $"第{nearHeader.Row}行表头含合并单元格（{merged}），请取消合并，每列一个表头：{string.Join(',', requiredHeader)}。"
                : $"未找到表头行：{string.Join(',', requiredHeader)}。");
        }

        var data = sheetRows.Skip(headerAt + 1).TakeWhile(r => r.Cells[0].Text.Trim() is not ("总分" or "合计")).ToList();

        // A formula's cached value may be stale or missing (files written by other tools): only typed values are imported.
        foreach (var (row, column) in formulas.Where(f => f.Column < header.Count && data.Any(d => d.Row == f.Row)))
        {
            read.Errors.Add(read.CellError(row, column, "是公式，请复制后“选择性粘贴 → 数值”再导入。"));
        }

        if (read.Errors.Count > 0)
        {
            return read;
        }

        FillMergedDown(data, merges);
        read.Rows.AddRange(data);
        return read;
    }

    /// <summary>Categories merged down a column (一级指标 over several rows) hold their text in the top cell only: repeat it.</summary>
    private static void FillMergedDown(List<(int Row, TableCell[] Cells)> data, List<string> merges)
    {
        foreach (var range in merges)
        {
            var ends = range.Split(':');
            var (column, top, bottom) = (ColumnIndex(ends[0]), CellRow(ends[0]), CellRow(ends[1]));
            if (column != ColumnIndex(ends[1]) || bottom <= top)
            {
                continue;
            }

            var first = data.FindIndex(d => d.Row == top);
            if (first < 0 || column >= data[first].Cells.Length)
            {
                continue;
            }

            foreach (var (row, cells) in data.Where(d => d.Row > top && d.Row <= bottom))
            {
                if (cells[column].Text.Length == 0)
                {
                    cells[column] = data[first].Cells[column];
                }
            }
        }
    }

    private static int CellRow(string reference) =>
        int.TryParse(reference.AsSpan(reference.TakeWhile(char.IsLetter).Count()), NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row : 0;

    private static bool IsHeader(TableCell[] cells, IReadOnlyList<string> header) =>
        cells.Length >= header.Count && header.Select((h, i) => cells[i].Text.Trim() == h).All(x => x);

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

    /// <summary>
    /// A shared or inline string: its own t, or the t of each formatted run. Phonetic guides (rPh, the readings
    /// Japanese and some Chinese files print above the text) are not part of the text, though InnerText adds them.
    /// </summary>
    private static string PlainText(OpenXmlElement item) =>
        string.Concat(item.ChildElements.Select(e => e switch
        {
            Text t => t.Text,
            Run r => r.Text?.Text ?? string.Empty,
            _ => string.Empty,
        }));

    private static TableCell ReadCell(Cell cell, string[] shared, NumberFormats formats)
    {
        var value = cell.CellValue?.Text ?? string.Empty;
        return cell.DataType?.Value switch
        {
            CellValues.SharedString => new(int.TryParse(value, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Length ? shared[i] : string.Empty),
            CellValues.InlineString => new(cell.InlineString is { } inline ? PlainText(inline) : value),
            CellValues.String => new(value),
            CellValues.Boolean => new(value.Trim() is "1" or "true" ? "TRUE" : "FALSE", CellKind.Boolean),
            CellValues.Error => new(value, CellKind.Error),
            CellValues.Date => formats.IsoDate(value, cell.StyleIndex?.Value),
            _ => value.Length == 0 ? TableCell.Empty : formats.Number(value, cell.StyleIndex?.Value),
        };
    }
}
