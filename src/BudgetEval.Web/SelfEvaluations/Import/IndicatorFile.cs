using System.Globalization;
using BudgetEval.Web.SelfEvaluations.Scoring;

namespace BudgetEval.Web.SelfEvaluations.Import;

internal sealed record ImportError(int Row, string Column, string Message);

internal sealed record ImportResult(IReadOnlyList<IndicatorLine> Lines, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>What the user should know about an accepted file: parts of it that were not imported.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The funds rows of an exported 自评表 (above its indicator table), or null when the file has none.</summary>
    public IReadOnlyList<FundsLine>? Funds { get; init; }

    /// <summary>所属独立核算单位个数 from the file's named cell; null when the file has none or leaves it blank (the form keeps its own).</summary>
    public int? IndependentUnits { get; init; }

    /// <summary>部门职能概述 from the file's named cell; null when the file has none or leaves it blank (the form keeps its own).</summary>
    public string? Functions { get; init; }

    public static ImportResult Fail(string message, string column = "") => new([], [new ImportError(0, column, message)]);
}

/// <summary>One amount of a funds row in the file: its cell (C7) and its text.</summary>
internal sealed record FundsCell(string Cell, string Text);

/// <summary>
/// A funds row above the exported table (资金来源 with its A, B and C). The import takes indicators only; these
/// are read so that the user can be told which of them differ from the form and were not taken.
/// </summary>
internal sealed record FundsLine(int Row, string Name, FundsCell? Budget, FundsCell? Executed, FundsCell? UpperTransfer);

/// <summary>
/// Reads an indicator table from .xlsx or UTF-8 .csv with the official header. Every row is checked and
/// every problem is reported by row and column; the caller saves nothing unless there are none.
/// </summary>
internal static class IndicatorFile
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 2000;

    public static readonly IReadOnlyList<string> Header = ["一级指标", "二级指标", "三级指标", "目标内容", "目标值", "完成值", "分值", "得分", "未完成原因", "改进措施"];

    private static readonly TableSpec Spec = new(Header, Header.Count, ["分值", "得分"], MaxBytes, MaxRows);

    public static ImportResult Read(string fileName, byte[] content)
    {
        // The table's own errors (a row under 总分, a merged number) and every cell's, in one answer, in the order of the rows.
        var table = TableFile.Read(fileName, content, Spec);
        if (table.Errors.Count == 0)
        {
            return ReadRows(table);
        }

        // A cell the table already refused (a formula) is named once.
        var cells = table.Rows.Count > 0
            ? ReadRows(table).Errors.Where(e => e.Row == 0 || !table.Errors.Any(t => t.Row == e.Row && t.Column == e.Column && e.Column.Length > 0))
            : [];
        return new ImportResult([], [.. table.Errors.Concat(cells).OrderBy(e => e.Row)]);
    }

    private static ImportResult ReadRows(TableRead table)
    {
        var rows = table.Rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c.Text))).ToList();
        if (rows.Count > MaxRows)
        {
            return ImportResult.Fail($"指标行数为 {rows.Count}，超过 {MaxRows} 行的上限。");
        }

        if (rows.Count == 0)
        {
            return ImportResult.Fail("文件中没有指标行。");
        }

        var errors = new List<ImportError>();
        var (units, functions) = HeaderCells(table, errors);
        var lines = new List<IndicatorLine>(rows.Count);
        foreach (var (rowNo, raw) in rows)
        {
            var row = Enumerable.Range(0, Header.Count).Select(i => i < raw.Length ? raw[i] : TableCell.Empty).ToArray();
            var cells = row.Select((c, i) => Normalise(i, c.Text)).ToArray();
            void Error(int column, string message) => errors.Add(table.CellError(rowNo, column, message));

            if (cells[0].Length == 0)
            {
                Error(0, "未填写。");
            }

            for (var c = 0; c < Header.Count; c++)
            {
                // The form's limits (the indicator names are shorter), so a long cell is named here instead of failing at the database.
                var max = c < 3 ? SelfEvaluationForm.IndicatorNameMaxLength : SelfEvaluationForm.IndicatorTextMaxLength;
                if (cells[c].Length > max)
                {
                    Error(c, $"超过 {max} 字（现 {cells[c].Length.ToString("N0", CultureInfo.InvariantCulture)} 字）。");
                }
            }

            var weight = ParseNumber(row[6], required: true, m => Error(6, m));
            var score = ParseNumber(row[7], required: false, m => Error(7, m));
            if (weight is { } w && score is { } s && s > w)
            {
                Error(7, $"{TableRead.Quote(cells[7])}超过「分值」（{w:0.##}）。");
            }

            lines.Add(new IndicatorLine(Null(cells[0]), Null(cells[1]), Null(cells[2]), Null(cells[3]), Null(cells[4]), Null(cells[5]),
                weight, score, Null(cells[8]), Null(cells[9])));
        }

        return errors.Count > 0 ? new ImportResult([], errors)
            : new ImportResult(lines, []) { Notes = table.Notes, Funds = FundsBlock(table), IndependentUnits = units, Functions = functions };
    }

    /// <summary>
    /// A 分值 or 得分 cell: empty, or a non-negative number with at most two decimals; shared with the evaluation
    /// score import. A logical value, a date or a percent is refused even though Excel stores a number
    /// behind it (TRUE is 1, 2022-12-31 is 44926): the user did not type that number. Full-width digits
    /// (１０．５, typed with a Chinese input method in full-width mode) are the same number to the user and read as one.
    /// </summary>
    internal static decimal? ParseNumber(TableCell cell, bool required, Action<string> error)
    {
        var text = cell.Text.Trim();
        switch (cell.Kind)
        {
            case CellKind.Boolean:
                error("是逻辑值，应为数字。");
                return null;
            case CellKind.Date:
                error("是日期，应为数字。");
                return null;
            case CellKind.Percent:
                error($"是百分比{TableRead.Quote(text)}，应为数字。");
                return null;
            case CellKind.Error:
                error($"是错误值{TableRead.Quote(text)}，应为数字。");
                return null;
        }

        if (text.Length == 0)
        {
            if (required)
            {
                error("未填写。");
            }

            return null;
        }

        if (!decimal.TryParse(Narrow(text), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            error($"{TableRead.Quote(text)}不是数字。");
            return null;
        }

        if (value < 0)
        {
            error($"{TableRead.Quote(text)}不能为负数。");
            return null;
        }

        if (value != Math.Round(value, 2) || value > 1000)
        {
            error($"{TableRead.Quote(text)}应为不超过 1000、最多两位小数的数字。");
            return null;
        }

        return value;
    }

    /// <summary>Full-width digits, point and signs (０–９ ． － ＋) as their ASCII forms; nothing else changes.</summary>
    private static string Narrow(string text) =>
        text.Any(c => c is >= '０' and <= '９' or '．' or '－' or '＋')
            ? string.Concat(text.Select(c => c is >= '０' and <= '９' or '．' or '－' or '＋' ? (char)(c - 0xFEE0) : c))
            : text;

    /// <summary>
    /// The 部门整体 header fields from the workbook's named cells (the export's 自评表!H3, the template's 部门信息 sheet).
    /// A file without them (an older export, a CSV) or with a blank cell gives null: the form keeps what it has.
    /// A bad value is an error naming the cell, so nothing of the file is imported.
    /// </summary>
    private static (int? Units, string? Functions) HeaderCells(TableRead table, List<ImportError> errors)
    {
        int? units = null;
        if (table.Named.TryGetValue(HeaderFields.UnitsLabel, out var u) && u.Value.Text.Trim() is { Length: > 0 } text)
        {
            if (u.Value.Kind is CellKind.Text or CellKind.Number && HeaderFields.TryParseUnits(text, out var n))
            {
                units = n;
            }
            else
            {
                errors.Add(new ImportError(u.Row, HeaderFields.UnitsLabel, $"{u.Where} {HeaderFields.UnitsLabel}「{text}」不是整数（{HeaderFields.UnitsMessage}）。"));
            }
        }

        string? functions = null;
        if (table.Named.TryGetValue(HeaderFields.FunctionsLabel, out var f) && Shared.TextInput.Block(f.Value.Text) is { } block)
        {
            if (block.Length > SelfEvaluationForm.FunctionsMaxLength)
            {
                errors.Add(new ImportError(f.Row, HeaderFields.FunctionsLabel,
                    $"{f.Where} {HeaderFields.FunctionsLabel}超过 {SelfEvaluationForm.FunctionsMaxLength} 字（现 {block.Length.ToString("N0", CultureInfo.InvariantCulture)} 字）。"));
            }
            else
            {
                functions = block;
            }
        }

        return (units, functions);
    }

    /// <summary>The rows under the funds headings of an exported 自评表, up to its 年度总体目标; null without the headings.</summary>
    private static List<FundsLine>? FundsBlock(TableRead table)
    {
        var heads = Export.FormWorkbook.FundsHeads;
        var head = table.Above.FirstOrDefault(r => r.Cells.Values.Any(c => c.Text.Trim() == heads[0]));
        if (head.Cells is null)
        {
            return null;
        }

        int Column(string name) => head.Cells.FirstOrDefault(c => c.Value.Text.Trim() == name, new(-1, default)).Key;
        var (nameAt, budgetAt, executedAt, transferAt) = (Column(heads[1]), Column(heads[2]), Column(heads[3]), Column(heads[4]));
        var lines = new List<FundsLine>();
        foreach (var (row, cells) in table.Above.Where(r => r.Row > head.Row))
        {
            if (cells.Values.Any(c => c.Text.Trim() is Export.FormWorkbook.Goals or HeaderFields.FunctionsLabel))
            {
                break;
            }

            string Text(int column) => column >= 0 && cells.TryGetValue(column, out var cell) ? Shared.TextInput.LineOrEmpty(cell.Text) : string.Empty;
            FundsCell? Amount(int column) => column < 0 ? null : new FundsCell($"{TableFile.ColumnName(column)}{row}", Text(column));
            if (Text(nameAt) is { Length: > 0 } name)
            {
                lines.Add(new FundsLine(row, name, Amount(budgetAt), Amount(executedAt), Amount(transferAt)));
            }
        }

        return lines;
    }

    private static string? Null(string s) => s.Length == 0 ? null : s;

    // The same rules as the form: 目标内容, 未完成原因 and 改进措施 are multi-line, the other texts one line
    // (a cell with Alt+Enter in 三级指标 would otherwise carry its line break into every report).
    private static readonly HashSet<int> BlockColumns = [3, 8, 9];

    private static string Normalise(int column, string text) =>
        (BlockColumns.Contains(column) ? Shared.TextInput.Block(text) : Shared.TextInput.Line(text)) ?? string.Empty;
}
