using System.Globalization;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.Rectifications.Report;

/// <summary>
/// The 整改情况报告 as a Word document with the print view's content: the letter on portrait pages, its annex table on
/// a landscape one. Units put their 红头 and stamp on it in Word or WPS before sending it to the bureau.
/// </summary>
internal static class RectificationReportDocument
{
    public const string AuditDetail = "整改情况报告（Word）";

    public static readonly string[] AnnexHeader = ["序号", "问题", "整改措施", "完成情况", "状态"];

    public static byte[] Build(RectificationReport report)
    {
        using var doc = new WordDocument(report.Title);
        doc.Title(report.Title);
        if (report.BureauName is { } bureau)
        {
            doc.Plain($"主送：{bureau}");
        }

        doc.Prose(report.Opening, string.Empty);
        var n = 0;
        foreach (var item in report.Items)
        {
            doc.Heading2($"{RectificationReport.Numeral(++n)}、{item.Heading}");
            foreach (var (label, text) in item.Lines(report.SharedSource))
            {
                doc.Prose($"{label}：{text}", string.Empty);
            }
        }

        doc.Heading2("整改情况汇总");
        doc.Prose(report.Summary, string.Empty);
        doc.Prose(report.Closing, string.Empty);
        doc.Prose("附件：问题整改情况表", string.Empty);
        doc.Plain(report.UnitName, right: true);
        doc.Plain(ChineseFormat.Date(report.Today), right: true);
        doc.EndSection(landscape: false);

        doc.Heading1($"附件：{report.UnitName}问题整改情况表");
        var rows = new List<IReadOnlyList<WordCell>> { AnnexHeader.Select(h => new WordCell(h, Bold: true)).ToList() };
        n = 0;
        rows.AddRange(report.Items.Select(i => (IReadOnlyList<WordCell>)
        [
            new((++n).ToString(CultureInfo.InvariantCulture), Number: true), new(i.Heading), new(i.Finding.PlanMeasures), new(i.Progress), new(i.Status),
        ]));
        var width = WordDocument.TextWidth(landscape: true);
        doc.Table([700, 3600, 4200, width - 10700, 2200], rows, headerRows: 1);
        return doc.ToArray(landscape: true);
    }
}
