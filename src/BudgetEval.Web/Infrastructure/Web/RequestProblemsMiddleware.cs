using System.Text.Json;
using BudgetEval.Web.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// Requests the server cannot serve answer in Chinese instead of an empty 400/413 or a 500: a body over
/// App:MaxRequestBodyMegabytes is refused up front with 413 (pages show /error/413), a JSON body that
/// does not bind (wrong type, impossible date) names the field on the API, and while PostgreSQL is
/// unreachable (restart, failover) after EF's retries the answer is 503 "try again" instead of a crash page.
/// </summary>
internal sealed partial class RequestProblemsMiddleware(RequestDelegate next, IOptions<AppOptions> options, ILogger<RequestProblemsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyMegabytes * 1024L * 1024L;
        // Not when the status-code page re-executes the refused request: that must render /error/413.
        if (context.Request.ContentLength > limit && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)
        {
            await DrainAsync(context, limit);
            await AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, "内容过大", TooLarge(options.Value));
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (Find(e) is { } bad && !context.Response.HasStarted)
        {
            var tooLarge = bad.StatusCode == StatusCodes.Status413PayloadTooLarge;
            var (detail, field) = tooLarge ? (TooLarge(options.Value), null) : Unreadable(e);
            await AnswerAsync(context, bad.StatusCode, tooLarge ? "内容过大" : "请求无法读取", detail, field: field);
        }
        catch (Exception e) when (IsDatabaseUnavailable(e) && !context.Response.HasStarted)
        {
            logger.LogWarning(e, "Database unavailable while serving {Path}", context.Request.Path);
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, "数据库暂时不可用", DatabaseUnavailable, retryAfter: "5");
        }
        catch (Exception e) when (RefusedByDatabase(e) && !context.Response.HasStarted)
        {
            // The last line of defence behind the fields' own checks: a text longer than its column, or a NUL
            // PostgreSQL cannot store. The transaction rolled back, so nothing was saved.
            logger.LogWarning(e, "Value refused by the database serving {Method} {Path}", context.Request.Method, context.Request.Path);
            await AnswerAsync(context, StatusCodes.Status400BadRequest, "内容无法保存", ValueRefused);
        }
        catch (InvalidDataException e) when (context.Request.HasFormContentType && !context.Response.HasStarted)
        {
            logger.LogWarning(e, "Unreadable form serving {Method} {Path}", context.Request.Method, context.Request.Path);
            await AnswerAsync(context, StatusCodes.Status400BadRequest, "请求无法读取", "上传的表单格式不正确（例如文件名中的引号不成对），未保存任何内容。请修改文件名后重试。");
        }
        catch (Exception e) when (context.Request.Path.StartsWithSegments("/api") && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // A bug: the API still answers problem JSON in Chinese (the page's error handler would re-run the
            // request as GET /error, an HTML page, or a 405 for a PUT).
            logger.LogError(e, "Unhandled exception serving {Method} {Path}", context.Request.Method, context.Request.Path);
            await AnswerAsync(context, StatusCodes.Status500InternalServerError, "服务器内部错误", ServerError);
        }
    }

    internal const string ServerError = "处理请求时出错，操作没有完成。请稍后重试；如一再出现，请联系系统管理员。";

    /// <summary>
    /// The API's answers that carry no body of their own (401 from the bearer check, 404 for an unknown path,
    /// 405, 415) get a Chinese problem document too; pages have their /error/{status} page for this.
    /// </summary>
    internal static Task ApiStatusAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext status)
    {
        var context = status.HttpContext;
        var (title, detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("未登录", "请先登录：在请求头中提供 Authorization: Bearer 令牌（POST /api/auth/login 获取）。"),
            StatusCodes.Status403Forbidden => ("无权操作", "您无权访问该接口。"),
            StatusCodes.Status404NotFound => ("未找到", "接口或记录不存在。"),
            StatusCodes.Status405MethodNotAllowed => ("请求方法不允许", $"该接口不支持 {context.Request.Method} 请求。"),
            StatusCodes.Status415UnsupportedMediaType => ("内容类型不支持", "请以 application/json 提交（文件上传用 multipart/form-data）。"),
            // A chunked body (no Content-Length) found too large while being read: the framework answers 413 itself.
            StatusCodes.Status413PayloadTooLarge => ("内容过大", TooLarge(context.RequestServices.GetRequiredService<IOptions<AppOptions>>().Value)),
            _ => ("请求失败", "请求未能完成。"),
        };
        return TypedResults.Problem(statusCode: context.Response.StatusCode, title: title, detail: detail).ExecuteAsync(context);
    }

    internal const string ValueRefused = "有文字超过了允许的长度，或含有不能保存的字符（如不可见的控制字符），未保存任何内容。请检查后重试。";

    // 22001: value too long for its column; 22021 / 22P05: a character PostgreSQL cannot store (NUL).
    private static bool RefusedByDatabase(Exception e) =>
        Chain(e).Any(inner => inner is Npgsql.PostgresException { SqlState: "22001" or "22021" or "22P05" });

    internal const string DatabaseUnavailable = "数据库暂时不可用，请稍后重试。重试前请刷新页面，确认刚才的操作是否已经完成。";

    // A dropped or refused connection, after the execution strategy's own retries; not a constraint or a bug.
    private static bool IsDatabaseUnavailable(Exception e) =>
        Chain(e).Any(inner => inner is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException
            || inner is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08003" });

    /// <summary>
    /// A browser reads no answer before it has sent its whole form: the body is read and dropped (never
    /// kept) so the 413 page arrives instead of a reset connection. A client that asked "Expect: 100-continue"
    /// gets the 413 without sending the body; a body many times the limit is cut off.
    /// </summary>
    private static async Task DrainAsync(HttpContext context, long limit)
    {
        if (context.Request.Headers.Expect.Count > 0 || context.Request.ContentLength > limit * 8)
        {
            context.Response.Headers.Connection = "close";
            return;
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        var buffer = new byte[81920];
        while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
        {
        }
    }

    internal static string TooLarge(AppOptions options) =>
        $"提交的内容超过 {options.MaxRequestBodyMegabytes} MB 上限，未保存任何内容。请压缩或拆分文件后重试。";

    // The endpoint may have set a status or headers before it failed: cleared (headers included, so Retry-After after it).
    private static Task AnswerAsync(HttpContext context, int status, string title, string detail, string? retryAfter = null, string? field = null)
    {
        context.Response.Clear();
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        // A value that did not bind is a field's error like any other: a client finds it under errors[field].
        if (field is not null && context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail, title: title).ExecuteAsync(context);
        }

        return RefuseAsync(context, status, title, detail);
    }

    /// <summary>A Chinese refusal of a response not yet started: problem JSON on the API; for pages an empty body,
    /// which the status-code page turns into the Chinese /error/{status} page — except 503, below.</summary>
    internal static async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Written here, not by /error/503: that page's layout counts the user's unread notifications, which
            // needs the very database that is down (a signed-in user got a blank page), and under a crowd
            // (服务器繁忙) it would add a query per refusal. Having a body, it is left alone by the status-code page.
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(SelfContainedPage(title, detail), context.RequestAborted);
        }
    }

    internal static string SelfContainedPage(string title, string detail)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        return $"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{encoder.Encode(title)} - 预算绩效管理系统</title>
                <link rel="stylesheet" href="/css/site.css" />
            </head>
            <body>
            <header class="topbar"><a class="brand" href="/">预算绩效管理系统</a></header>
            <main class="content">
                <h1>{encoder.Encode(title)}</h1>
                <p>{encoder.Encode(detail)}</p>
                <p><a href="/">返回首页</a></p>
            </main>
            </body>
            </html>
            """;
    }

    /// <summary>Why the request could not be read, in Chinese, and the field or parameter it is about (when known).</summary>
    private static (string Detail, string? Field) Unreadable(Exception e)
    {
        // A query or route value that does not bind: ASP.NET names the parameter in English; say it in Chinese.
        if (Find(e)?.Message is { } message)
        {
            if (QueryValue().Match(message) is { Success: true } m)
            {
                return ($"参数「{m.Groups[1].Value}」的值「{m.Groups[2].Value}」无效，未执行任何操作。", m.Groups[1].Value);
            }

            if (MissingValue().Match(message) is { Success: true } missing)
            {
                return ($"缺少参数「{missing.Groups[1].Value}」，未执行任何操作。", missing.Groups[1].Value);
            }
        }

        if (Chain(e).OfType<JsonException>().FirstOrDefault(j => j.Path is { Length: > 2 }) is { Path: { } path } json)
        {
            // System.Text.Json says "could not be converted to <type>" for a wrong value; anything else is broken syntax.
            var field = path.TrimStart('$', '.');
            return ConvertedTo().Match(json.Message) is { Success: true } wrong
                ? ($"字段「{field}」的值无效（{Expected(FieldType(wrong.Groups[1].Value, field))}），未保存任何内容。", field)
                : ($"请求内容不是有效的 JSON（在字段「{field}」附近），未保存任何内容。", field);
        }

        return ("请求内容不是有效的 JSON，或字段类型不对，未保存任何内容。", null);
    }

    /// <summary>
    /// The .NET type of the field that did not convert. For a record bound through its constructor the message
    /// names the record, not the field: the field's type is then looked up on it by the path's last name.
    /// </summary>
    private static string FieldType(string named, string path)
    {
        var type = typeof(RequestProblemsMiddleware).Assembly.GetType(named);
        if (type is null || type.IsEnum)
        {
            return named;
        }

        var last = path[(path.LastIndexOf('.') + 1)..];
        last = last.Contains('[', StringComparison.Ordinal) ? last[..last.IndexOf('[', StringComparison.Ordinal)] : last;
        var property = type.GetProperty(last, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
        return property is null ? named : (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) switch
        {
            { IsEnum: true } => "BudgetEval.Enum",
            var t => t.FullName ?? named,
        };
    }

    /// <summary>What a field of this .NET type takes, as a client reads it.</summary>
    private static string Expected(string type) => type.TrimEnd('?').Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']') switch
    {
        "System.DateOnly" or "System.DateTime" or "System.DateTimeOffset" => "应为 yyyy-MM-dd 格式且存在的日期",
        "System.Decimal" or "System.Double" or "System.Single" => "应为数字",
        "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" => "应为整数",
        "System.Boolean" => "应为 true 或 false",
        "System.Guid" => "应为编号（GUID）",
        "System.String" => "应为文本",
        var t when t.StartsWith("BudgetEval.", StringComparison.Ordinal) => "不是可选的值",
        var t when t.Contains("List", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal) => "应为数组",
        _ => "类型不正确",
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"could not be converted to ([^\s]+?)\.? Path")]
    private static partial System.Text.RegularExpressions.Regex ConvertedTo();

    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?:[^"]* )?([^" ]+)" from "(.*)"\.$""")]
    private static partial System.Text.RegularExpressions.Regex QueryValue();

    [System.Text.RegularExpressions.GeneratedRegex("""^Required parameter "(?:[^"]* )?([^" ]+)" was not provided""")]
    private static partial System.Text.RegularExpressions.Regex MissingValue();

    private static BadHttpRequestException? Find(Exception e) => Chain(e).OfType<BadHttpRequestException>().FirstOrDefault();

    /// <summary>The exception and its inner ones, outermost first: what each answer above looks for.</summary>
    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            yield return inner;
        }
    }
}
