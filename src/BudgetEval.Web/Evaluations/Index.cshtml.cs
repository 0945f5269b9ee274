using BudgetEval.Web.Shared;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Scoring;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

/// <summary>
/// 重点评价: the scoped list (a firm sees its assignments, a unit its own); the finance officer's selection
/// list proposed from the year's self-evaluations; the lead's approval of what waits for it.
/// </summary>
internal sealed class IndexModel(AppDbContext db, EvaluationService service, WorkflowRegistry registry, ChinaClock china, TimeProvider clock) : PageModel
{
    public sealed record Row(Evaluation Evaluation, string UnitName, string? FirmName);

    public IReadOnlyList<Row> Items { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    public IReadOnlyList<Candidate> Candidates { get; private set; } = [];

    /// <summary>Page of the proposals (a province's year proposes thousands); "cp" because "p" pages the evaluations.</summary>
    [BindProperty(SupportsGet = true, Name = "cp")]
    public int? CandidatePage { get; set; }

    public IPage CandidatePager { get; private set; } = Paged<object>.Empty;

    /// <summary>The units offered for 另行添加: a list in a district, a search field in a province.</summary>
    public OrganisationChoices Units { get; private set; } = new([]);

    public IReadOnlyDictionary<string, string> StateLabels { get; private set; } = new Dictionary<string, string>();

    /// <summary>The lead's reason for each 不予评价 on the page, by case.</summary>
    public IReadOnlyDictionary<Guid, string> DropReasons { get; private set; } = new Dictionary<Guid, string>();

    public bool CanSelect => User.IsInRole(Roles.FinanceOfficer);

    public bool CanApprove => User.IsInRole(Roles.FinanceLead);

    /// <summary>The year chosen, or the last full year in Beijing: in 2026 the bureau evaluates 2025's spending.</summary>
    [BindProperty(SupportsGet = true)]
    public int? FiscalYear { get; set; }

    public int Year => FiscalYear ?? china.Today(clock).Year - 1;

    /// <summary>A target waiting for the lead, with the figures a decision rests on (from the unit's self-evaluation of the year).</summary>
    public sealed record PendingTarget(Guid Id, int FiscalYear, string Title, string UnitName, decimal? Budget, string Rate, string Grade, string Reason);

    /// <summary>The targets waiting for approval, the largest budgets first; at most <see cref="PendingShown"/>.</summary>
    public IReadOnlyList<PendingTarget> Pending { get; private set; } = [];

    public const int PendingShown = 200;

    /// <summary>What waits for the lead, per year (newest first): a selection of any year can be approved, not only the default one.</summary>
    public IReadOnlyList<(int FiscalYear, int Count, long Newest)> PendingByYear { get; private set; } = [];

    /// <summary>
    /// The newest selection the lead's page showed for the year (UTC ticks of its CreatedAt): 批准 approves what the lead
    /// saw, not a target the officer added after the page was loaded.
    /// </summary>
    [BindProperty]
    public long? Seen { get; set; }

    /// <summary>Posted selection: "organisationId|kind|project|reason" per ticked candidate.</summary>
    [BindProperty]
    public List<string> Picked { get; set; } = [];

    /// <summary>An id from the drop-down, or a typed name, short name or credit code from the search field.</summary>
    [BindProperty]
    public string? ManualUnit { get; set; }

    [BindProperty]
    public string? ManualKind { get; set; }

    [BindProperty]
    public string? ManualProject { get; set; }

    [BindProperty]
    public string? ManualReason { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSelectAsync(CancellationToken ct)
    {
        var targets = Picked.Select(p => p.Split('|', 4)).Where(p => p.Length == 4 && Guid.TryParse(p[0], out _))
            .Select(p => new TargetInput(Guid.Parse(p[0]), p[1], p[2].Length == 0 ? null : p[2], p[3], null)).ToList();
        var manual = await OrganisationPicker.ResolveAsync(OrganisationPicker.ActiveUnits(db.Organisations), ManualUnit, ct);
        if (manual.Error is { } unitError)
        {
            ModelState.AddModelError(string.Empty, $"另行添加「预算单位」：{unitError}");
            await LoadAsync(ct);
            return Page();
        }

        if (manual.Id is not null)
        {
            targets.Add(new TargetInput(manual.Id, ManualKind, ManualProject, ManualReason, null));
        }

        var (created, errors, status) = await service.SelectAsync(Year, targets, WorkflowActor.From(User), ct);
        if (status == FireStatus.Forbidden)
        {
            return Forbid();
        }

        if (created.Count > 0)
        {
            TempData["Flash"] = $"已选定 {created.Count} 个评价对象，待财政局领导审批。";
            return RedirectToPage(new { FiscalYear = Year });
        }

        // Each message says which line it is about: a ticked proposal by its unit (and project), the hand-added one as 另行添加.
        var names = await OrganisationNames.ForAsync(db, targets.Select(t => t.OrganisationId), ct);
        foreach (var (key, messages) in errors)
        {
            var prefix = TargetIndex(key) is { } i && i < targets.Count
                ? manual.Id is not null && i == targets.Count - 1 ? "另行添加："
                : $"{names.GetValueOrDefault(targets[i].OrganisationId ?? Guid.Empty, "评价对象")}{(targets[i].ProjectName is { } p ? "“" + p + "”" : "")}："
                : string.Empty;
            foreach (var m in messages)
            {
                ModelState.AddModelError(string.Empty, prefix + m);
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The target a service error key ("targets[2]", "targets[2].kind") is about.</summary>
    private static int? TargetIndex(string key) =>
        key.StartsWith("targets[", StringComparison.Ordinal) && key.IndexOf(']', StringComparison.Ordinal) is > 8 and var end
        && int.TryParse(key.AsSpan(8, end - 8), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>The lead approves the whole list at once; each target is still its own case with its own history line.</summary>
    public async Task<IActionResult> OnPostApproveAllAsync(CancellationToken ct)
    {
        var year = Year;
        var pending = await db.Evaluations.Where(e => e.FiscalYear == year && e.Status == "selected").Select(e => new { e.Id, e.CreatedAt }).ToListAsync(ct);
        var seen = Seen is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null;
        var waiting = pending.Where(e => seen is null || e.CreatedAt <= seen).Select(e => e.Id).ToList();
        var actor = WorkflowActor.From(User);
        var failed = new List<string>();
        foreach (var id in waiting)
        {
            var result = await service.FireAsync(id, "approve", actor, "同意列入重点评价", null, ct);
            failed.AddRange(result.Errors);
        }

        var later = pending.Count - waiting.Count;
        TempData["Flash"] = (failed.Count == 0 ? $"已批准 {waiting.Count} 个评价对象（{year} 年度）。" : string.Join(" ", failed))
            + (later > 0 ? $"另有 {later} 个评价对象在您打开页面后选定，尚未批准，请核对后再审批。" : string.Empty);
        return RedirectToPage(new { FiscalYear = Year });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var page = await db.Evaluations.AsNoTracking().OrderByDescending(e => e.FiscalYear).ThenBy(e => e.Title).ToPageAsync(PageNumber, ct);
        Pager = page;
        var rows = page.Items;
        var names = await OrganisationNames.ForAsync(db, rows.Select(e => (Guid?)e.OrganisationId).Concat(rows.Select(e => e.FirmId)), ct);
        Items = rows.Select(e => new Row(e, names[e.OrganisationId], e.FirmId is { } f ? names[f] : null)).ToList();

        // 不予评价 is the lead's decision with a required reason: the list says it, not only the case history.
        var dropped = rows.Where(e => e.Status == "dropped" && e.CaseId is not null).Select(e => e.CaseId!.Value).ToList();
        DropReasons = dropped.Count == 0 ? new Dictionary<Guid, string>() : (await db.WorkflowHistory.AsNoTracking()
            .Where(h => dropped.Contains(h.InstanceId) && h.ToState == "dropped" && h.Comment != null)
            .Select(h => new { h.InstanceId, h.Seq, h.Comment }).ToListAsync(ct))
            .GroupBy(h => h.InstanceId).ToDictionary(g => g.Key, g => g.MaxBy(h => h.Seq)!.Comment!);
        StateLabels = registry.Latest(EvaluationService.WorkflowId).States.ToDictionary(s => s.Id, s => s.Label);
        if (CanApprove)
        {
            PendingByYear = (await db.Evaluations.AsNoTracking().Where(e => e.Status == "selected").GroupBy(e => e.FiscalYear)
                .Select(g => new { g.Key, Count = g.Count(), Newest = g.Max(e => e.CreatedAt) }).OrderByDescending(g => g.Key).ToListAsync(ct))
                .Select(g => (g.Key, g.Count, g.Newest.UtcTicks)).ToList();

            // Approving on a count and a reason alone meant opening every self-evaluation first: budget, execution
            // rate and the submitted grade are shown beside each target.
            var pending = await db.Evaluations.AsNoTracking().Where(e => e.Status == "selected")
                .OrderByDescending(e => e.FiscalYear).ThenByDescending(e => e.Budget).ThenBy(e => e.Title)
                .Select(e => new
                {
                    e.Id, e.FiscalYear, e.Title, e.OrganisationId, e.Budget, e.Reason,
                    Self = db.SelfEvaluations.Where(s => s.OrganisationId == e.OrganisationId && s.FiscalYear == e.FiscalYear && s.Kind == e.Kind && s.ProjectName == e.ProjectName)
                        .OrderByDescending(s => s.UpdatedAt).Select(s => new { s.FundsBudget, s.FundsExecuted, s.FundsUpperTransfer, s.SubmittedGrade }).FirstOrDefault(),
                })
                .Take(PendingShown).ToListAsync(ct);
            var units = await OrganisationNames.ForAsync(db, pending.Select(p => (Guid?)p.OrganisationId), ct);
            Pending = pending.Select(p => (p, Basis: SelectionBasis.Of(p.Budget,
                    p.Self is { } f ? new SelfEvaluationFigures(f.FundsBudget, f.FundsExecuted, f.FundsUpperTransfer, f.SubmittedGrade) : null)))
                .Select(x => new PendingTarget(x.p.Id, x.p.FiscalYear, x.p.Title, units[x.p.OrganisationId], x.Basis.Budget, x.Basis.Rate, x.Basis.Grade, x.p.Reason)).ToList();
        }

        if (CanSelect)
        {
            var candidates = await (await service.ProposeAsync(Year, ct)).ToPageAsync(CandidatePage, ct);
            Candidates = candidates.Items.Select(r => r.ToCandidate()).ToList();
            CandidatePager = candidates with { Parameter = "cp" };
            Units = await OrganisationPicker.ChoicesAsync(OrganisationPicker.ActiveUnits(db.Organisations), ct);
        }
    }
}
