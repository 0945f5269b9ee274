using BudgetEval.Web.SelfEvaluations.Import;

namespace BudgetEval.Web.Evaluations;

internal sealed record ScoreImportResult(IReadOnlyList<ScoreRow> Rows, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>What the user should know about an accepted file: parts of it that were not imported.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// The evaluation indicator table as a file (.xlsx or UTF-8 .csv), with the same rules as the 自评表 import:
/// every cell checked, errors by row and column in Chinese, nothing returned unless all is valid.
/// </summary>
internal static class ScoreFile
{
    public static readonly IReadOnlyList<string> Header = ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分说明", "评分要点", "评分标准"];

    /// <summary>The sample's transcription has only the first six columns; the last two are optional.</summary>
    private static readonly TableSpec Spec = new(Header, 6, ["分值", "得分"], IndicatorFile.MaxBytes, IndicatorFile.MaxRows);

    private const int MaxText = 2000;

    public static ScoreImportResult Read(string fileName, byte[] content, IReadOnlyList<string> groups, IReadOnlyList<ScoreRow> current)
    {
        var table = TableFile.Read(fileName, content, Spec);
        if (table.Errors.Count > 0)
        {
            return new([], table.Errors);
        }

        var rows = table.Rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c.Text))).ToList();
        if (rows.Count == 0)
        {
            return new([], [new ImportError(0, string.Empty, "文件中没有指标行。")]);
        }

        var errors = new List<ImportError>();
        var result = new List<ScoreRow>();
        var rowNumbers = new List<int>();
        foreach (var (rowNo, raw) in rows)
        {
            rowNumbers.Add(rowNo);
            var row = Enumerable.Range(0, Header.Count).Select(i => i < raw.Length ? raw[i] : TableCell.Empty).ToArray();
            var cells = row.Select((c, i) => Normalise(i, c.Text)).ToArray();
            void Error(int column, string message) => errors.Add(table.CellError(rowNo, column, message));

            if (cells[0].Length == 0)
            {
                Error(0, "未填写。");
            }
            else if (!groups.Contains(cells[0]))
            {
                Error(0, $"{TableRead.Quote(cells[0])}应为{string.Join("、", groups)}之一。");
            }

            if (cells[2].Length == 0)
            {
                Error(2, "未填写。");
            }

            for (var c = 0; c < Header.Count; c++)
            {
                if (cells[c].Length > MaxText)
                {
                    Error(c, $"超过 {MaxText} 字。");
                }
            }

            var weight = IndicatorFile.ParseNumber(row[3], required: true, m => Error(3, m));
            var score = IndicatorFile.ParseNumber(row[4], required: false, m => Error(4, m));
            if (weight is { } w && score is { } s && s > w)
            {
                Error(4, $"{TableRead.Quote(cells[4])}超过「分值」（{w:0.##}）。");
            }

            // The points and standard come from the template when the file leaves them out.
            var known = current.FirstOrDefault(r => r.Level1 == cells[0] && r.Level3 == cells[2]);
            result.Add(new ScoreRow(cells[0], Null(cells[1]), cells[2], weight ?? 0m,
                Null(cells[6]) ?? known?.Points, Null(cells[7]) ?? known?.Standard, score, Null(cells[5]),
                NotApplicable: weight == 0m, MovedTo: known?.MovedTo));
        }

        // Each repeat names its cell and the row it repeats, so the user finds both in a table of thirty rows.
        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < result.Count; i++)
        {
            var key = (result[i].Level1, result[i].Level3);
            if (result[i].Level3.Length == 0)
            {
                continue; // already reported as 未填写
            }

            if (seen.TryGetValue(key, out var first))
            {
                errors.Add(table.CellError(rowNumbers[i], 2, $"指标「{result[i].Level3}」与第{first}行重复（同一一级指标下三级指标不能重复）。"));
            }
            else
            {
                seen[key] = rowNumbers[i];
            }
        }

        return errors.Count > 0 ? new([], errors) : new(result, []) { Notes = table.Notes };
    }

    public static IEnumerable<IEnumerable<string?>> Table(IReadOnlyList<ScoreRow> rows) =>
        new[] { Header.Select(h => (string?)h) }.Concat(rows.Select(r => new[]
        {
            r.Level1, r.Level2, r.Level3, Number(r.Weight), r.Score is { } s ? Number(s) : null, r.Note, r.Points, r.Standard,
        }));

    private static string Number(decimal d) => d.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Null(string s) => s.Length == 0 ? null : s;

    // The same rules as the page: the indicator names and 评分说明 are one line; 评分要点 and 评分标准 (read-only
    // on the page, several lines in the templates) keep their lines.
    private static string Normalise(int column, string text) =>
        (column >= 6 ? Shared.TextInput.Block(text) : Shared.TextInput.Line(text)) ?? string.Empty;
}
