namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>RFC 7807 problem responses with Chinese titles and details.</summary>
internal static class ApiProblems
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "提交的数据有误", detail: string.Join(" ", errors.SelectMany(e => e.Value)));

    /// <summary>422: the request was understood but the rules refuse it (guard failures, wrong state).</summary>
    public static IResult Unprocessable(IReadOnlyList<string> errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [string.Empty] = [.. errors] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "无法办理",
            Detail = string.Join(" ", errors),
        });

    /// <summary>
    /// 422 as <see cref="Unprocessable"/>, each message under the input it is about (<see cref="Shared.FieldError.Field"/>;
    /// "" for the record as a whole), so a client can show it beside that input. Same title; detail joins every message.
    /// </summary>
    public static IResult UnprocessableByField(IEnumerable<Shared.FieldError> errors)
    {
        var list = errors.ToList();
        return TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(Shared.FieldErrors.ByField(list))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "无法办理",
            Detail = string.Join(" ", list.Select(e => e.Message)),
        });
    }

    public static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    /// <summary>
    /// "Not there or not yours". For a read that is 404; for an action (POST/PUT/PATCH/DELETE) it is 403,
    /// so an action on another organisation's record and on a record that does not exist answer alike.
    /// </summary>
    public static IResult NotFound() => new ScopedNotFound();

    private sealed class ScopedNotFound : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            (AccessDenied.StatusFor(httpContext.Request.Method) == StatusCodes.Status404NotFound
                ? Problem(StatusCodes.Status404NotFound, "未找到", "记录不存在或您无权查看。")
                : Problem(StatusCodes.Status403Forbidden, "无权操作", "记录不存在或您无权操作。")).ExecuteAsync(httpContext);
    }

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "数据冲突", detail);

    /// <summary>A refused operation whose errors are keyed by field: 404, 403, 409, or 400 naming the fields.</summary>
    public static IResult For(Workflows.FireStatus status, IReadOnlyDictionary<string, string[]> errors) => status switch
    {
        Workflows.FireStatus.NotFound => NotFound(),
        Workflows.FireStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "无权操作", string.Join(" ", errors.SelectMany(e => e.Value))),
        Workflows.FireStatus.Conflict => Conflict(string.Join(" ", errors.SelectMany(e => e.Value))),
        _ => Validation(new Dictionary<string, string[]>(errors)),
    };
}
