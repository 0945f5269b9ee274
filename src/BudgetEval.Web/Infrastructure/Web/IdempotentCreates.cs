using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// The optional Idempotency-Key of the API's creating calls (plans, evaluations, findings, self-evaluations),
/// in the store the case actions use (idempotency_keys, by user and key; PostgreSQL, so every node sees it).
/// The key is reserved before the creation runs, so of two copies only one creates (the unique index decides);
/// the other waits for the first answer. A success is stored and replayed (status and body); a refusal frees
/// the key, so the corrected request may reuse it. The same key with another body answers 422.
/// </summary>
internal static class IdempotentCreates
{
    public const string OtherRequest = "Idempotency-Key 已用于另一请求。请为不同的请求使用不同的 Idempotency-Key。";

    private const int Pending = 0;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private sealed record Stored(string Hash, string? ContentType = null, string? Location = null, string? Body = null);

    public static async Task<IResult> RunAsync(HttpContext http, string operation, object request, Func<Task<IResult>> create)
    {
        if (!IdempotencyKeys.TryRead(http.Request, out var key, out var problem))
        {
            return problem;
        }

        if (key is null)
        {
            return await create();
        }

        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var user = WorkflowActor.From(http.User).UserId;
        var ct = http.RequestAborted;
        // Hashed: the client's key may take the whole column (200 characters) before the operation's prefix.
        var storedKey = $"create:{operation}:{Hash(key)}";
        var hash = Hash(JsonSerializer.Serialize(request, request.GetType(), JsonSerializerOptions.Web));

        var giveUp = clock.GetUtcNow() + Wait;
        while (true)
        {
            var row = await db.IdempotencyKeys.AsNoTracking().Where(k => k.UserId == user && k.Key == storedKey).SingleOrDefaultAsync(ct);
            if (row is not null)
            {
                var stored = JsonSerializer.Deserialize<Stored>(row.ResponseJson, JsonSerializerOptions.Web)!;
                if (stored.Hash != hash)
                {
                    return ApiProblems.Unprocessable([OtherRequest]);
                }

                if (row.StatusCode != Pending)
                {
                    return new Replay(row.StatusCode, stored, replayed: true);
                }

                // The first copy is still creating: wait for its answer.
                if (clock.GetUtcNow() > giveUp)
                {
                    return ApiProblems.Conflict("相同 Idempotency-Key 的请求正在处理，请稍后查询结果，不要重复提交。");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
                continue;
            }

            var reservation = new IdempotencyKey
            {
                Key = storedKey, UserId = user, InstanceId = Guid.Empty, StatusCode = Pending,
                ResponseJson = JsonSerializer.Serialize(new Stored(hash), JsonSerializerOptions.Web), CreatedAt = clock.GetUtcNow(),
            };
            db.IdempotencyKeys.Add(reservation);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                db.ChangeTracker.Clear(); // another copy reserved it first: read its row
                continue;
            }

            db.Entry(reservation).State = EntityState.Detached;
            return await CreateAndStoreAsync(http, db, reservation, hash, create);
        }
    }

    private static async Task<IResult> CreateAndStoreAsync(HttpContext http, AppDbContext db, IdempotencyKey reservation, string hash, Func<Task<IResult>> create)
    {
        IResult result;
        try
        {
            result = await create();
        }
        catch
        {
            await ReleaseAsync(db, reservation.Id);
            throw;
        }

        // The answer is rendered here (not by the framework afterwards) so that exactly it can be stored.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var status = http.Response.StatusCode;
        var stored = new Stored(hash, http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
            Encoding.UTF8.GetString(buffer.ToArray()));
        http.Response.Clear();
        if (status is >= 200 and < 300)
        {
            db.ChangeTracker.Clear();
            await db.IdempotencyKeys.Where(k => k.Id == reservation.Id).ExecuteUpdateAsync(
                k => k.SetProperty(x => x.StatusCode, status).SetProperty(x => x.ResponseJson, JsonSerializer.Serialize(stored, JsonSerializerOptions.Web)),
                CancellationToken.None); // created: the answer must be kept even if the client has gone
        }
        else
        {
            await ReleaseAsync(db, reservation.Id);
        }

        return new Replay(status, stored, replayed: false);
    }

    private static Task ReleaseAsync(AppDbContext db, long id) =>
        db.IdempotencyKeys.Where(k => k.Id == id && k.StatusCode == Pending).ExecuteDeleteAsync(CancellationToken.None);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed class Replay(int status, Stored stored, bool replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            if (stored.Location is { } location)
            {
                httpContext.Response.Headers.Location = location;
            }

            if (replayed)
            {
                httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            }

            if (!string.IsNullOrEmpty(stored.Body))
            {
                httpContext.Response.ContentType = stored.ContentType ?? "application/json; charset=utf-8";
                await httpContext.Response.WriteAsync(stored.Body, httpContext.RequestAborted);
            }
        }
    }
}
