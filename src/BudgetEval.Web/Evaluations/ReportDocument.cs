using System.Globalization;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.Evaluations;

/// <summary>
/// The 评价报告 as a Word document with the print view's content: the report on portrait pages, its 附表 (the
/// indicator table in the sample report's columns) on landscape ones. Firms finish, number and stamp reports in Word.
/// </summary>
internal static class ReportDocument
{
    public const string AuditDetail = "评价报告（Word）";

    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六", "七", "八"];

    public static byte[] Build(Evaluation e, string unitName, string? firmName, EvaluationScoreSheet sheet)
    {
        using var doc = new WordDocument(e.Title);
        var subject = e.ProjectName is { } p ? $"“{p}”项目支出" : "部门整体支出";
        if (e.Status != "completed")
        {
            doc.Centered("初稿"); // until the bureau accepts it, as the print view says
        }

        if (e.ReportNumber is { } number)
        {
            doc.Centered(number);
        }

        doc.Title(unitName);
        doc.Title($"{e.FiscalYear}年度{subject}绩效评价报告");
        var lead = e.Team.FirstOrDefault(m => m.IsLead)?.Name;
        doc.Centered($"{firmName}{(e.ReportDate is { } d ? "　" + ChineseFormat.Date(d) : string.Empty)}{(lead is null ? string.Empty : "　主评人：" + lead)}");

        var n = 0;
        foreach (var (key, label) in ReportSections.All)
        {
            doc.Heading1($"{Numerals[n++]}、{label}");
            doc.Prose(e.Report.GetValueOrDefault(key), "（未填写）");
            if (key == "problems")
            {
                var i = 0;
                foreach (var problem in e.Problems)
                {
                    doc.Prose($"{++i}．{problem.Title}。{problem.Detail}{(problem.RectifiedBeforeReport ? "（已整改）" : string.Empty)}", string.Empty);
                }
            }
        }

        doc.EndSection(landscape: false);

        doc.Heading1($"附表：{e.FiscalYear}年度{unitName}{subject}绩效评价指标表");
        var rows = new List<IReadOnlyList<WordCell>>
        {
            new[] { "一级指标", "二级指标", "三级指标", "分值", "评分要点", "评分标准", "评分说明", "得分" }.Select(h => new WordCell(h, Bold: true)).ToList(),
        };
        rows.AddRange(e.Rows.Select(r => (IReadOnlyList<WordCell>)
        [
            new(r.Level1), new(r.Level2), new(r.Level3 + (r.NotApplicable ? "（不适用）" : string.Empty)), Figure(r.Weight.ToString("0.##", CultureInfo.InvariantCulture)),
            new(r.Points), new(r.Standard), new(r.Note), Figure(r.Score?.ToString("0.##", CultureInfo.InvariantCulture)),
        ]));
        rows.AddRange(sheet.Groups.Select(g => (IReadOnlyList<WordCell>)
        [
            new($"{g.Name} 小计", Span: 3, Bold: true), Figure(g.Weight.ToString("0.##", CultureInfo.InvariantCulture)), new(string.Empty, Span: 3),
            Figure(g.Score.ToString("0.00", CultureInfo.InvariantCulture)),
        ]));
        rows.Add(
        [
            new("合计", Span: 3, Bold: true), Figure(sheet.WeightTotal.ToString("0.##", CultureInfo.InvariantCulture)), new(string.Empty, Span: 2),
            new($"等级：{sheet.Grade}", Bold: true), Figure(sheet.Total.ToString("0.00", CultureInfo.InvariantCulture)),
        ]);
        var width = WordDocument.TextWidth(landscape: true);
        doc.Table([1100, 1300, 1700, 700, 2900, 3000, width - 11500, 800], rows, headerRows: 1);
        return doc.ToArray(landscape: true);
    }

    private static WordCell Figure(string? text) => new(text, Number: true);
}
