using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;

namespace BudgetEval.Web.Evaluations.ReplacedFirms;

/// <summary>原评价机构评分 over the JSON API: read-only, to whoever sees the evaluation's score table (404 otherwise).</summary>
internal static class ReplacedFirmEndpoints
{
    /// <summary>
    /// What a replaced firm left, as frozen when the bureau replaced it: who, when and why; the table's rows with 分值, 得分 and
    /// 评分说明, the subtotals, total and grade computed then (<c>incomplete</c>: what the table still lacked); the draft
    /// report's sections and problems; <c>state</c> the case's state at the time (drafting, final_report).
    /// </summary>
    internal sealed record ReplacedFirmDto(int No, Guid? FirmId, string FirmName, DateTimeOffset ReplacedAt, string ReplacedBy, string Reason,
        string State, string StateLabel, decimal WeightTotal, decimal Total, string Grade, IReadOnlyList<GroupSubtotal> Groups, IReadOnlyList<string> Incomplete,
        IReadOnlyList<ScoreRow> Rows, IReadOnlyList<EvaluationEndpoints.ReportSectionDto> Sections, IReadOnlyList<Problem> Problems, string? ReportNumber, DateOnly? ReportDate)
    {
        public static ReplacedFirmDto Of(ReplacedFirmRecord r)
        {
            var c = r.Content;
            return new(r.No, r.FirmId, r.FirmName, r.ReplacedAt, r.ReplacedByName, r.Reason, c.State, c.StateLabel, c.WeightTotal, c.Total, c.Grade, c.Groups, c.Incomplete,
                c.Rows, [.. ReportSections.All.Select(s => new EvaluationEndpoints.ReportSectionDto(s.Key, s.Label, c.Report.GetValueOrDefault(s.Key)))], c.Problems,
                c.ReportNumber, c.ReportDate);
        }
    }

    public static void MapReplacedFirmEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/evaluations/{id:guid}/replaced-firms").RequireAuthorization(ApiAuth.Policy).WithTags("Evaluations")
            .MapGet("/", async (Guid id, AppDbContext db, DataScopeAccessor scope, CancellationToken ct) =>
                await ReplacedFirmRecords.VisibleAsync(db, scope.Current, id, ct) is { } visible
                    ? TypedResults.Ok(visible.Records.Select(ReplacedFirmDto.Of).ToList())
                    : ApiProblems.NotFound())
            .Produces<List<ReplacedFirmDto>>()
            .WithDescription("更换评价机构时留存的原评价机构评分（每次更换一项，按更换先后排列）：原评价机构、更换时间、办理人及原因，更换时的评分表各行（分值、得分、评分说明）、"
                + "小计、合计及等级，评价报告初稿各部分及存在的问题。只读，不随新评价机构的修改而改变。能看到该评价评分表的用户可读（财政局、现任评价机构，"
                + "被评价单位在征求意见期间及评价完成后）；其他用户（包括被更换的评价机构）答 404。");
    }
}
