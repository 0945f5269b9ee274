using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.SelfEvaluations.Import;

namespace BudgetEval.Web.Admin.Templates;

/// <summary>
/// A 重点评价 template's rows as a workbook: exported to be edited in Excel (new provincial guidance arrives as a
/// table) and read back into the form with the score table import's rules: every cell checked, each refusal naming
/// its cell (单元格 D7（第7行「分值」）…), nothing taken unless all are valid. Taking the rows does not save them: the
/// form shows them and 保存 applies the template's own rules and version check.
/// </summary>
internal static class TemplateFile
{
    public static readonly IReadOnlyList<string> Header = ["一级指标", "二级指标", "三级指标", "分值", "评分要点", "评分标准"];

    /// <summary>评分要点 and 评分标准 may be left out of the file (the first four columns are required).</summary>
    private static readonly TableSpec Spec = new(Header, 4, ["分值"], IndicatorFile.MaxBytes, IndicatorFile.MaxRows);

    public static byte[] Workbook(TemplateSummary template) =>
        FormWorkbook.Table("指标", new[] { Header.Select(h => (string?)h) }.Concat(template.Rows.Select(r => new[]
        {
            r.Level1, r.Level2, r.Level3, TemplateAdmin.Number(r.Weight), r.Points, r.Standard,
        })), [10, 14, 24, 8, 40, 40], new HashSet<int> { 3 });

    public sealed record Result(IReadOnlyList<RowForm> Rows, IReadOnlyList<string> Errors, IReadOnlyList<string> Notes);

    /// <param name="groups">The template's four 一级 names as the form holds them: a row's 一级 must be one of them.</param>
    public static Result Read(string fileName, byte[] content, IReadOnlyList<string> groups)
    {
        var table = TableFile.Read(fileName, content, Spec);
        if (table.Errors.Count > 0)
        {
            return new([], table.Errors.Select(e => e.Message).ToList(), []);
        }

        var errors = new List<string>();
        var rows = new List<(RowForm Form, decimal? Weight)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (rowNo, raw) in table.Rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c.Text))))
        {
            var cells = Enumerable.Range(0, Header.Count).Select(i => i < raw.Length ? raw[i] : TableCell.Empty).ToArray();
            var text = cells.Select((c, i) => (i >= 4 ? Shared.TextInput.Block(c.Text) : Shared.TextInput.Line(c.Text)) ?? string.Empty).ToArray();
            void Error(int column, string message) => errors.Add(table.CellError(rowNo, column, message).Message);

            if (text[0].Length == 0)
            {
                Error(0, "未填写。");
            }
            else if (!groups.Contains(text[0]))
            {
                Error(0, $"{TableRead.Quote(text[0])}应为{string.Join("、", groups)}之一。");
            }

            foreach (var column in new[] { 1, 2 })
            {
                if (text[column].Length == 0)
                {
                    Error(column, "未填写。");
                }
            }

            if (text[2].Length > 0 && !seen.TryAdd(text[2], rowNo))
            {
                Error(2, $"{TableRead.Quote(text[2])}与第{seen[text[2]]}行重复。");
            }

            var weight = IndicatorFile.ParseNumber(cells[3], required: true, m => Error(3, m));
            if (weight is 0m)
            {
                Error(3, "须大于 0。");
                weight = null;
            }
            else if (weight is { } w && decimal.Round(w, 2) != w)
            {
                Error(3, $"{TableRead.Quote(text[3])}最多两位小数。");
                weight = null;
            }

            rows.Add((new RowForm
            {
                Level1 = text[0], Level2 = text[1], Level3 = text[2], Weight = weight is { } v ? TemplateAdmin.Number(v) : text[3],
                Points = text[4].Length == 0 ? null : text[4], Standard = text[5].Length == 0 ? null : text[5],
            }, weight));
        }

        if (rows.Count == 0)
        {
            errors.Add("文件中没有指标行。");
        }
        else if (rows.All(r => r.Weight is not null) && rows.Sum(r => r.Weight!.Value) is var total && total != 100m)
        {
            var byGroup = string.Join(" + ", groups.Select(g => TemplateAdmin.Number(rows.Where(r => r.Form.Level1 == g).Sum(r => r.Weight!.Value))));
            errors.Add($"「分值」列合计须为 100，现为 {TemplateAdmin.Number(total)}（{byGroup}）。");
        }

        return errors.Count > 0 ? new([], errors, []) : new(rows.Select(r => r.Form).ToList(), [], table.Notes);
    }
}
