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
internal sealed class RequestProblemsMiddleware(RequestDelegate next, IOptions<AppOptions> options, ILogger<RequestProblemsMiddleware> logger)
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
            await AnswerAsync(context, bad.StatusCode, tooLarge ? "内容过大" : "请求无法读取", tooLarge ? TooLarge(options.Value) : Unreadable(e));
        }
        catch (Exception e) when (IsDatabaseUnavailable(e) && !context.Response.HasStarted)
        {
            logger.LogWarning(e, "Database unavailable while serving {Path}", context.Request.Path);
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, "数据库暂时不可用", DatabaseUnavailable, retryAfter: "5");
        }
    }

    internal const string DatabaseUnavailable = "数据库暂时不可用，请稍后重试。重试前请刷新页面，确认刚才的操作是否已经完成。";

    // A dropped or refused connection, after the execution strategy's own retries; not a constraint or a bug.
    private static bool IsDatabaseUnavailable(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException
                || inner is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08003" })
            {
                return true;
            }
        }

        return false;
    }

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
    private static Task AnswerAsync(HttpContext context, int status, string title, string detail, string? retryAfter = null)
    {
        context.Response.Clear();
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return RefuseAsync(context, status, title, detail);
    }

    /// <summary>A Chinese refusal of a response not yet started: problem JSON on the API; for pages an empty body,
    /// which the status-code page turns into the Chinese /error/{status} page.</summary>
    internal static async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
        }
    }

    private static string Unreadable(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException { Path: { Length: > 2 } path } json)
            {
                // System.Text.Json says "could not be converted" for a wrong value; anything else is broken syntax.
                var field = path.TrimStart('$', '.');
                return json.Message.Contains("could not be converted", StringComparison.Ordinal)
                    ? $"字段「{field}」的值无效（日期应为 yyyy-MM-dd 且存在，金额应为数字），未保存任何内容。"
                    : $"请求内容不是有效的 JSON（在字段「{field}」附近），未保存任何内容。";
            }
        }

        return "请求内容不是有效的 JSON，或字段类型不对，未保存任何内容。";
    }

    private static BadHttpRequestException? Find(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException bad)
            {
                return bad;
            }
        }

        return null;
    }
}
