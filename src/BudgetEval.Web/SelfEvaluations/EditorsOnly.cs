using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// Changing a self-evaluation is its unit's filler's. Checked before the request's content is looked at,
/// on every action (non-GET) that names a self-evaluation by its route id, so a refused caller gets 403
/// (docs/authorization.md) rather than a validation message about content it may not send.
/// </summary>
internal static class EditorsOnly
{
    public static RouteGroupBuilder OnlyEditorsChangeSelfEvaluations(this RouteGroupBuilder group) => group.AddEndpointFilter(async (ctx, next) =>
    {
        var http = ctx.HttpContext;
        if (IsAction(http) && IdOf(http) is { } id
            && await http.RequestServices.GetRequiredService<SelfEvaluationService>().RefusalAsync(id, WorkflowActor.From(http.User), http.RequestAborted) is { } refused)
        {
            return refused.Status == FireStatus.NotFound
                ? ApiProblems.NotFound()
                : ApiProblems.Problem(StatusCodes.Status403Forbidden, "无权操作", string.Join(" ", refused.Errors.SelectMany(e => e.Value)));
        }

        return await next(ctx);
    });

    /// <summary>The same for the pages' forms (NotFound becomes 403 on a post, see <see cref="AccessDenied"/>).</summary>
    public static async Task RefuseOthersAsync(PageModel page, PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = page.HttpContext;
        if (IsAction(http) && IdOf(http) is { } id
            && await http.RequestServices.GetRequiredService<SelfEvaluationService>().RefusalAsync(id, WorkflowActor.From(http.User), http.RequestAborted) is { } refused)
        {
            context.Result = refused.Status == FireStatus.NotFound ? new NotFoundResult() : new ForbidResult();
            return;
        }

        await next();
    }

    private static bool IsAction(HttpContext http) => !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);

    private static Guid? IdOf(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var id) ? id : null;
}
