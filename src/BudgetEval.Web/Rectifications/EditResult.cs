using System.Diagnostics.CodeAnalysis;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.Rectifications;

/// <summary>
/// The outcome of a save on a finding (plan, result, deadlines, correction, evidence, follow-up statements): the
/// case-style <see cref="FireResult"/> the pages show, and for a refusal each message with the input it is about,
/// which the API answers under <c>errors[field]</c>. Converts both ways with <see cref="FireResult"/>, so page code
/// that takes one keeps working; a result made from a <see cref="FireResult"/> keeps the fields it names (an engine
/// refusal's comment, say) and has its other messages under "".
/// </summary>
internal sealed record EditResult(FireResult Result, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Result.Succeeded;

    public FireStatus Status => Result.Status;

    public static EditResult Invalid(params IReadOnlyList<FieldError> errors) => new(FireResult.Invalid(errors), errors);

    /// <summary>
    /// The save brought no stamp for what it would change: a malformed request (the API answers 400 naming the field),
    /// never a save that overwrites whatever someone else wrote since the client read it.
    /// </summary>
    public static EditResult MissingStamp(params IReadOnlyList<FieldError> errors) => new(FireResult.Invalid(errors), errors) { StampMissing = true };

    public bool StampMissing { get; init; }

    /// <summary>409: each conflicting input under its field, so a client can show the message beside it.</summary>
    public static EditResult Conflict(params IReadOnlyList<FieldError> errors) => new(new FireResult(FireStatus.Conflict, null, null, 0, errors.Messages()), errors);

    public static implicit operator EditResult(FireResult result) => new(result, result.ByField());

    // Null stays null: the case page answers "nothing refused" as a null FireResult.
    [return: NotNullIfNotNull(nameof(result))]
    public static implicit operator FireResult?(EditResult? result) => result?.Result;
}
