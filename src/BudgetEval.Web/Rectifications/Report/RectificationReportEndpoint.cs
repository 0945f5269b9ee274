using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.Rectifications.Report;

/// <summary>GET /api/findings/rectification-report.docx: the 整改情况报告 of one unit as a Word document.</summary>
internal static class RectificationReportEndpoint
{
    public static void MapRectificationReport(this RouteGroupBuilder group) =>
        group.MapGet("/rectification-report.docx", async (string? unit, int? fiscalYear, string? source, string? sourceDocument, HttpContext http,
            AppDbContext db, BureauLookup bureau, TimeProvider clock, ChinaClock china, CancellationToken ct) =>
        {
            var (report, errors) = await RectificationReport.LoadAsync(db, http.User, new(unit, fiscalYear, source, sourceDocument), bureau, clock, china, ct);
            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors);
            }

            if (report is null)
            {
                // Another unit's findings and none at all answer alike (docs/authorization.md).
                return ApiProblems.NotFound();
            }

            await AuditTrail.ExportedAsync(db, http, clock, report.Title, RectificationReportDocument.AuditDetail, ct);
            return TypedResults.File(RectificationReportDocument.Build(report), WordDocument.ContentType, report.FileName);
        })
        .ProducesFile(WordDocument.ContentType)
        .WithSummary("整改情况报告（Word）：一个单位一个年度或一份来源文件的问题及其整改措施、结果、状态和汇总")
        .WithDescription("unit：单位 id 或名称（单位用户可省略，即本单位）；fiscalYear 与 sourceDocument 至少一项；source：ThirdParty、Audit、Inspection 或 SelfEvaluation。"
            + "单位只能生成本单位的报告，其他单位的与没有问题的均答 404。每次下载记一条审计日志。");
}
