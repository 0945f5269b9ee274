using System.Globalization;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Rectifications;
using BudgetEval.Web.SelfEvaluations.Scoring;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.SelfEvaluations.Export;

/// <summary>
/// The 自评表 and 自评报告 as a Word document, with the print view's content and figures: the table on landscape
/// pages, the report on portrait ones. Units finish and stamp their report in Word or WPS; this saves retyping.
/// </summary>
internal static class FormDocument
{
    /// <summary>What the audit log says was exported.</summary>
    public const string AuditDetail = "自评表与自评报告（Word）";

    /// <summary>The document of <paramref name="form"/>, with its follow-up list as the print view shows it.</summary>
    public static async Task<byte[]> BuildAsync(Infrastructure.Data.AppDbContext db, LoadedForm form, ChinaClock china, CancellationToken ct) =>
        Build(form, form.Sheet(), await FollowUp.ShownAsync(db, form.Record, china, ct));

    public static byte[] Build(LoadedForm form, ScoreSheet sheet, FollowUpList followUp)
    {
        var se = form.Record;
        using var doc = new WordDocument(se.Title);
        doc.Title(EvaluationKinds.Label(se.Kind).Replace("绩效自评", "自评表", StringComparison.Ordinal));
        doc.Centered($"（{se.FiscalYear}年度）");

        // Nine grid columns, as the print view: label, sub-label, A, B, C, 分值, 执行率, 得分 over two.
        var width = WordDocument.TextWidth(landscape: true);
        int[] summary = [1600, 2200, 1700, 1700, 1900, 1100, 1900, 1235, width - 13335];
        var rows = new List<IReadOnlyList<WordCell>>();
        // In the paper 部门整体自评表's order: name and 所属独立核算单位个数, 资金情况 (sources, then the scored total), 部门职能概述, 年度总体目标.
        rows.Add(HeaderFields.Apply(se)
            ? [Head("部门(单位)名称"), new(form.UnitName, Span: 4), Head(HeaderFields.UnitsLabel, span: 2), Figure(se.IndependentUnits?.ToString(CultureInfo.InvariantCulture), span: 2)]
            : [Head("部门(单位)名称"), new(form.UnitName + (se.ProjectName is { } p ? "　项目：" + p : string.Empty), Span: 8)]);
        rows.Add([Head("资金情况（万元）", RowSpan.Start), Head("资金来源"), Head("全年预算数(A)"), Head("全年执行数(B)"), Head("上级财政转移支付(C)"), Head("分值"), Head("执行率((B-C)/A)"), Head("得分", span: 2)]);
        rows.AddRange(se.FundsRows.Select(fr => (IReadOnlyList<WordCell>)
        [
            Head(string.Empty, RowSpan.Continue), new(fr.Name), Money(fr.Budget), Money(fr.Executed), Money(fr.UpperTransfer),
            new("--"), Figure(new FundsFigures(fr.Budget, fr.Executed, fr.UpperTransfer).RateText), new("--", Span: 2),
        ]));
        rows.Add([Head(string.Empty, RowSpan.Continue), Head("年度资金总额"), Money(se.FundsBudget), Money(se.FundsExecuted), Money(se.FundsUpperTransfer),
            Figure(form.Rules.FundsWeight.ToString("0.##", CultureInfo.InvariantCulture)), Figure(form.Funds.RateText), Figure(sheet.FundsScore.ToString("0.00", CultureInfo.InvariantCulture), span: 2)]);
        if (HeaderFields.Apply(se))
        {
            rows.Add([Head(HeaderFields.FunctionsLabel), new(se.Functions, Span: 8)]);
        }

        rows.Add([Head("年度总体目标", RowSpan.Start), Head("年初设定目标", span: 3), Head("全年完成情况", span: 5)]);
        rows.Add([Head(string.Empty, RowSpan.Continue), new(se.GoalsPlanned, Span: 3), new(se.GoalsAchieved, Span: 5)]);
        doc.Table(summary, rows);

        doc.Centered(string.Empty);
        // As the paper form: 年度绩效指标 down the left of the whole table, and each 一级指标 once over its consecutive rows.
        int[] indicators = [560, 1000, 1250, 1500, 2350, 1250, 1250, 700, 700, 2085, width - 12645];
        var table = new List<IReadOnlyList<WordCell>>
        {
            new[] { string.Empty, "一级指标", "二级指标", "三级指标", "目标内容", "目标值", "完成值", "分值", "得分", "未完成原因", "改进措施" }.Select(h => Head(h)).ToList(),
        };
        var rowsOf = form.Rows;
        table.AddRange(rowsOf.Select((r, i) =>
        {
            var starts = i == 0 || rowsOf[i - 1].Level1 != r.Level1;
            var grouped = (i + 1 < rowsOf.Count && rowsOf[i + 1].Level1 == r.Level1) || !starts;
            return (IReadOnlyList<WordCell>)
            [
                Head(i == 0 ? "年度绩效指标" : string.Empty, rowsOf.Count == 1 ? RowSpan.None : i == 0 ? RowSpan.Start : RowSpan.Continue),
                new(starts ? r.Level1 : string.Empty, RowSpan: !grouped ? RowSpan.None : starts ? RowSpan.Start : RowSpan.Continue),
                new(r.Level2), new(r.Level3), new(r.Content), new(r.Target), new(r.Actual),
                Figure(r.Weight?.ToString("0.##", CultureInfo.InvariantCulture)), Figure(r.Score?.ToString("0.##", CultureInfo.InvariantCulture)), new(r.Reason), new(r.Measure),
            ];
        }));
        table.Add(
        [
            Head("总分", span: 7), Figure((form.Rules.FundsWeight + sheet.IndicatorWeightTotal).ToString("0.##", CultureInfo.InvariantCulture)),
            Figure(sheet.TotalScore.ToString("0.00", CultureInfo.InvariantCulture)), Head($"等级：{sheet.Grade}", span: 2),
        ]);
        doc.Table(indicators, table, headerRows: 1);
        doc.EndSection(landscape: true);

        doc.Title("自评报告");
        foreach (var (key, label) in SelfEvaluationReport.Sections)
        {
            doc.Heading2(label);
            doc.Prose(se.Report.Get(key), "（未填写）");
            if (key == "rectification" && followUp.Items.Count > 0)
            {
                // As the print view: a submitted self-evaluation shows its list as submitted.
                var portrait = WordDocument.TextWidth(landscape: false);
                doc.Table(
                    [1400, 800, 2600, 1100, portrait - 5900],
                    new[] { new[] { "编号", "年度", "问题", followUp.StatusHeading, "整改情况说明" }.Select(h => Head(h)).ToList() }
                        .Concat(followUp.Items.Select(i => (IReadOnlyList<WordCell>)
                        [
                            new(i.Line.Number), new(i.Line.FiscalYear.ToString(CultureInfo.InvariantCulture)), new(followUp.TitleOf(i)),
                            new(FindingLabels.Status(i.Line.Status)), new(FollowUpList.StatementOf(i)),
                        ])),
                    headerRows: 1);
            }
        }

        return doc.ToArray(landscape: false);
    }

    private static WordCell Head(string text, RowSpan rowSpan = RowSpan.None, int span = 1) => new(text, span, Bold: true, RowSpan: rowSpan);

    private static WordCell Money(decimal? value) => Figure(value?.ToString("0.00", CultureInfo.InvariantCulture));

    private static WordCell Figure(string? text, int span = 1) => new(text, span, Number: true);
}
