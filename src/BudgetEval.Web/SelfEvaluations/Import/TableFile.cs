using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Web.SelfEvaluations.Import;

/// <summary>
/// What <see cref="TableFile.Read"/> found: the data rows with their spreadsheet row numbers (cells in header
/// order), or why the file was refused, and notes for the user about what was left out. It also says where
/// a cell is, so that every reader names cells the same way.
/// </summary>
internal sealed class TableRead(IReadOnlyList<string> header, bool fromWorkbook)
{
    public List<(int Row, TableCell[] Cells)> Rows { get; } = [];

    public List<ImportError> Errors { get; } = [];

    /// <summary>What the user should know about an accepted file (a column or sheet left out).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The sheet column of each header name; -1 for an optional column the file leaves out.</summary>
    internal int[] Columns { get; set; } = [.. Enumerable.Range(0, header.Count)];

    /// <summary>The rows above the header (the exported 自评表's title, funds and goals), cells by sheet column.</summary>
    public IReadOnlyList<(int Row, IReadOnlyDictionary<int, TableCell> Cells)> Above { get; set; } = [];

    /// <summary>The workbook's named single cells (所属独立核算单位个数 …) by name, with where they are and what they hold; empty for a CSV.</summary>
    public IReadOnlyDictionary<string, NamedCell> Named { get; set; } = new Dictionary<string, NamedCell>();

    /// <summary>The sheet read, named in cell positions when the workbook has several.</summary>
    internal string? Sheet { get; set; }

    /// <summary>
    /// Where a cell is, as the user looks for it: 单元格 G14（第14行「分值」） in a workbook; a CSV has no
    /// cell letters, so 第14行「分值」. Row numbers are the sheet's own.
    /// </summary>
    public string Where(int row, int column) => fromWorkbook && Columns[column] >= 0
        ? $"{SheetPrefix}单元格 {TableFile.ColumnName(Columns[column])}{row}（第{row}行「{header[column]}」）"
        : $"第{row}行「{header[column]}」";

    public ImportError CellError(int row, int column, string message) => new(row, header[column], Where(row, column) + message);

    /// <summary>A cell's value in quotes, cut short when long (a whole paragraph would bury the message).</summary>
    public static string Quote(string value) => $"“{(value.Length > 30 ? value[..30] + "…" : value)}”";

    internal string SheetPrefix => Sheet is null ? string.Empty : $"工作表「{Sheet}」";

    /// <summary>A column as the user finds it: K列 in a workbook, 第11列 in a CSV.</summary>
    internal string ColumnLabel(int sheetColumn) => fromWorkbook ? $"{TableFile.ColumnName(sheetColumn)}列" : $"第{sheetColumn + 1}列";

    internal string CellName(int row, int sheetColumn) => fromWorkbook ? $"{TableFile.ColumnName(sheetColumn)}{row}" : $"第{row}行第{sheetColumn + 1}列";

    public TableRead Fail(string message, int row = 0, string column = "")
    {
        Errors.Add(new ImportError(row, column, message));
        return this;
    }
}

/// <summary>A workbook's named cell: its sheet, its reference (H3) and its value as the user sees it.</summary>
internal sealed record NamedCell(string Sheet, string Cell, int Row, TableCell Value)
{
    /// <summary>Where it is, as Excel writes a reference: 自评表!H3.</summary>
    public string Where => $"{Sheet}!{Cell}";
}

/// <summary>
/// A table that can be imported: its header (the first <see cref="Required"/> names must be there, the others
/// may be left out), the columns that hold numbers, and the size limits.
/// </summary>
internal sealed record TableSpec(IReadOnlyList<string> Header, int Required, IReadOnlyList<string> Numbers, long MaxBytes, int MaxRows);

/// <summary>
/// The file half of an import, shared by every table that can be uploaded (自评表, 评价指标评分表): .xlsx or
/// UTF-8 .csv with a known header, returning the data rows with their spreadsheet row numbers. Columns are
/// found by their header name, so their order does not matter and columns of the user's own are left out.
/// Checking the cells belongs to each table's own reader.
/// </summary>
internal static class TableFile
{
    /// <summary>A row as read from the file: cells by sheet column (0 = A), and which of them hold formulas.</summary>
    private sealed record SheetRow(int Row, SortedDictionary<int, TableCell> Cells, HashSet<int> Formulas, bool Hidden = false)
    {
        public string TextAt(int column) => column >= 0 && Cells.TryGetValue(column, out var cell) ? cell.Text.Trim() : string.Empty;
    }

    /// <summary>A sheet as read; hidden columns by sheet column (0 = A).</summary>
    private sealed record SheetData(string Name, List<SheetRow> Rows, List<string> Merges, bool Hidden = false, IReadOnlySet<int>? HiddenColumns = null);

    public static TableRead Read(string fileName, byte[] content, TableSpec spec)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var read = new TableRead(spec.Header, fromWorkbook: extension == ".xlsx");
        if (content.Length == 0)
        {
            return read.Fail("文件是空的。");
        }

        if (content.LongLength > spec.MaxBytes)
        {
            return read.Fail($"文件超过 {spec.MaxBytes / 1024 / 1024} MB，请拆分后导入。");
        }

        var isZip = content.Length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
        return extension switch
        {
            ".xlsx" when isZip => ReadXlsx(read, content, spec),
            ".xlsx" => read.Fail("文件扩展名为 .xlsx，但内容不是 Excel 工作簿。"),
            ".csv" when isZip || Array.IndexOf(content, (byte)0) >= 0 => read.Fail("文件扩展名为 .csv，但内容不是文本（可能是 Excel 工作簿，请使用 .xlsx 扩展名）。"),
            ".csv" => ReadCsv(read, content, spec),
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

    private static TableRead ReadCsv(TableRead read, byte[] content, TableSpec spec)
    {
        if (Decode(content, spec) is not { } text)
        {
            return read.Fail("文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入。");
        }

        // Spreadsheet row numbers: the header is row 1. Multi-line quoted cells make this approximate,
        // which is what a user counting records (not lines) expects anyway.
        var rows = CsvText.Parse(text).Select((fields, i) => new SheetRow(i + 1,
            new SortedDictionary<int, TableCell>(fields.Select((f, c) => (f, c)).ToDictionary(x => x.c, x => new TableCell(x.f))), [])).ToList();
        var joined = string.Join(',', spec.Header.Take(spec.Required));
        if (rows.Count == 0 || HeaderColumns(rows[0], spec) is null)
        {
            var missing = rows.Count == 0 ? [] : Missing(rows[0], spec);
            return read.Fail(missing.Count > 0 && missing.Count <= spec.Required / 2
                ? $"第1行表头缺少{string.Join("、", missing.Select(m => $"「{m}」"))}列。表头应为：{joined}。"
                : $"第1行应为表头：{joined}。");
        }

        return ReadTable(read, rows, 0, [], spec);
    }

    private static string? Decode(byte[] content, TableSpec spec) =>
        CsvText.Decode(content, gbk => CsvText.Parse(gbk) is [var first, ..] && spec.Header.Take(spec.Required).All(h => first.Any(f => f.Trim() == h)));

    private static TableRead ReadXlsx(TableRead read, byte[] content, TableSpec spec)
    {
        var sheets = new List<SheetData>();
        List<(string Name, string Refers)> definedNames = [];
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var doc = SpreadsheetDocument.Open(stream, false);
            var workbook = doc.WorkbookPart ?? throw new InvalidDataException("no workbook");
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(PlainText).ToArray() ?? [];
            var formats = NumberFormats.From(workbook);
            definedNames = workbook.Workbook.DefinedNames?.Elements<DefinedName>()
                .Where(d => d.LocalSheetId is null && d.Name?.Value is { Length: > 0 } n && !n.StartsWith("_xlnm.", StringComparison.Ordinal))
                .Select(d => (d.Name!.Value!, d.Text ?? string.Empty)).ToList() ?? [];
            foreach (var sheet in workbook.Workbook.Sheets?.Elements<Sheet>() ?? [])
            {
                // Chart sheets have no cells.
                if (sheet.Id?.Value is { } id && workbook.GetPartById(id) is WorksheetPart part)
                {
                    var hidden = sheet.State?.Value is { } state && (state == SheetStateValues.Hidden || state == SheetStateValues.VeryHidden);
                    sheets.Add(ReadSheet(sheet.Name?.Value ?? string.Empty, part, shared, formats, spec.MaxRows) with { Hidden = hidden });
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException or IOException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
        {
            return read.Fail("无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式。");
        }

        if (sheets.Count == 0)
        {
            return read.Fail("无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式。");
        }

        read.Named = NamedCells(definedNames, sheets);

        // An instruction sheet often comes first: the table is the first sheet that has the header. Hidden sheets
        // are not read: what the user cannot see in Excel is not imported.
        var all = sheets.Select(s => (Sheet: s, At: s.Rows.FindIndex(r => HeaderColumns(r, spec) is not null))).Where(f => f.At >= 0).ToList();
        var found = all.Where(f => !f.Sheet.Hidden).ToList();
        if (found.Count == 0 && all.Count > 0)
        {
            return read.Fail($"表格在隐藏的工作表「{all[0].Sheet.Name}」中：为免导入看不到的内容，请在 Excel 中取消隐藏该工作表并核对后再导入。");
        }

        if (found.Count == 0)
        {
            return read.Fail(NoHeader(sheets, spec));
        }

        var (table, at) = found[0];
        read.Sheet = sheets.Count > 1 ? table.Name : null;
        if (table != sheets[0])
        {
            read.Notes.Add($"指标表读自工作表「{table.Name}」（它前面的工作表中没有表头）。");
        }

        foreach (var (other, _) in found.Skip(1))
        {
            read.Notes.Add($"工作表「{other.Name}」也有表头，但未导入：只导入了工作表「{table.Name}」。");
        }

        return ReadTable(read, table.Rows, at, table.Merges, spec, table.HiddenColumns);
    }

    /// <summary>
    /// The names that refer to one cell of a sheet read ('自评表'!$H$3, 自评表!H3), with the cell's value (empty when
    /// the cell is). Names of ranges, formulas or other workbooks are not cells and are left out.
    /// </summary>
    private static Dictionary<string, NamedCell> NamedCells(List<(string Name, string Refers)> names, List<SheetData> sheets)
    {
        var cells = new Dictionary<string, NamedCell>(StringComparer.Ordinal);
        foreach (var (name, refers) in names)
        {
            var bang = refers.LastIndexOf('!');
            if (bang <= 0)
            {
                continue;
            }

            var sheetName = refers[..bang];
            if (sheetName.Length >= 2 && sheetName[0] == '\'' && sheetName[^1] == '\'')
            {
                sheetName = sheetName[1..^1].Replace("''", "'", StringComparison.Ordinal);
            }

            var reference = refers[(bang + 1)..].Replace("$", string.Empty, StringComparison.Ordinal);
            var letters = reference.TakeWhile(char.IsAsciiLetter).Count();
            if (letters is 0 or > 3 || !int.TryParse(reference.AsSpan(letters), NumberStyles.None, CultureInfo.InvariantCulture, out var row) || row <= 0
                || sheets.FirstOrDefault(s => s.Name == sheetName) is not { } sheet)
            {
                continue;
            }

            var column = ColumnIndex(reference);
            var value = sheet.Rows.FirstOrDefault(r => r.Row == row)?.Cells.GetValueOrDefault(column) ?? TableCell.Empty;
            cells[name] = new NamedCell(sheetName, $"{ColumnName(column)}{row}", row, value);
        }

        return cells;
    }

    private static SheetData ReadSheet(string name, WorksheetPart part, string[] shared, NumberFormats formats, int maxRows)
    {
        var rows = new List<SheetRow>();

        // The r of rows and cells is optional (some generators leave it out): then a row follows the one
        // before it and a cell the cell before it, as Excel reads them.
        var rowNo = 0;
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            rowNo = row.RowIndex?.Value is { } r ? (int)r : rowNo + 1;
            var read = new SheetRow(rowNo, [], [], row.Hidden?.Value == true);
            var column = -1;
            foreach (var cell in row.Elements<Cell>())
            {
                column = cell.CellReference?.Value is { Length: > 0 } reference ? ColumnIndex(reference) : column + 1;
                if (column >= 0)
                {
                    read.Cells[column] = ReadCell(cell, shared, formats);
                    if (cell.CellFormula is not null)
                    {
                        read.Formulas.Add(column);
                    }
                }
            }

            // Rows that only carry formatting (bordered blank cells) are no rows to the reader and do not count towards the limit.
            if (read.Formulas.Count > 0 || read.Cells.Values.Any(c => c.Text.Length > 0))
            {
                rows.Add(read);
                if (rows.Count > maxRows + 100)
                {
                    break;
                }
            }
        }

        var merges = part.Worksheet.Descendants<MergeCell>().Select(m => m.Reference?.Value ?? string.Empty).Where(r => r.Contains(':', StringComparison.Ordinal)).ToList();
        var hiddenColumns = part.Worksheet.Elements<Columns>().SelectMany(c => c.Elements<Column>())
            .Where(c => c.Hidden?.Value == true && c.Min?.Value is > 0 && c.Max?.Value is { } max && max >= c.Min.Value && max - c.Min.Value < 16384)
            .SelectMany(c => Enumerable.Range((int)c.Min!.Value - 1, (int)(c.Max!.Value - c.Min.Value) + 1)).ToHashSet();
        return new SheetData(name, rows, merges, HiddenColumns: hiddenColumns);
    }

    /// <summary>The rows under the header at <paramref name="headerAt"/>, each cell moved to its header's place.</summary>
    private static TableRead ReadTable(TableRead read, List<SheetRow> rows, int headerAt, List<string> merges, TableSpec spec, IReadOnlySet<int>? hiddenColumns = null)
    {
        var headerRow = rows[headerAt];
        var columns = HeaderColumns(headerRow, spec)!;
        read.Columns = columns;
        foreach (var name in spec.Header)
        {
            var same = headerRow.Cells.Where(c => c.Value.Text.Trim() == name).Select(c => read.CellName(headerRow.Row, c.Key)).ToList();
            if (same.Count > 1)
            {
                read.Fail($"{read.SheetPrefix}第{headerRow.Row}行表头「{name}」出现了 {same.Count} 次（{string.Join("、", same)}），请只保留一列。", headerRow.Row, name);
            }
        }

        // Columns with a header of the user's own (备注) are left out, and the user is told so.
        var ignored = headerRow.Cells.Where(c => c.Value.Text.Trim().Length > 0 && !columns.Contains(c.Key)).ToList();
        if (ignored.Count > 0)
        {
            read.Notes.Add($"未导入表头之外的列：{string.Join("、", ignored.Select(c => $"{read.ColumnLabel(c.Key)}「{c.Value.Text.Trim()}」"))}。");
        }

        read.Above = [.. rows.Take(headerAt).Select(r => (r.Row, (IReadOnlyDictionary<int, TableCell>)r.Cells))];
        var data = rows.Skip(headerAt + 1).TakeWhile(r => r.TextAt(columns[0]) is not ("总分" or "合计")).ToList();
        RefuseRowsBelowTotal(read, rows.Skip(headerAt + 1 + data.Count).ToList(), spec);

        // A cell under no header belongs to no known field: refuse once per column rather than guess.
        var known = columns.Where(c => c >= 0).Concat(ignored.Select(c => c.Key)).ToHashSet();
        foreach (var column in data.SelectMany(r => r.Cells.Keys.Where(c => !known.Contains(c) && r.TextAt(c).Length > 0)).Distinct().Order())
        {
            var filled = data.Where(r => r.TextAt(column).Length > 0).Select(r => r.Row).ToList();
            read.Fail($"{read.SheetPrefix}{read.ColumnLabel(column)}没有表头，第{string.Join("、", filled.Take(5))}行{(filled.Count > 5 ? "等" : string.Empty)}却填有内容：请删除，或移到对应的列。", filled[0]);
        }

        // Hidden rows and columns would be imported unseen (an old row hidden rather than deleted): the user decides.
        if (data.Where(r => r.Hidden).Select(r => r.Row).ToList() is [var firstHidden, ..] hiddenRows)
        {
            read.Fail($"{read.SheetPrefix}第{string.Join("、", hiddenRows.Take(10))}行{(hiddenRows.Count > 10 ? "等" : string.Empty)}是隐藏行：为免导入看不到的内容，请在 Excel 中取消隐藏并核对（不需要的行请删除）后再导入。", firstHidden);
        }

        foreach (var (column, name) in columns.Select((c, i) => (c, spec.Header[i])).Where(x => x.c >= 0 && hiddenColumns?.Contains(x.c) == true))
        {
            read.Fail($"{read.SheetPrefix}{read.ColumnLabel(column)}（表头「{name}」）是隐藏列：为免导入看不到的内容，请在 Excel 中取消隐藏并核对后再导入。", data.FirstOrDefault()?.Row ?? 0, name);
        }

        // A formula's cached value may be stale or missing (files written by other tools): only typed values are imported.
        foreach (var row in data)
        {
            foreach (var column in row.Formulas.Select(f => Array.IndexOf(columns, f)).Where(i => i >= 0).Order())
            {
                read.Errors.Add(read.CellError(row.Row, column, "是公式，请复制后“选择性粘贴 → 数值”再导入。"));
            }
        }

        // A number merged over rows would count once per row (分值 G3:G4 read as 10 and 10): refuse the range.
        foreach (var range in merges)
        {
            var (left, top, right, bottom) = Bounds(range);
            var inData = data.Where(r => r.Row >= top && r.Row <= bottom).Select(r => r.Row).ToList();
            var fields = spec.Numbers.Select(n => spec.Header.ToList().IndexOf(n)).Where(i => i >= 0 && columns[i] >= left && columns[i] <= right).Order().ToList();
            if (inData.Count > 0 && fields.Count > 0)
            {
                var names = string.Concat(fields.Select(i => $"「{spec.Header[i]}」"));
                var rowsText = top == bottom ? $"第{top}行" : $"第{top}至{bottom}行";
                read.Fail($"{read.SheetPrefix}单元格 {range}（{rowsText}{names}）是合并单元格：每行的{names}要分别填写，请取消合并。", inData[0], spec.Header[fields[0]]);
            }
        }

        // The rows are read even with errors above, so the caller can name every bad cell in the same answer.
        FillMergedDown(data, merges);
        read.Rows.AddRange(data.Select(r => (r.Row, columns.Select(c => c >= 0 && r.Cells.TryGetValue(c, out var cell) ? cell : TableCell.Empty).ToArray())));
        return read;
    }

    /// <summary>
    /// The table ends at its 总分 (or 合计) row. A row added under it with a number in a number column and
    /// some text beside it is an indicator that would be dropped without a word: refuse it, saying where.
    /// A note under the table (填表人：…) is no indicator and stays ignored.
    /// </summary>
    private static void RefuseRowsBelowTotal(TableRead read, List<SheetRow> rest, TableSpec spec)
    {
        if (rest.Count == 0)
        {
            return;
        }

        var total = rest[0];
        var numbers = spec.Numbers.Select(n => read.Columns[spec.Header.ToList().IndexOf(n)]).Where(c => c >= 0).ToHashSet();
        var texts = read.Columns.Where(c => c >= 0 && !numbers.Contains(c)).ToList();
        var name = total.TextAt(read.Columns[0]);
        foreach (var row in rest.Skip(1))
        {
            var hasNumber = numbers.Any(c => row.Cells.TryGetValue(c, out var cell)
                && (cell.Kind == CellKind.Number || decimal.TryParse(cell.Text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out _)));
            if (hasNumber && texts.Any(c => row.TextAt(c).Length > 0))
            {
                read.Fail($"{read.SheetPrefix}第{row.Row}行在「{name}」行（第{total.Row}行）之下，不会被导入：请把这一行移到「{name}」行之上，或删除它。", row.Row);
            }
        }
    }

    /// <summary>The sheet column of each header name when the row has all required ones, else null.</summary>
    private static int[]? HeaderColumns(SheetRow row, TableSpec spec)
    {
        var columns = spec.Header.Select(h => row.Cells.FirstOrDefault(c => c.Value.Text.Trim() == h, new(-1, default)).Key).ToArray();
        return columns.Take(spec.Required).All(c => c >= 0) ? columns : null;
    }

    private static List<string> Missing(SheetRow row, TableSpec spec) =>
        spec.Header.Take(spec.Required).Where(h => !row.Cells.Values.Any(c => c.Text.Trim() == h)).ToList();

    /// <summary>
    /// Why no header was found. A row with most of the names is the header the user meant: name what it
    /// lacks, or the merged cell that hides a name (两级表头). Otherwise say which sheets were read.
    /// </summary>
    private static string NoHeader(List<SheetData> sheets, TableSpec spec)
    {
        var joined = string.Join(',', spec.Header.Take(spec.Required));
        var near = sheets
            .SelectMany(s => s.Rows.Select(r => (Sheet: s, Row: r, Missing: Missing(r, spec))))
            .Where(x => x.Missing.Count <= spec.Required / 2)
            .OrderBy(x => x.Missing.Count)
            .FirstOrDefault();
        if (near.Sheet is not null)
        {
            var where = sheets.Count > 1 ? $"工作表「{near.Sheet.Name}」第{near.Row.Row}行" : $"第{near.Row.Row}行";
            var merged = near.Sheet.Merges.FirstOrDefault(m => CellRow(m.Split(':')[0]) == near.Row.Row);
            return merged is not null
                ? $"{where}表头含合并单元格（{merged}），请取消合并，每列一个表头：{joined}。"
                : $"{where}表头缺少{string.Join("、", near.Missing.Select(m => $"「{m}」"))}列。表头应为：{joined}。";
        }

        return sheets.Count > 1
            ? $"工作表{string.Concat(sheets.Select(s => $"「{s.Name}」"))}中都没有找到表头行：{joined}。"
            : $"工作表「{sheets[0].Name}」中没有找到表头行：{joined}。";
    }

    /// <summary>Categories merged down a column (一级指标 over several rows) hold their text in the top cell only: repeat it.</summary>
    private static void FillMergedDown(List<SheetRow> data, List<string> merges)
    {
        foreach (var range in merges)
        {
            var ends = range.Split(':');
            var (column, top, bottom) = (ColumnIndex(ends[0]), CellRow(ends[0]), CellRow(ends[1]));
            if (column != ColumnIndex(ends[1]) || bottom <= top)
            {
                continue;
            }

            var first = data.Find(d => d.Row == top);
            if (first is null || !first.Cells.TryGetValue(column, out var value))
            {
                continue;
            }

            foreach (var row in data.Where(d => d.Row > top && d.Row <= bottom && d.TextAt(column).Length == 0))
            {
                row.Cells[column] = value;
            }
        }
    }

    /// <summary>A range's first and last column (0 = A) and row.</summary>
    private static (int Left, int Top, int Right, int Bottom) Bounds(string range)
    {
        var ends = range.Split(':');
        var (a, b) = (ends[0], ends[^1]);
        return (Math.Min(ColumnIndex(a), ColumnIndex(b)), Math.Min(CellRow(a), CellRow(b)), Math.Max(ColumnIndex(a), ColumnIndex(b)), Math.Max(CellRow(a), CellRow(b)));
    }

    private static int CellRow(string reference) =>
        int.TryParse(reference.AsSpan(reference.TakeWhile(char.IsLetter).Count()), NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row : 0;

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var ch in reference.TakeWhile(char.IsAsciiLetter))
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
