using System.Globalization;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations.Import;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Web.SelfEvaluations.Export;

/// <summary>
/// The 自评表 as .xlsx in the official layout: title, unit, funds block, goals, then the indicator table
/// whose header row is exactly the import header, so an exported file can be edited and imported again.
/// </summary>
internal static partial class FormWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The funds block's headings; the import finds the funds columns by them.</summary>
    public static readonly IReadOnlyList<string> FundsHeads = ["资金情况（万元）", "资金来源", "全年预算数(A)", "全年执行数(B)", "上级财政转移支付(C)", "分值", "执行率((B-C)/A)", "得分"];

    public const string FundsTotal = "年度资金总额", Goals = "年度总体目标";

    private const uint Plain = 0, Boxed = 1, BoxedNumber = 2, Title = 3, BoxedBold = 4, BoxedInteger = 5, BoxedDate = 6, BoxedPercent = 7, BoxedOneDecimal = 8;

    /// <summary>The workbook of <paramref name="form"/>, with its follow-up list as the print view and the Word download show it.</summary>
    public static async Task<byte[]> BuildAsync(Infrastructure.Data.AppDbContext db, LoadedForm form, Shared.ChinaClock china, CancellationToken ct) =>
        Build(form, await Rectifications.FollowUp.ShownAsync(db, form.Record, china, ct));

    /// <param name="followUp">上年及以前发现问题的整改情况: a second sheet when it lists any finding (the import reads only the
    /// sheet with the indicator header, so the file still imports as it is).</param>
    public static byte[] Build(LoadedForm form, Rectifications.FollowUpList? followUp = null)
    {
        var se = form.Record;
        var sheet = form.Sheet();
        var rows = new List<Row>();
        var merges = new List<string>();
        uint r = 0;
        Row Next() { var row = new Row { RowIndex = ++r }; rows.Add(row); return row; }

        // Excel draws a merged range's ruling from each of its cells: every cell of a boxed range is written,
        // blank but ruled, or the printed form lacks the right and bottom lines of 单位名称, the goals and 总分.
        void Merged(Row row, char from, char to, string text, uint style)
        {
            Text(row, from.ToString(), text, style);
            for (var c = (char)(from + 1); c <= to; c++)
            {
                Text(row, c.ToString(), string.Empty, style);
            }

            merges.Add($"{from}{row.RowIndex}:{to}{row.RowIndex}");
        }

        var title = Next();
        Text(title, "A", $"{EvaluationKinds.Label(se.Kind).Replace("绩效自评", "自评表", StringComparison.Ordinal)}", Title);
        merges.Add($"A{r}:J{r}");
        Text(Next(), "A", $"（{se.FiscalYear}年）", Title);
        merges.Add($"A{r}:J{r}");

        // The header fields are named cells (所属独立核算单位个数, 部门职能概述): the import finds them by name, wherever
        // a user moved them, and names the cell of a bad value.
        var names = new List<(string Name, string Cell)>();
        var unit = Next();
        Text(unit, "A", "部门(单位)名称", BoxedBold);
        if (HeaderFields.Apply(se))
        {
            // As the paper form's first row: the name, then 所属独立核算单位个数 and its figure.
            Merged(unit, 'B', 'E', form.UnitName, Boxed);
            Merged(unit, 'F', 'G', HeaderFields.UnitsLabel, BoxedBold);
            if (se.IndependentUnits is { } units)
            {
                Number(unit, "H", units, BoxedInteger);
            }
            else
            {
                Text(unit, "H", string.Empty, Boxed);
            }

            Text(unit, "I", string.Empty, Boxed);
            Text(unit, "J", string.Empty, Boxed);
            merges.Add($"H{r}:J{r}");
            names.Add((HeaderFields.UnitsLabel, $"$H${r}"));
        }
        else
        {
            Merged(unit, 'B', 'J', form.UnitName + (se.ProjectName is { } p ? $"　项目：{p}" : string.Empty), Boxed);
        }

        var fundsHead = Next();
        var fundsTop = r;
        for (var i = 0; i < FundsHeads.Count; i++)
        {
            Text(fundsHead, TableFile.ColumnName(i), FundsHeads[i], BoxedBold);
        }

        foreach (var sub in se.FundsRows)
        {
            var row = Next();
            Text(row, "A", string.Empty, Boxed);
            Text(row, "B", sub.Name, Boxed);
            Number(row, "C", sub.Budget);
            Number(row, "D", sub.Executed);
            Number(row, "E", sub.UpperTransfer);
            Text(row, "F", "--", Boxed); // as the paper form: only the total is scored
            Text(row, "G", new Scoring.FundsFigures(sub.Budget, sub.Executed, sub.UpperTransfer).RateText, Boxed);
            Text(row, "H", "--", Boxed);
        }

        var total = Next();
        Text(total, "A", string.Empty, Boxed);
        Text(total, "B", FundsTotal, Boxed);
        Number(total, "C", se.FundsBudget);
        Number(total, "D", se.FundsExecuted);
        Number(total, "E", se.FundsUpperTransfer);
        Number(total, "F", form.Rules.FundsWeight);
        Text(total, "G", form.Funds.RateText, Boxed);
        Number(total, "H", sheet.FundsScore);
        merges.Add($"A{fundsTop}:A{r}"); // 资金情况（万元） beside its whole block, as on the paper form

        if (HeaderFields.Apply(se))
        {
            var functions = Next();
            Text(functions, "A", HeaderFields.FunctionsLabel, BoxedBold);
            Merged(functions, 'B', 'J', se.Functions ?? string.Empty, Boxed);
            functions.Height = TextRowHeight(134, se.Functions); // B–J: 136 widths
            functions.CustomHeight = true;
            names.Add((HeaderFields.FunctionsLabel, $"$B${r}"));
        }

        var goalsHead = Next();
        Text(goalsHead, "A", Goals, BoxedBold);
        Merged(goalsHead, 'B', 'E', "年初设定目标", BoxedBold);
        Merged(goalsHead, 'F', 'J', "全年完成情况", BoxedBold);
        var goals = Next();
        Text(goals, "A", string.Empty, Boxed);
        Merged(goals, 'B', 'E', se.GoalsPlanned ?? string.Empty, Boxed);
        Merged(goals, 'F', 'J', se.GoalsAchieved ?? string.Empty, Boxed);
        merges.Add($"A{r - 1}:A{r}");

        // Excel never grows a row to fit wrapped text in merged cells: the goals row gets the height its
        // longer text needs, or a paragraph of 全年完成情况 shows as one cut line.
        goals.Height = GoalsRowHeight(se.GoalsPlanned, se.GoalsAchieved);
        goals.CustomHeight = true;

        Next();
        var head = Next();
        for (var i = 0; i < IndicatorFile.Header.Count; i++)
        {
            Text(head, TableFile.ColumnName(i), IndicatorFile.Header[i], BoxedBold);
        }

        foreach (var line in form.Rows)
        {
            var row = Next();
            string?[] texts = [line.Level1, line.Level2, line.Level3, line.Content, line.Target, line.Actual];
            for (var i = 0; i < texts.Length; i++)
            {
                Text(row, TableFile.ColumnName(i), texts[i] ?? string.Empty, Boxed);
            }

            Number(row, "G", line.Weight);
            Number(row, "H", line.Score);
            Text(row, "I", line.Reason ?? string.Empty, Boxed);
            Text(row, "J", line.Measure ?? string.Empty, Boxed);
        }

        var sum = Next();
        Merged(sum, 'A', 'F', "总分", BoxedBold);
        Number(sum, "G", form.Rules.FundsWeight + sheet.IndicatorWeightTotal);
        Number(sum, "H", sheet.TotalScore);
        Merged(sum, 'I', 'J', "等级：" + sheet.Grade, BoxedBold);

        var sheets = new List<(string SheetName, IEnumerable<Row> Rows, List<string> Merges, double[] Widths, bool HeaderRow)> { ("自评表", rows, merges, FormWidths, false) };
        if (followUp is { Items.Count: > 0 })
        {
            sheets.Add((FollowUpSheet, TableRows(FollowUpTable(followUp)).ToList(), [], [18, 8, 36, 12, 16, 60], true));
        }

        return Write(sheets, names.Select(n => Name(n.Name, "自评表", n.Cell)).ToList());
    }

    /// <summary>The sheet of 上年及以前发现问题的整改情况 in the exported 自评表.</summary>
    public const string FollowUpSheet = "上年问题整改情况";

    // The same columns as the Word download's table, plus the deadline the print view shows.
    private static IEnumerable<IEnumerable<string?>> FollowUpTable(Rectifications.FollowUpList followUp)
    {
        yield return ["编号", "年度", "问题", followUp.StatusHeading, "整改期限", "整改情况说明"];
        foreach (var i in followUp.Items)
        {
            yield return
            [
                i.Line.Number, i.Line.FiscalYear.ToString(CultureInfo.InvariantCulture),
                followUp.TitleOf(i),
                Findings.FindingLabels.Status(i.Line.Status), Shared.ChineseFormat.Date(i.Line.Deadline),
                Rectifications.FollowUpList.StatementOf(i),
            ];
        }
    }

    /// <summary>A workbook-wide name of one cell of a sheet (the Name Box shows it; the import reads the cell by it).</summary>
    private static DefinedName Name(string name, string sheet, string cell) => new($"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'!{cell}") { Name = name };

    private static readonly double[] FormWidths = [14, 14, 16, 24, 14, 14, 9, 9, 18, 18];

    /// <summary>
    /// Points for the goals row: the lines of the longer text across its merged columns (B–E and F–J are each
    /// 68 character widths; a Chinese character takes two), at 宋体 11's line height, within Excel's 409 pt.
    /// </summary>
    internal static double GoalsRowHeight(params string?[] texts) => TextRowHeight(66, texts);

    /// <summary>Points for a row of wrapped text over merged columns <paramref name="width"/> character widths wide (a Chinese character takes two).</summary>
    private static double TextRowHeight(double width, params string?[] texts)
    {
        const double Line = 14.4; // callers pass a little under the columns' widths: the cell's own padding
        var lines = texts.Select(t => (t ?? string.Empty).Split('\n').Sum(paragraph =>
            Math.Max(1, (int)Math.Ceiling(paragraph.Sum(c => c > 0x2E7F ? 2 : 1) / width)))).Max();
        return Math.Min(409, lines * Line + 4);
    }

    /// <summary>
    /// A plain ruled table: the first row as the bold header, numbers (e.g. 分值, 得分) as number cells so
    /// Excel can sum them. Used for tables that are also imported back, such as the evaluation scores.
    /// </summary>
    /// <param name="twoDecimals">Columns (0-based) whose numbers all show two decimals (分值, 得分: 2.00 beside 1.50, not 2).</param>
    public static byte[] Table(string sheetName, IEnumerable<IEnumerable<string?>> table, double[] widths, IReadOnlySet<int>? twoDecimals = null) =>
        Write([(sheetName, TableRows(table, twoDecimals), [], widths, true)]);

    /// <summary>Several plain tables in one workbook, a sheet each (the dashboards' export: a sheet per chart).</summary>
    /// <param name="oneDecimal">Per sheet name, the columns (0-based) whose numbers show one decimal, as the page does (整改率（%） 22.2).</param>
    public static byte[] Tables(IEnumerable<(string SheetName, IEnumerable<IEnumerable<string?>> Table, double[] Widths)> sheets,
        IReadOnlyDictionary<string, IReadOnlySet<int>>? oneDecimal = null) =>
        Write(sheets.Select(s => (s.SheetName, TableRows(s.Table, null, oneDecimal?.GetValueOrDefault(s.SheetName)), new List<string>(), s.Widths, true)).ToList());

    /// <summary>
    /// <see cref="Table"/> for rows that arrive from the database as they are read (a province's year of results):
    /// each is written as it comes, so the table is never held in memory.
    /// </summary>
    public static async Task<byte[]> TableAsync(string sheetName, IAsyncEnumerable<IEnumerable<string?>> table, double[] widths)
    {
        async ValueTask Rows(OpenXmlWriter writer)
        {
            uint r = 0;
            await foreach (var cells in table)
            {
                writer.WriteElement(TableRow(++r, cells));
            }
        }

        return await WriteAsync([(sheetName, Rows, [], widths, true)]);
    }

    /// <summary>The rows of a plain table, made one at a time as the sheet is written.</summary>
    private static IEnumerable<Row> TableRows(IEnumerable<IEnumerable<string?>> table, IReadOnlySet<int>? twoDecimals = null, IReadOnlySet<int>? oneDecimal = null)
    {
        uint r = 0;
        foreach (var cells in table)
        {
            yield return TableRow(++r, cells, twoDecimals, oneDecimal);
        }
    }

    /// <summary>
    /// Row <paramref name="r"/> of a plain table: the first is the bold header. Below it, whole numbers (年度,
    /// counts) become number cells shown as they are, decimals (分值, 得分) number cells with two decimals, rates
    /// written 22.2% percent cells, and dates written 2026年3月2日 date cells in that format, so Excel can sum,
    /// sort and filter them. A number with a leading zero (a 文号 such as 007) stays text, as typed.
    /// </summary>
    private static Row TableRow(uint r, IEnumerable<string?> cells, IReadOnlySet<int>? twoDecimals = null, IReadOnlySet<int>? oneDecimal = null)
    {
        var row = new Row { RowIndex = r };
        var i = 0;
        foreach (var cell in cells)
        {
            var index = i++;
            var column = TableFile.ColumnName(index);
            if (r == 1 || cell is null)
            {
                Text(row, column, cell ?? string.Empty, r == 1 ? BoxedBold : Boxed);
            }
            else if (WholeNumber().IsMatch(cell))
            {
                Number(row, column, decimal.Parse(cell, CultureInfo.InvariantCulture), twoDecimals?.Contains(index) == true ? BoxedNumber : BoxedInteger);
            }
            else if (DecimalNumber().IsMatch(cell))
            {
                Number(row, column, decimal.Parse(cell, CultureInfo.InvariantCulture), oneDecimal?.Contains(index) == true ? BoxedOneDecimal : BoxedNumber);
            }
            else if (Percentage().Match(cell) is { Success: true } percent)
            {
                // 整改率 "22.2%": a percent cell (0.222 shown 22.2%), so the column sorts as numbers, not as text ("100.0%" before "22.2%").
                Number(row, column, decimal.Parse(percent.Groups[1].Value, CultureInfo.InvariantCulture) / 100m, BoxedPercent);
            }
            else if (ChineseDate().Match(cell) is { Success: true } m
                && DateOnly.TryParseExact($"{m.Groups[1].Value}-{m.Groups[2].Value}-{m.Groups[3].Value}", "yyyy-M-d", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Number(row, column, date.DayNumber - ExcelEpoch.DayNumber, BoxedDate);
            }
            else
            {
                Text(row, column, cell, Boxed);
            }
        }

        return row;
    }

    /// <summary>Day 0 of Excel's 1900 date system as it counts after 1 March 1900 (its phantom 29 February included).</summary>
    private static readonly DateOnly ExcelEpoch = new(1899, 12, 30);

    [System.Text.RegularExpressions.GeneratedRegex(@"^(0|[1-9][0-9]{0,14})$")]
    private static partial System.Text.RegularExpressions.Regex WholeNumber();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(0|[1-9][0-9]{0,14})\.[0-9]{1,10}$")]
    private static partial System.Text.RegularExpressions.Regex DecimalNumber();

    [System.Text.RegularExpressions.GeneratedRegex(@"^((?:0|[1-9][0-9]{0,2})\.[0-9])%$")]
    private static partial System.Text.RegularExpressions.Regex Percentage();

    [System.Text.RegularExpressions.GeneratedRegex(@"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$")]
    private static partial System.Text.RegularExpressions.Regex ChineseDate();

    /// <summary>The import header alone, for units that fill offline.</summary>
    /// <param name="headerFields">For a 部门整体 self-evaluation: a second sheet 部门信息 with the named cells
    /// 所属独立核算单位个数 and 部门职能概述, filled offline and imported with the indicators (blank cells change nothing).</param>
    public static byte[] BlankTemplate(bool headerFields = false)
    {
        var head = new Row { RowIndex = 1 };
        for (var i = 0; i < IndicatorFile.Header.Count; i++)
        {
            Text(head, TableFile.ColumnName(i), IndicatorFile.Header[i], BoxedBold);
        }

        if (!headerFields)
        {
            return Write([("绩效指标", [head], [], FormWidths, true)]);
        }

        const string Sheet = "部门信息";
        var units = new Row { RowIndex = 1 };
        Text(units, "A", HeaderFields.UnitsLabel, BoxedBold);
        Text(units, "B", string.Empty, BoxedInteger);
        var functions = new Row { RowIndex = 2, Height = 120, CustomHeight = true };
        Text(functions, "A", HeaderFields.FunctionsLabel, BoxedBold);
        Text(functions, "B", string.Empty, Boxed);
        var hint = new Row { RowIndex = 4 };
        Text(hint, "A", "仅部门整体支出绩效自评填写；所属独立核算单位个数填不小于0的整数（没有则填0）；留空的单元格导入时不修改表单上已填的内容。", Plain);
        return Write([("绩效指标", [head], [], FormWidths, true), (Sheet, [units, functions, hint], [], [24, 90], false)],
            [Name(HeaderFields.UnitsLabel, Sheet, "$B$1"), Name(HeaderFields.FunctionsLabel, Sheet, "$B$2")]);
    }

    /// <summary>
    /// Writes the workbook as a zip streamed part by part, each sheet's rows written one at a time
    /// (OpenXmlWriter) and compressed as they go. Built as one document in memory, a province's 120,000-line
    /// results table took 2.3 GB and 15 s; OpenXml 2.20 cannot write into a write-only package, and its
    /// read-write package holds every part uncompressed until the end, so the package's few fixed parts
    /// (content types, relationships) are written here.
    /// </summary>
    private static byte[] Write(IReadOnlyList<(string SheetName, IEnumerable<Row> Rows, List<string> Merges, double[] Widths, bool HeaderRow)> sheets,
        IReadOnlyList<DefinedName>? names = null)
    {
        // Rows already in hand: every await below completes at once (a MemoryStream), so this runs synchronously.
        return WriteAsync(sheets.Select(sheet => (sheet.SheetName, (Func<OpenXmlWriter, ValueTask>)(writer =>
        {
            foreach (var row in sheet.Rows)
            {
                writer.WriteElement(row);
            }

            return ValueTask.CompletedTask;
        }), sheet.Merges, sheet.Widths, sheet.HeaderRow)).ToList(), names).GetAwaiter().GetResult();
    }

    /// <param name="sheets">
    /// Each sheet; <c>HeaderRow</c>: a plain table whose first row is its header, kept in view while scrolling
    /// (frozen) and printed again at the top of every page, as a long ledger needs on paper.
    /// </param>
    private static async Task<byte[]> WriteAsync(IReadOnlyList<(string SheetName, Func<OpenXmlWriter, ValueTask> WriteRows, List<string> Merges, double[] Widths, bool HeaderRow)> sheets,
        IReadOnlyList<DefinedName>? names = null)
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            var numbers = Enumerable.Range(1, sheets.Count).ToList();
            RawPart(zip, "[Content_Types].xml", $"""<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{string.Concat(numbers.Select(n => $"""<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""))}</Types>""");
            RawPart(zip, "_rels/.rels", $"""<Relationships xmlns="{RelationshipsNs}"><Relationship Id="rId1" Type="{OfficeRelNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            RawPart(zip, "xl/_rels/workbook.xml.rels", $"""<Relationships xmlns="{RelationshipsNs}">{string.Concat(numbers.Select(n => $"""<Relationship Id="rId{n}" Type="{OfficeRelNs}/worksheet" Target="worksheets/sheet{n}.xml"/>"""))}<Relationship Id="rIdStyles" Type="{OfficeRelNs}/styles" Target="styles.xml"/></Relationships>""");
            var workbook = new Workbook(new Sheets(sheets.Select((sheet, i) => new Sheet { Id = $"rId{i + 1}", SheetId = (uint)(i + 1), Name = sheet.SheetName })));
            var printTitles = sheets.Select((sheet, i) => (sheet, i)).Where(s => s.sheet.HeaderRow)
                .Select(s => new DefinedName($"'{s.sheet.SheetName.Replace("'", "''", StringComparison.Ordinal)}'!$1:$1") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)s.i })
                .Concat(names ?? []).ToList();
            if (printTitles.Count > 0)
            {
                workbook.Append(new DefinedNames(printTitles));
            }

            ElementPart(zip, "xl/workbook.xml", workbook);
            ElementPart(zip, "xl/styles.xml", Styles());
            foreach (var (n, (_, writeRows, merges, widths, headerRow)) in numbers.Zip(sheets))
            {
                using var part = zip.CreateEntry($"xl/worksheets/sheet{n}.xml").Open();
                using var writer = OpenXmlWriter.Create(part);
                writer.WriteStartDocument();
                writer.WriteStartElement(new Worksheet());
                writer.WriteElement(new SheetProperties(new PageSetupProperties { FitToPage = true }));
                if (headerRow)
                {
                    writer.WriteElement(new SheetViews(new SheetView(
                        new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                        new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
                    { TabSelected = n == 1, WorkbookViewId = 0 }));
                }

                writer.WriteElement(new Columns(widths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true })));
                writer.WriteStartElement(new SheetData());
                await writeRows(writer);
                writer.WriteEndElement();
                if (merges.Count > 0)
                {
                    writer.WriteElement(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
                }

                // A4 landscape, one page wide, as the paper form is printed.
                writer.WriteElement(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
                writer.WriteElement(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
                writer.WriteEndElement();
            }
        }

        return stream.ToArray();
    }

    private const string RelationshipsNs = "http://schemas.openxmlformats.org/package/2006/relationships";

    private const string OfficeRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private static void RawPart(System.IO.Compression.ZipArchive zip, string name, string xml)
    {
        using var part = zip.CreateEntry(name).Open();
        part.Write(System.Text.Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + xml));
    }

    private static void ElementPart(System.IO.Compression.ZipArchive zip, string name, OpenXmlElement root)
    {
        using var part = zip.CreateEntry(name).Open();
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartDocument();
        writer.WriteElement(root);
    }

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "0.00" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "0.0%" },
            new NumberingFormat { NumberFormatId = 167, FormatCode = "0.0" }) { Count = 4 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
            new Font(new Bold(), new FontSize { Val = 16 }, new FontName { Val = "宋体" })) { Count = 3 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(
            new Border(),
            new Border(
                new LeftBorder { Style = BorderStyleValues.Thin },
                new RightBorder { Style = BorderStyleValues.Thin },
                new TopBorder { Style = BorderStyleValues.Thin },
                new BottomBorder { Style = BorderStyleValues.Thin },
                new DiagonalBorder())) { Count = 2 },
        new CellFormats(
            new CellFormat(),
            new CellFormat(Wrap()) { BorderId = 1, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { BorderId = 1, NumberFormatId = 164, ApplyNumberFormat = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center }) { FontId = 2, ApplyFont = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { FontId = 1, BorderId = 1, ApplyFont = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { BorderId = 1, NumberFormatId = 1, ApplyNumberFormat = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { BorderId = 1, NumberFormatId = 165, ApplyNumberFormat = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { BorderId = 1, NumberFormatId = 166, ApplyNumberFormat = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { BorderId = 1, NumberFormatId = 167, ApplyNumberFormat = true, ApplyBorder = true, ApplyAlignment = true }) { Count = 9 });

    private static Alignment Wrap() => new() { WrapText = true, Vertical = VerticalAlignmentValues.Center };

    private static void Text(Row row, string column, string text, uint style) =>
        row.Append(new Cell(new InlineString(new Text(Shared.XmlText.Safe(text)) { Space = SpaceProcessingModeValues.Preserve }))
        {
            CellReference = column + row.RowIndex!.Value,
            DataType = CellValues.InlineString,
            StyleIndex = style,
        });

    private static void Number(Row row, string column, decimal? value, uint style = BoxedNumber) =>
        row.Append(value is { } v
            ? new Cell(new CellValue(v.ToString(CultureInfo.InvariantCulture))) { CellReference = column + row.RowIndex!.Value, StyleIndex = style }
            : new Cell { CellReference = column + row.RowIndex!.Value, StyleIndex = Boxed });
}
