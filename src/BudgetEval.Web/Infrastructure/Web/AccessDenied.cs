using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// The one rule for refusals (docs/authorization.md): a refused read (GET/HEAD) answers 404, whether the
/// record is outside the caller's scope, does not exist or the role may not open the page; a refused
/// action (any other method) answers 403.
/// </summary>
internal static class AccessDenied
{
    public static int StatusFor(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;

    /// <summary>Pages answer NotFound() for records outside the scope; on a posted form that becomes 403.</summary>
    internal sealed class RefusedActionFilter : IAlwaysRunResultFilter
    {
        public void OnResultExecuting(ResultExecutingContext context)
        {
            if (context.Result is NotFoundResult or NotFoundObjectResult
                && StatusFor(context.HttpContext.Request.Method) == StatusCodes.Status403Forbidden)
            {
                context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            }
        }

        public void OnResultExecuted(ResultExecutedContext context)
        {
        }
    }

    /// <summary>
    /// A post to a page that has no handler for it (a list or a print view) would run the page without its
    /// data; it answers 405 instead, after the page's own authorization (so a caller the page refuses still
    /// gets 403).
    /// </summary>
    internal sealed class NoHandlerFilter : IPageFilter
    {
        public void OnPageHandlerSelected(PageHandlerSelectedContext context)
        {
        }

        public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
        {
            if (context.HandlerMethod is null && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method))
            {
                context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            }
        }

        public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
        {
        }
    }
}
