namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>The Idempotency-Key header of the API's creating and acting calls: absent, or at most 200 characters.</summary>
internal static class IdempotencyKeys
{
    public const int MaxLength = 200;

    /// <summary>The key (null when none was sent), or false with the Chinese problem to answer when it is too long.</summary>
    public static bool TryRead(HttpRequest request, out string? key, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        var text = request.Headers["Idempotency-Key"].ToString();
        key = text.Length == 0 ? null : text;
        problem = text.Length > MaxLength
            ? ApiProblems.Validation(new Dictionary<string, string[]> { ["Idempotency-Key"] = [$"Idempotency-Key 不能超过 {MaxLength} 个字符。"] })
            : null;
        return problem is null;
    }
}
