using System.Globalization;
using System.Text.RegularExpressions;
using BudgetEval.Web.Admin.Import;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.Findings.Import;

/// <summary>A row of the 问题 sheet, its cells checked one by one (the unit and the category are still text: the database decides).</summary>
internal sealed record FindingRow(int Row, string? UnitText, int? Year, FindingSource? Source, string? SourceDocument, DateOnly? SourceDate,
    string? Category, string? Title, string? Detail, string? IndicatorRow, string? Recommendation, DateOnly? Deadline,
    bool Rectified, DateOnly? RectifiedOn, string? RectifiedEvidence);

/// <summary>Every problem of a file, listed as the file reads (whole-file ones first, then row by row, column by column).</summary>
internal sealed class FindingImportErrors
{
    private readonly List<(int Row, int Column, string Field, string Message)> _items = [];

    public int Count => _items.Count;

    public bool Has(int row, int column) => _items.Any(e => e.Row == row && e.Column == column);

    public void Add(int row, int column, string field, string message) => _items.Add((row, column, field, message));

    public IReadOnlyList<ImportError> Ordered =>
        _items.OrderBy(e => e.Row).ThenBy(e => e.Column).DistinctBy(e => e.Message).Select(e => new ImportError(e.Row, e.Field, e.Message)).ToList();
}

/// <summary>What the workbook holds and what is wrong with its cells, before anything is compared with the database.</summary>
internal sealed record FindingFileRead(IReadOnlyList<FindingRow> Rows, FindingImportErrors Errors, IReadOnlyList<string> Notes, Func<int, int, string> Where);

/// <summary>
/// The 问题台账批量登记 workbook: one sheet 问题 whose columns are the fields of hand registration (<see cref="FindingInput"/>),
/// and a 填写说明 sheet. The file half only, through the shared <see cref="TableFile"/> (size limit, columns found by
/// name, formulas, hidden rows and columns, merged cells); <see cref="FindingImport"/> checks against the database.
/// </summary>
/// <remarks>
/// The 导出整改台账 file (<see cref="FindingLedger"/>) is not read back: it is a report of where each finding stands
/// (状态 整改中, the unit's measures, the bureau's verification), none of which registration can set, it lacks
/// 来源日期 and 对应指标, and its rows are already in the register. Its 整改台账 sheet is named as such when uploaded.
/// </remarks>
internal static partial class FindingFile
{
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>Per file: a bureau's years of findings go in a few files (300 rows take about a second).</summary>
    public const int MaxRows = 1000;

    public const string Sheet = "问题";

    public const int Unit = 0, Year = 1, SourceColumn = 2, Category = 3, Title = 4, Detail = 5, SourceDocument = 6, SourceDate = 7,
        IndicatorRow = 8, Recommendation = 9, Deadline = 10, Rectified = 11, RectifiedOn = 12, RectifiedEvidence = 13;

    /// <summary>The first six must be there; the others may be left out. Labels as the register and the 整改台账 use them.</summary>
    public static readonly IReadOnlyList<string> Header =
        ["单位", "年度", "来源", "问题类别", "问题", "问题描述", "来源文号", "来源日期", "对应指标", "整改建议", "整改期限", "是否已整改", "整改完成日期", "整改说明"];

    /// <summary>
    /// Cells that belong to one finding each: merged over rows they would give several findings the same text, so the
    /// shared reader refuses the range. 单位, 年度, 来源, 来源文号, 来源日期, 问题类别 and 整改期限 may be merged down (a
    /// ledger grouped by unit or audit): each row takes the merged value.
    /// </summary>
    private static readonly string[] OneRowEach = ["问题", "问题描述", "对应指标", "整改建议", "是否已整改", "整改完成日期", "整改说明"];

    private static readonly TableSpec Spec = new(Header, 6, OneRowEach, MaxBytes, MaxRows);

    /// <summary>
    /// The template: the 问题 sheet with its header and one example row, and a sheet of instructions. The example is a
    /// finding of <paramref name="exampleYear"/> from an audit the year after, all its dates in the past (two years back).
    /// </summary>
    public static byte[] Template(IReadOnlyList<string> categories, int exampleYear)
    {
        var year = exampleYear.ToString(CultureInfo.InvariantCulture);
        string?[] example =
        [
            "示例：长沙市望城区XX中心" + DirectoryFile.ExampleMark, year, "审计", categories.Contains("财务管理") ? "财务管理" : (categories.Count > 0 ? categories[0] : "其他"),
            "部分支出未按规定取得合规票据", "区审计局审计发现：2笔办公用品采购支出共计1.2万元未取得合规发票。", $"望审〔{exampleYear + 1}〕3号",
            $"{exampleYear + 1}年3月15日", "成本指标", "补齐票据，完善报销审核制度。", $"{exampleYear + 1}年6月30日", "否", null, null,
        ];
        return SelfEvaluations.Export.FormWorkbook.Tables(
        [
            (Sheet, [Header, example], [34, 7, 10, 12, 30, 40, 18, 14, 14, 28, 14, 10, 14, 30]),
            ("填写说明", Instructions(categories).Select(line => new[] { line }), [120]),
        ]);
    }

    private static IEnumerable<string> Instructions(IReadOnlyList<string> categories) =>
    [
        "填写说明",
        "1. 「问题」表每行登记一个问题；带“（导入前请删除本行）”的示例行请删除，否则导入会被拒绝。",
        "2. 必填：单位、年度、来源、问题类别、问题、问题描述；审计、巡察、第三方评价的问题还须填写来源文号。",
        "3. 单位：填写系统中预算单位的全称、简称或统一社会信用代码（与“登记问题”的单位选择规则相同）。",
        "4. 年度：问题所属的年度，如 2023（不能晚于本年度）。",
        "5. 来源：审计、巡察、第三方评价 或 自评。第三方评价只用于系统启用前完成的评价；系统中验收的评价，其问题已自动登记。",
        $"6. 问题类别：{string.Join("、", categories)} 之一。",
        "7. 日期（来源日期、整改期限、整改完成日期）：Excel 日期，或写成 2023-03-15、2023/3/15、2023年3月15日。整改期限不能早于来源日期；不填时为登记之日起 60 天（遇周末或节假日顺延）。",
        "8. 已经整改完毕的问题：是否已整改填“是”，并填写整改完成日期（可附整改说明），登记为“登记时已整改”，不再发整改通知；其余问题填“否”或留空，登记后向单位发出整改通知。",
        "9. 同一单位同一年度的问题名称不能重复，也不能与系统中已登记的问题重复（重复导入同一文件会被拒绝，不会重复登记）。",
        "10. 单位、年度、来源、来源文号、来源日期、问题类别、整改期限可以向下合并单元格；问题、问题描述等每行各自的内容不能合并。不要使用公式、隐藏行或隐藏列。",
        "11. 文件中只要有一处错误，就不会登记任何问题；页面会列出每一处错误所在的单元格。一次最多 " + MaxRows.ToString(CultureInfo.InvariantCulture) + " 行。",
        "12. “导出整改台账”的文件是台账报表，不能直接导入；请使用本模板。",
    ];

    public static FindingFileRead Read(string fileName, byte[] content, DateOnly today)
    {
        var errors = new FindingImportErrors();
        var table = TableFile.Read(fileName, content, Spec);
        foreach (var e in table.Errors)
        {
            errors.Add(e.Row, Header.ToList().IndexOf(e.Column), e.Column, e.Message);
        }

        if (table.Errors.Any(e => e.Row == 0) && table.Rows.Count == 0 && IsLedger(fileName, content))
        {
            var ledger = new FindingImportErrors();
            ledger.Add(0, -1, string.Empty, LedgerMessage);
            return new FindingFileRead([], ledger, [], table.Where);
        }

        // The shared reader's notes name an indicator table; only the one about columns of the user's own applies here.
        var notes = table.Notes.Where(n => n.StartsWith("未导入", StringComparison.Ordinal)).ToList();
        if (table.Errors.Any(e => e.Row == 0) && table.Rows.Count == 0)
        {
            return new FindingFileRead([], errors, notes, table.Where);
        }

        var rows = new List<FindingRow>();
        var data = table.Rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c.Text))).ToList();
        if (data.Count > MaxRows)
        {
            errors.Add(0, -1, string.Empty, $"{table.SheetPrefix}有 {data.Count} 行问题，超过 {MaxRows} 行的上限，请分批导入。");
            return new FindingFileRead([], errors, notes, table.Where);
        }

        foreach (var (row, cells) in data)
        {
            if (cells.Any(c => c.Text.Contains(DirectoryFile.ExampleMark, StringComparison.Ordinal)))
            {
                errors.Add(row, -1, string.Empty, $"{table.SheetPrefix}第{row}行是模板的示例行，请删除这一行后再导入。");
                continue;
            }

            rows.Add(ReadRow(table, row, cells, today, errors));
        }

        if (errors.Count == 0 && rows.Count == 0)
        {
            errors.Add(0, -1, string.Empty, "文件中没有要登记的问题：表头下面没有数据行。");
        }

        return new FindingFileRead(rows, errors, notes, table.Where);
    }

    private const string LedgerMessage = "这是“导出整改台账”的文件（台账报表，含整改进展），不能直接导入：请点击“下载模板”，把要登记的问题按模板的列填写后导入。";

    /// <summary>An exported 整改台账 uploaded as it is: say what it is rather than which header names it lacks.</summary>
    private static bool IsLedger(string fileName, byte[] content) =>
        TableFile.Read(fileName, content, LedgerSpec).Errors.All(e => e.Row != 0);

    private static readonly TableSpec LedgerSpec = new(FindingLedger.Header, 3, [], MaxBytes, MaxRows);

    private static FindingRow ReadRow(TableRead table, int row, TableCell[] cells, DateOnly today, FindingImportErrors errors)
    {
        void Error(int column, string message) => errors.Add(row, column, Header[column], table.Where(row, column) + message);

        // A logical value or an error value (#N/A) is no text: say so rather than import "TRUE" (是否已整改 may be one).
        for (var c = 0; c < Header.Count; c++)
        {
            if (cells[c].Kind == CellKind.Error || (cells[c].Kind == CellKind.Boolean && c != Rectified))
            {
                Error(c, $"是{(cells[c].Kind == CellKind.Boolean ? "逻辑值" : "错误值")}{TableRead.Quote(cells[c].Text)}，应为文字。");
            }
        }

        string? Line(int column, int max, bool required = false) => Checked(column, TextInput.Line(Usable(cells[column])), max, required);
        string? Block(int column, int max, bool required = false) => Checked(column, TextInput.Block(Usable(cells[column])), max, required);
        string? Checked(int column, string? text, int max, bool required)
        {
            if (text is null)
            {
                if (required && !errors.Has(row, column))
                {
                    Error(column, "未填写。");
                }
            }
            else if (text.Length > max)
            {
                Error(column, $"不能超过 {max} 个字符（现 {text.Length.ToString(CultureInfo.InvariantCulture)} 个）。");
            }

            return text;
        }

        var unit = Line(Unit, 200, required: true);

        int? year = null;
        if (Line(Year, 20, required: true) is { } yearText)
        {
            var m = YearPattern().Match(Shared.TextInput.Narrow(yearText)!);
            if (m.Success)
            {
                year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else
            {
                Error(Year, $"{TableRead.Quote(yearText)}不是年份，应填写如 {today.Year - 1}。");
            }
        }

        FindingSource? source = null;
        if (Line(SourceColumn, 20, required: true) is { } sourceText)
        {
            source = FindingLabels.ParseSource(sourceText);
            if (source is null)
            {
                Error(SourceColumn, $"{TableRead.Quote(sourceText)}不是有效的来源，应为「审计」「巡察」「第三方评价」或「自评」。");
            }
        }

        var rectified = false;
        var rectifiedText = cells[Rectified].Kind == CellKind.Boolean ? (cells[Rectified].Text == "TRUE" ? "是" : "否") : TextInput.Line(cells[Rectified].Text);
        switch (rectifiedText)
        {
            case null or "否":
                break;
            case "是":
                rectified = true;
                break;
            default:
                Error(Rectified, $"{TableRead.Quote(rectifiedText)}应为“是”或“否”（或留空，即未整改）。");
                break;
        }

        var rectifiedOn = Date(table, row, RectifiedOn, cells[RectifiedOn], errors);
        var evidence = Block(RectifiedEvidence, 20000);
        if (!rectified && rectifiedText is null or "否")
        {
            // An open finding with a completion date or note would read as fixed in the 整改台账 while its case waits for a plan.
            if (rectifiedOn is not null)
            {
                Error(RectifiedOn, "只有已整改的问题填写整改完成日期：已整改的，请在「是否已整改」填“是”；未整改的，请清空这一格。");
            }

            if (evidence is not null)
            {
                Error(RectifiedEvidence, "只有已整改的问题填写整改说明：已整改的，请在「是否已整改」填“是”；未整改的，请清空这一格（整改进展由单位在整改事项中填报）。");
            }
        }

        return new FindingRow(row, unit, year, source,
            Line(SourceDocument, 200),
            Date(table, row, SourceDate, cells[SourceDate], errors),
            Line(Category, 50, required: true),
            Line(Title, 300, required: true),
            Block(Detail, 20000, required: true),
            Line(IndicatorRow, 200),
            Block(Recommendation, 20000),
            Date(table, row, Deadline, cells[Deadline], errors),
            rectified, rectifiedOn, evidence);
    }

    /// <summary>Error and logical values are named once, by the loop above; they are no text to read.</summary>
    private static string? Usable(TableCell cell) => cell.Kind is CellKind.Error or CellKind.Boolean ? null : cell.Text;

    /// <summary>
    /// A date cell as Excel shows it (2023-03-15, 2023/3/15, 2023年3月15日; a time of 00:00 is ignored), or typed text in the
    /// same forms, full-width digits included. A bare number is a serial or a typo: refused rather than guessed.
    /// </summary>
    private static DateOnly? Date(TableRead table, int row, int column, TableCell cell, FindingImportErrors errors)
    {
        if (cell.Kind is CellKind.Error or CellKind.Boolean || TextInput.Line(cell.Text) is not { } text)
        {
            return null;
        }

        var narrow = Shared.TextInput.Narrow(text)!;
        var m = DatePattern().Match(narrow);
        if (m.Success && DateOnly.TryParseExact($"{m.Groups["y"].Value}-{m.Groups["m"].Value}-{m.Groups["d"].Value}", "yyyy-M-d",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(row, column, Header[column], table.Where(row, column) + (cell.Kind == CellKind.Date
            ? $"是日期，但显示为{TableRead.Quote(text)}（缺年份或含时刻）：请把单元格格式设为“2023-03-15”或“2023年3月15日”的样式。"
            : $"{TableRead.Quote(text)}不是有效的日期，应为 Excel 日期，或写成 2023-03-15、2023年3月15日。"));
        return null;
    }

    [GeneratedRegex(@"^([0-9]{4})\s*(?:年度?)?$")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"^(?<y>[0-9]{4})\s*(?:[-/.]|年)\s*(?<m>[0-9]{1,2})\s*(?:[-/.]|月)\s*(?<d>[0-9]{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$|^(?<y>[0-9]{4})(?<m>[0-9]{2})(?<d>[0-9]{2})$")]
    private static partial Regex DatePattern();
}
