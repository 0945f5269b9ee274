using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.Evaluations.Fieldwork;

/// <summary>现场评价工作记录 over the JSON API: the bureau and the assigned firm read, the firm's evaluators write.</summary>
internal static class FieldworkEndpoints
{
    /// <summary>A record as the API shows it; <c>version</c> goes back with a correction or deletion.</summary>
    internal sealed record FieldworkItem(Guid Id, string Kind, string KindLabel, DateOnly Date, string Subject, string? Participants, string Content,
        string RecordedBy, DateTimeOffset RecordedAt, string? UpdatedBy, DateTimeOffset? UpdatedAt, uint Version)
    {
        public static FieldworkItem Of(FieldworkRecord r) => new(r.Id, r.Kind.ToString(), FieldworkRules.Label(r.Kind), r.Date, r.Subject, r.Participants, r.Content,
            r.RecordedByName, r.RecordedAt, r.UpdatedByName, r.UpdatedAt, r.RowVersion);
    }

    internal sealed record FieldworkListResponse(Guid EvaluationId, bool MayEdit, IReadOnlyList<FieldworkItem> Records);

    /// <summary><c>kind</c>: DocumentReview 资料审阅, AccountsCheck 账务核实, PaymentCheck 检查支付记录, Inquiry 询问, SiteVisit 实地核查, Other 其他 (the name or the label).</summary>
    internal sealed record FieldworkRequest(string? Kind, DateOnly? Date, string? Subject, string? Participants, string? Content)
    {
        public FieldworkInput ToInput() => new(Kind, Date, Subject, Participants, Content);
    }

    /// <summary>A correction: the whole record again, with the <c>version</c> it was read at (required; 409 when it changed since).</summary>
    internal sealed record FieldworkUpdateRequest(string? Kind, DateOnly? Date, string? Subject, string? Participants, string? Content,
        [property: ConcurrencyToken] uint? ExpectedVersion)
    {
        public FieldworkInput ToInput() => new(Kind, Date, Subject, Participants, Content);
    }

    public static void MapFieldworkEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/evaluations/{id:guid}/fieldwork").RequireAuthorization(ApiAuth.Policy).WithTags("Evaluations");

        group.MapGet("/", async (Guid id, HttpContext http, FieldworkService service, CancellationToken ct) =>
            await service.ListAsync(id, WorkflowActor.From(http.User), ct) is { } list
                ? Results.Ok(new FieldworkListResponse(id, list.MayEdit, [.. list.Records.Select(FieldworkItem.Of)]))
                : ApiProblems.NotFound())
            .Produces<FieldworkListResponse>();

        group.MapPost("/", async (Guid id, FieldworkRequest? body, HttpContext http, FieldworkService service, CancellationToken ct) =>
            Answer(await service.AddAsync(id, body?.ToInput() ?? new(null, null, null, null, null), WorkflowActor.From(http.User), ct),
                r => TypedResults.Created($"/api/evaluations/{id}/fieldwork/{r.Id}", FieldworkItem.Of(r))))
            .Produces<FieldworkItem>(StatusCodes.Status201Created);

        group.MapPut("/{recordId:guid}", async (Guid id, Guid recordId, FieldworkUpdateRequest? body, HttpContext http, FieldworkService service, CancellationToken ct) =>
            Answer(await service.UpdateAsync(id, recordId, body?.ToInput() ?? new(null, null, null, null, null), body?.ExpectedVersion, WorkflowActor.From(http.User), ct),
                r => TypedResults.Ok(FieldworkItem.Of(r))))
            .Produces<FieldworkItem>();

        group.MapDelete("/{recordId:guid}", async (Guid id, Guid recordId, uint? expectedVersion, HttpContext http, FieldworkService service, CancellationToken ct) =>
            Answer(await service.DeleteAsync(id, recordId, expectedVersion, WorkflowActor.From(http.User), ct), _ => TypedResults.NoContent()))
            .Produces(StatusCodes.Status204NoContent);
    }

    private static IResult Answer(FieldworkResult result, Func<FieldworkRecord, IResult> ok) =>
        result.Succeeded
            ? result.Record is { } r ? ok(r) : TypedResults.NoContent()
            : ApiProblems.For(result.Status, result.Errors.ByField());
}
