using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.Reminders;

internal static class ReminderEndpoints
{
    internal sealed record RemindRequest(string? Message, Guid? WorkItemId);

    /// <summary><c>recipients</c>: how many people were reminded.</summary>
    internal sealed record RemindResponse(int Recipients);

    public static void MapReminderEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.Policy).WithTags("Reminders");

        // 催办: the bureau reminds whoever holds the case's open work item (or the one named), with a message.
        api.MapPost("/cases/{id:guid}/remind", async (Guid id, RemindRequest request, HttpContext http, ManualReminders reminders, CancellationToken ct) =>
        {
            var result = await reminders.SendAsync(id, request.WorkItemId, request.Message, WorkflowActor.From(http.User), ct);
            return result switch
            {
                { NotFound: true } => ApiProblems.NotFound(),
                { Ok: true } => TypedResults.Ok(new RemindResponse(result.Recipients)),
                { Forbidden: true } => ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", result.Error!),
                _ => ApiProblems.Unprocessable([result.Error!]),
            };
        }).Produces<RemindResponse>();
    }
}
