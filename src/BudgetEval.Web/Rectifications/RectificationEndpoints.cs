using BudgetEval.Web.Auth;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// One finding with its rectification, and the data its case's actions need; the actions themselves go
/// through <c>POST /api/cases/{id}/actions/{action}</c> like every other case.
/// </summary>
internal static class RectificationEndpoints
{
    public static void MapRectificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/findings").RequireAuthorization(ApiAuth.Policy).WithTags("Rectifications");

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, RectificationService service, CancellationToken ct) =>
            await service.ViewAsync(id, WorkflowActor.From(http.User), ct) is { } view ? TypedResults.Ok(Dto(view)) : ApiProblems.NotFound());

        // 更正 of the registration by the bureau (not the deadline, not the unit's plan or result).
        group.MapPut("/{id:guid}", async (Guid id, CorrectionInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.CorrectAsync(id, input, WorkflowActor.From(http.User), http, ct)));

        group.MapPut("/{id:guid}/plan", async (Guid id, PlanInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SavePlanAsync(id, input, WorkflowActor.From(http.User), ct)));

        group.MapPut("/{id:guid}/result", async (Guid id, ResultInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SaveResultAsync(id, input, WorkflowActor.From(http.User), ct)));

        group.MapPut("/{id:guid}/requested-deadline", async (Guid id, DeadlineInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SaveRequestedDeadlineAsync(id, input, WorkflowActor.From(http.User), ct)));

        group.MapPut("/{id:guid}/next-deadline", async (Guid id, DeadlineInput input, HttpContext http, RectificationService service, CancellationToken ct) =>
            Answer(await service.SaveNextDeadlineAsync(id, input, WorkflowActor.From(http.User), ct)));

        group.MapPost("/{id:guid}/evidence", async (Guid id, HttpRequest request, HttpContext http, RectificationService service, CancellationToken ct) =>
        {
            var (file, problem) = await FormEndpoints.SingleFileAsync(request, Attachments.MaxBytes, "20 MB", ct);
            if (problem is not null)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["file"] = [problem] });
            }

            var (result, added) = await service.AddEvidenceAsync(id, file!.Value.Name, file.Value.Content, WorkflowActor.From(http.User), ct);
            return added is null
                ? Answer(result)
                : TypedResults.Created($"/api/findings/{id}/evidence/{added.Id}", new { id = added.Id, fileName = added.FileName, version = added.Version, size = added.Size, contentType = added.ContentType });
        }).DisableAntiforgery();

        group.MapGet("/{id:guid}/evidence/{evidenceId:guid}", async (Guid id, Guid evidenceId, RectificationService service, CancellationToken ct) =>
            await service.FindEvidenceAsync(id, evidenceId, ct) is { } e
                ? TypedResults.File(e.Content, e.ContentType, e.FileName)
                : ApiProblems.NotFound());
    }

    internal sealed record StatementsRequest(Dictionary<Guid, string?>? Statements);

    /// <summary>上年及以前发现问题的整改情况 of a self-evaluation: the earlier findings with their status and the unit's statements.</summary>
    public static void MapFollowUpEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/self-evaluations").RequireAuthorization(ApiAuth.Policy).WithTags("Rectifications");

        // Once the self-evaluation has left the unit, the rows are those of the latest submitted version (submittedVersion);
        // currentStatus and overdue are about the finding today.
        group.MapGet("/{id:guid}/follow-up", async (Guid id, AppDbContext db, TimeProvider clock, ChinaClock china, CancellationToken ct) =>
        {
            if (await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is not { } se)
            {
                return ApiProblems.NotFound();
            }

            var list = await FollowUp.ShownAsync(db, se, china, ct);
            var today = china.Today(clock);
            return TypedResults.Ok(list.Items.Select(i => new
            {
                i.Line.FindingId,
                i.Line.Number,
                i.Line.FiscalYear,
                i.Line.Title,
                i.Line.Deadline,
                Status = i.Line.Status.ToString(),
                StatusLabel = FindingLabels.Status(i.Line.Status),
                i.NeedsStatement,
                i.Line.Statement,
                SubmittedVersion = list.Version?.VersionNo,
                list.Reconstructed,
                CurrentStatus = i.Current?.Status.ToString(),
                CurrentStatusLabel = i.Current is { } c ? FindingLabels.Status(c.Status) : null,
                CurrentDeadline = i.Current?.Deadline,
                Overdue = i.Overdue(today),
            }).ToList());
        });

        group.MapPut("/{id:guid}/follow-up", async (Guid id, StatementsRequest request, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
            Answer(await FollowUp.SaveAsync(db, id, request.Statements ?? [], WorkflowActor.From(http.User), clock.GetUtcNow(), ct)));
    }

    // A saved finding answers its new stamp, so the client's next save needs no GET in between.
    private static IResult Answer(FireResult result) => result.Status != FireStatus.Ok ? CaseEndpoints.ToResult(result)
        : result.Stamp is { } stamp ? TypedResults.Ok(new { stamp }) : TypedResults.NoContent();

    private static object Dto(RectificationView view)
    {
        var f = view.Finding;
        var c = view.Case;
        return new
        {
            Finding = FindingEndpoints.Dto(f),
            Stamp = FindingStamp.Of(f), // send it back with a save or correction: a change by someone else since is refused (409)
            Rectification = new
            {
                Status = f.Status.ToString(),
                StatusLabel = FindingLabels.Status(f.Status),
                f.Deadline,
                Plan = new { Measures = f.PlanMeasures, Responsible = f.PlanResponsible, PlannedDate = f.PlanDate },
                Result = f.ResultText,
                f.RequestedDeadline,
                f.NextDeadline,
                f.Remaining,
                f.Verification,
                ClosedOn = f.FinishedOn,
                f.Extensions,
                Evidence = view.Evidence,
            },
            Case = c is null ? null : new
            {
                c.Instance.Id,
                c.Instance.State,
                StateLabel = c.Definition.State(c.Instance.State).Label,
                c.Instance.Version,
                c.Instance.DueAt,
                AllowedActions = c.AllowedActions.Select(a => new CaseEndpoints.ActionDto(a.Id, a.Label, a.CommentRequired)).ToList(),
                History = c.History.Select(h => new CaseEndpoints.HistoryDto(h.Seq, h.ActorName, h.At, h.Action, h.ActionLabel, h.FromState, h.ToState, h.Comment, h.Hash)).ToList(),
            },
        };
    }
}
