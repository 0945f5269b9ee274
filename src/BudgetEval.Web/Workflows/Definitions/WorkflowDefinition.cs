namespace BudgetEval.Web.Workflows.Definitions;

/// <summary>One workflow file, parsed and checked. Immutable: the engine shares it across requests.</summary>
internal sealed record WorkflowDefinition(
    string Id,
    int Version,
    string Title,
    string SubjectType,
    string Initial,
    IReadOnlyList<StateDefinition> States,
    string SourceFile)
{
    private readonly Dictionary<string, StateDefinition> _byId = States.ToDictionary(s => s.Id, StringComparer.Ordinal);

    public StateDefinition State(string id) =>
        _byId.TryGetValue(id, out var state) ? state : throw new KeyNotFoundException($"workflow {Id} v{Version} has no state '{id}'");

    public bool HasState(string id) => _byId.ContainsKey(id);

    public string Key => $"{Id}.v{Version}";
}

internal enum StateKind
{
    Task,
    Wait,
    End,
}

/// <summary>Where the people who act in a state come from.</summary>
internal enum ActorScope
{
    /// <summary>The case's own budget unit.</summary>
    Unit,

    /// <summary>The finance bureau.</summary>
    Bureau,

    /// <summary>The third-party firm assigned to the case.</summary>
    Firm,
}

internal sealed record StateDefinition(
    string Id,
    string Label,
    StateKind Kind,
    ActorRule? Actor,
    DueRule? Due,
    ReminderPolicy? Reminders,
    IReadOnlyList<ActionDefinition> Actions,
    int Line)
{
    public ActionDefinition? Action(string id) => Actions.FirstOrDefault(a => a.Id == id);
}

internal sealed record ActorRule(string Role, ActorScope Scope);

internal enum DueRuleKind
{
    PlanDeadline,
    WorkingDaysAfterEntry,

    /// <summary>A date the subject itself carries and may move (e.g. a finding's rectification deadline), asked of its <c>IWorkflowSubject</c>.</summary>
    SubjectDeadline,
}

internal sealed record DueRule(DueRuleKind Kind, int WorkingDays);

/// <summary>Parsed and kept for the reminder sweep (a later issue); the engine only uses it to set the first reminder time.</summary>
internal sealed record ReminderPolicy(IReadOnlyList<int> DaysBefore, string? OverdueEvery, IReadOnlyList<Escalation> Escalate);

internal sealed record Escalation(int AfterWorkingDays, string To);

internal sealed record ActionDefinition(
    string Id,
    string Label,
    string Target,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Requires,
    IReadOnlyList<string> Then,
    bool CommentRequired,
    int Line);
