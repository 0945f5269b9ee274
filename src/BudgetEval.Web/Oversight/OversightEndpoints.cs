using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.Oversight;

internal static class OversightEndpoints
{
    /// <summary>A late task: <c>waitingOn</c> is Unit, Firm or Bureau; <c>overdueWorkingDays</c> counts working days after the due day.</summary>
    internal sealed record OverdueTaskDto(Guid CaseId, string Title, string Unit, string Flow, string StateLabel, string WaitingOn, string Holder,
        DateOnly DueDay, int OverdueWorkingDays, DateOnly? LastReminded, string? LastReminder);

    public static void MapOversightEndpoints(this IEndpointRouteBuilder app)
    {
        // count is the number on this page; X-Has-Next / Link say whether more follow (ApiPage). Others' reads answer 404.
        app.MapGet("/api/oversight/overdue", async (string? flow, string? waitingOn, string? unit, HttpContext http, OverdueTasks tasks, WorkflowRegistry registry, CancellationToken ct) =>
        {
            if (!Roles.Bureau.Split(',').Any(http.User.IsInRole))
            {
                return ApiProblems.NotFound();
            }

            var (filter, errors) = OverdueFilter.Parse(flow, waitingOn, unit, registry);
            var (page, pageErrors) = ApiPage.From(http.Request);
            foreach (var (key, messages) in pageErrors)
            {
                errors[key] = messages;
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Validation(errors); // every wrong parameter at once
            }

            var rows = await tasks.PageAsync(filter, page.Page, page.Size, ct);
            page.WriteHeaders(http, rows.HasNext);
            return TypedResults.Ok(rows.Items.Select(t => new OverdueTaskDto(t.CaseId, t.Title, t.Unit, t.Flow, t.StateLabel, t.WaitingOn.ToString(), t.Holder,
                t.DueDay, t.OverdueWorkingDays, t.LastReminded, t.LastReminder)).ToList());
        })
            .RequireAuthorization(ApiAuth.Policy).WithTags("Oversight")
            .WithSummary("逾期督办：全区已过办理期限的待办（逾期最久在前），可按流程（flow）、办理方（waitingOn: Unit/Firm/Bureau）、单位名称（unit）筛选")
            .Produces<List<OverdueTaskDto>>();
    }
}
