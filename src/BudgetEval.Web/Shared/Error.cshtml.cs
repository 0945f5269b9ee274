using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Shared;

/// <summary>The one error page: unhandled exceptions (/error) and empty status codes (/error/404, /error/403).</summary>
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel(Microsoft.Extensions.Options.IOptions<Infrastructure.Hosting.AppOptions> app) : PageModel
{
    public string Title { get; private set; } = "出错了";

    public string Message { get; private set; } = "系统处理请求时出错，请稍后重试。如问题持续，请联系系统管理员。";

    public string? RequestId { get; private set; }

    public void OnGet() => Describe(Code());

    // No parameters to bind: a re-executed POST (e.g. a refused 50 MB upload) must not read its form again.
    public void OnPost() => Describe(Code());

    private int? Code() => int.TryParse(RouteData.Values["code"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null;

    private void Describe(int? code)
    {
        RequestId = HttpContext.TraceIdentifier;
        (Title, Message) = code switch
        {
            404 => ("页面不存在或您无权访问", "您访问的页面或记录不存在，或您的账户无权查看。"),
            403 => ("无权访问", "您的账户没有执行此操作的权限。"),
            400 => ("请求无效", "提交的请求无效，请返回后重试。"),
            405 => ("不支持的操作", "该页面不接受提交。"),
            413 => ("内容过大", Infrastructure.Web.RequestProblemsMiddleware.TooLarge(app.Value)),
            503 when HttpContext.Items.ContainsKey(Infrastructure.Web.AdmissionMiddleware.Busy) => ("服务器繁忙", Infrastructure.Web.AdmissionMiddleware.Busy),
            503 => ("暂时无法服务", Infrastructure.Web.RequestProblemsMiddleware.DatabaseUnavailable),
            null => (Title, Message),
            _ => (Title, Message),
        };
        Response.StatusCode = code ?? StatusCodes.Status500InternalServerError;
    }
}
