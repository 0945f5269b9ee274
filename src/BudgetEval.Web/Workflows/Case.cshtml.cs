using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Workflows;

/// <summary>One case: diagram, history, open tasks, and the buttons this user may press. Every POST goes through the engine.</summary>
internal sealed class CaseModel(AppDbContext db, InboxQueries queries, WorkflowEngine engine, TimeProvider clock) : PageModel
{
    public CaseView View { get; private set; } = null!;

    public SelfEvaluation? SelfEvaluation { get; private set; }

    /// <summary>The scores of a plan's self-evaluation (the full 自评表), for the reviewer's summary.</summary>
    public SelfEvaluations.Scoring.ScoreSheet? Sheet { get; private set; }

    public IReadOnlyList<(string Field, string Old, string New)> Diff { get; private set; } = [];

    public int? DiffFrom { get; private set; }

    public int? DiffTo { get; private set; }

    public IReadOnlyList<(Guid Id, string Name)> Colleagues { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> UserNames { get; private set; } = new Dictionary<Guid, string>();

    public WorkflowActor Actor => WorkflowActor.From(User);

    /// <summary>For the 逾期 marks, as 待办 shows them: an open task past its due instant.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>New on every render: a double-clicked button sends the same key twice and acts once.</summary>
    public string IdempotencyKey { get; } = Guid.NewGuid().ToString("N");

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public bool IsReviewer => User.IsInRole(Roles.FinanceOfficer) || User.IsInRole(Roles.UnitHead) || User.IsInRole(Roles.FinanceLead);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostFireAsync(Guid id, string action, string? comment, int expectedVersion, string? idempotencyKey, CancellationToken ct) =>
        Handle(id, engine.FireAsync(id, action, Actor, comment, expectedVersion, idempotencyKey, ct), "已办理。", ct);

    public Task<IActionResult> OnPostClaimAsync(Guid id, Guid workItemId, int expectedVersion, CancellationToken ct) =>
        Handle(id, engine.ClaimAsync(id, workItemId, Actor, expectedVersion, ct), "已认领。", ct);

    public Task<IActionResult> OnPostReleaseAsync(Guid id, Guid workItemId, int expectedVersion, CancellationToken ct) =>
        Handle(id, engine.ReleaseAsync(id, workItemId, Actor, expectedVersion, ct), "已释放。", ct);

    public Task<IActionResult> OnPostDelegateAsync(Guid id, Guid workItemId, Guid toUserId, string? comment, int expectedVersion, CancellationToken ct) =>
        Handle(id, engine.DelegateAsync(id, workItemId, toUserId, Actor, expectedVersion, comment, ct), "已委托。", ct);

    public Task<IActionResult> OnPostReassignAsync(Guid id, Guid workItemId, Guid toUserId, string? comment, int expectedVersion, CancellationToken ct) =>
        Handle(id, engine.ReassignAsync(id, workItemId, toUserId, Actor, expectedVersion, comment, ct), "已改派。", ct);

    public Task<IActionResult> OnPostAlterAsync(Guid id, string toState, string? reason, int expectedVersion, CancellationToken ct) =>
        Handle(id, engine.AlterAsync(id, toState, reason, Actor, expectedVersion, ct), "状态已调整。", ct);

    private async Task<IActionResult> Handle(Guid id, Task<FireResult> operation, string done, CancellationToken ct)
    {
        var result = await operation;
        if (result.Status == FireStatus.NotFound)
        {
            return NotFound();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }

        Errors = result.Errors;
        Response.StatusCode = result.HttpStatus;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var view = await queries.CaseAsync(id, Actor, ct);
        if (view is null)
        {
            return false;
        }

        View = view;
        var userIds = view.OpenItems.SelectMany(w => new[] { w.AssigneeUserId, w.ClaimedBy }).OfType<Guid>().Distinct().ToList();
        UserNames = await db.Users.IgnoreQueryFilters().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        if (view.OpenItems.Count > 0 && view.OpenItems[0] is { AssigneeRole: { } role, AssigneeOrganisationId: { } org })
        {
            // Who a task can be delegated or reassigned to: people of that organisation with that role.
            Colleagues = (await TaskAssignees.Of(db, org, role, clock.GetUtcNow())
                .OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
                .Select(u => (u.Id, u.DisplayName)).ToList();
        }

        if (view.Instance.SubjectType == SelfEvaluationSubject.Type)
        {
            SelfEvaluation = await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == view.Instance.SubjectId, ct);
            if (SelfEvaluation is { PlanId: not null } planned)
            {
                Sheet = (await SelfEvaluationSubject.SheetAsync(db, planned, submitting: false, ct)).Sheet;
            }

            if (SelfEvaluation is { CurrentVersion: > 0 } se)
            {
                // The reviewer sees what changed since the version the bureau last decided on (or the previous submission).
                var baseNo = se.LastReviewedVersion is { } r && r < se.CurrentVersion ? r : se.CurrentVersion - 1;
                var versions = await db.SelfEvaluationVersions.AsNoTracking()
                    .Where(v => v.SelfEvaluationId == se.Id && (v.VersionNo == se.CurrentVersion || v.VersionNo == baseNo))
                    .ToDictionaryAsync(v => v.VersionNo, v => v.ContentJson, ct);
                if (versions.TryGetValue(se.CurrentVersion, out var latest) && SelfEvaluationContent.Parse(latest) is { } now)
                {
                    DiffFrom = baseNo > 0 ? baseNo : null;
                    DiffTo = se.CurrentVersion;
                    Diff = SelfEvaluationContent.Diff(versions.TryGetValue(baseNo, out var old) ? SelfEvaluationContent.Parse(old) : null, now);
                }
            }
        }

        return true;
    }
}
