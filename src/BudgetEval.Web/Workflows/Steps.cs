using System.Security.Claims;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows.Definitions;

namespace BudgetEval.Web.Workflows;

/// <summary>Who is firing: taken from the signed-in user's claims.</summary>
internal sealed record WorkflowActor(Guid UserId, string DisplayName, Guid? OrganisationId, OrganisationKind? OrganisationKind, IReadOnlySet<string> Roles)
{
    /// <summary>The login, for the audit log (李敏（finance）); absent for actors made in code (the demo seed, jobs).</summary>
    public string? UserName { get; init; }

    public bool IsInRole(string role) => Roles.Contains(role);

    public static WorkflowActor From(ClaimsPrincipal user) => new(
        user.UserId() ?? throw new InvalidOperationException("an actor must be signed in"),
        user.DisplayName(),
        user.OrganisationId(),
        user.OrganisationKind(),
        Users.Roles.All.Where(user.IsInRole).ToHashSet())
    {
        UserName = user.Identity?.Name,
    };
}

/// <summary>Everything a guard or an effect may look at during one Fire, inside its transaction.</summary>
internal sealed class FireContext(
    AppDbContext db,
    WorkflowInstance instance,
    WorkflowDefinition definition,
    StateDefinition from,
    ActionDefinition action,
    WorkflowActor actor,
    string? comment,
    DateTimeOffset now,
    DateOnly today,
    WorkflowEngine engine)
{
    private readonly Dictionary<string, object> _items = [];

    public AppDbContext Db => db;

    public WorkflowInstance Instance => instance;

    public WorkflowDefinition Definition => definition;

    public StateDefinition From => from;

    public StateDefinition To => definition.State(action.Target);

    public ActionDefinition Action => action;

    public WorkflowActor Actor => actor;

    public string? Comment => comment;

    /// <summary>
    /// A line an effect puts before the comment in the history entry, for what the comment cannot know (更换评价机构: which
    /// firm was replaced, cleared from the subject by then). The notices keep the comment alone.
    /// </summary>
    public string? HistoryNote { get; set; }

    public DateTimeOffset Now => now;

    /// <summary>The engine running this Fire: an effect may start related cases (added to the same transaction) or ask for a state's deadline.</summary>
    public WorkflowEngine Engine => engine;

    /// <summary>Today in the product's time zone (deadlines are civil dates).</summary>
    public DateOnly Today => today;

    /// <summary>Lets one effect hand something to a later one (e.g. the snapshot to the late marker).</summary>
    public T? Item<T>(string key)
        where T : class => _items.TryGetValue(key, out var v) ? (T)v : null;

    public void SetItem(string key, object value) => _items[key] = value;
}

/// <summary>
/// A named precondition of an action. Returns the reasons it fails, in Chinese, or none; each names the request field
/// it is about (<see cref="EngineFields"/>), or "" when it is about the case or its subject's content (most guards:
/// <see cref="GuardRefusals.AboutContent"/>), which the API answers under <c>errors[""]</c>.
/// </summary>
internal interface IGuard
{
    string Name { get; }

    Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct);
}

internal static class GuardRefusals
{
    /// <summary>Reasons about what the subject holds, not about anything in the request: unkeyed.</summary>
    public static IReadOnlyList<FieldError> AboutContent(this IEnumerable<string> messages) => [.. messages.Select(FieldError.Whole)];
}

/// <summary>A named side effect of an action; it only adds to the DbContext, which Fire saves in its transaction.</summary>
internal interface IEffect
{
    string Name { get; }

    Task ApplyAsync(FireContext context, CancellationToken ct);
}

/// <summary>Keeps a subject's own record (e.g. its status column) in step with its case.</summary>
internal interface IWorkflowSubject
{
    string SubjectType { get; }

    Task OnStateChangedAsync(AppDbContext db, WorkflowInstance instance, StateDefinition state, CancellationToken ct);

    /// <summary>
    /// After an action's effects, its state change and its history entry, in the same transaction: a subject may keep its own
    /// record of an action whose definition names no effect for it (a finding's 延期记录 of 申请延期).
    /// </summary>
    Task OnFiredAsync(FireContext context, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The subject's own deadline, for states due by <c>subjectDeadline</c>; subjects without one have none.</summary>
    Task<DateOnly?> DeadlineAsync(AppDbContext db, WorkflowInstance instance, CancellationToken ct) => Task.FromResult<DateOnly?>(null);
}
