namespace BudgetEval.Web.Shared;

/// <summary>
/// One refusal message with the input it is about: <see cref="Field"/> is the JSON property as the request body
/// spells it (camelCase; <c>indicators[2].score</c>, <c>statements.{id}</c> for a row or an entry), or "" when the
/// refusal is about the record as a whole (its state, nothing to change). The API answers it under
/// <c>errors[Field]</c>, so a client can put the message beside the input; pages show <see cref="Message"/>.
/// </summary>
internal sealed record FieldError(string Field, string Message)
{
    /// <summary>A refusal of the record as a whole, keyed "" (never a field it is not about).</summary>
    public static FieldError Whole(string message) => new(string.Empty, message);

    public override string ToString() => Message;
}

internal static class FieldErrors
{
    /// <summary>The messages alone, in order: what pages and the problem's <c>detail</c> show.</summary>
    public static List<string> Messages(this IEnumerable<FieldError> errors) => errors.Select(e => e.Message).ToList();

    /// <summary>The problem document's <c>errors</c>: messages grouped by field, each field's in order.</summary>
    public static Dictionary<string, string[]> ByField(this IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
}
