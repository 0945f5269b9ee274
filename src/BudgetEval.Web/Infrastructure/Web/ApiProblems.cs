namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>RFC 7807 problem responses with Chinese titles and details.</summary>
internal static class ApiProblems
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "提交的数据有误", detail: string.Join(" ", errors.SelectMany(e => e.Value)));

    public static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    public static IResult NotFound() => Problem(StatusCodes.Status404NotFound, "未找到", "记录不存在或您无权查看。");

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "数据冲突", detail);
}
