using System.ComponentModel.DataAnnotations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>
/// 自评 list (scoped by the query filter), filtered by year, unit and status as <c>GET /api/self-evaluations</c> is,
/// and, for a unit's filler, the form to start one.
/// </summary>
internal sealed class IndexModel(AppDbContext db, SelfEvaluationService service, WorkflowRegistry registry, TimeProvider clock, ChinaClock china) : PageModel
{
    /// <summary>Cases of the listed records with an open task past its due date (已逾期, as 待办 and the case page mark them).</summary>
    public IReadOnlySet<Guid> Overdue { get; private set; } = new HashSet<Guid>();

    public IReadOnlyList<SelfEvaluation> Items { get; private set; } = [];

    /// <summary>The listed records' unit names: a project's title does not say whose project it is.</summary>
    public IReadOnlyDictionary<Guid, string> UnitNames { get; private set; } = new Dictionary<Guid, string>();

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;

    /// <summary>Filter: 年度.</summary>
    [BindProperty(SupportsGet = true, Name = "year")]
    public int? Year { get; set; }

    /// <summary>Filter: 单位, an id (the drop-down) or part of a name (the search field of a province).</summary>
    [BindProperty(SupportsGet = true, Name = "unit")]
    public string? Unit { get; set; }

    /// <summary>Filter: 状态, a state id of the review flow.</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    /// <summary>Filter: 类型 (部门整体 or 项目).</summary>
    [BindProperty(SupportsGet = true, Name = "kind")]
    public string? Kind { get; set; }

    /// <summary>Filter: 逾期 (逾期提交, or a task past its due date).</summary>
    [BindProperty(SupportsGet = true, Name = "late")]
    public string? Late { get; set; }

    /// <summary>Order (<see cref="SelfEvaluationFilter.Sorts"/>): newest first by default; <c>submitted</c> puts the longest waiting first.</summary>
    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    /// <summary>How many records the filters match (all pages).</summary>
    public int Total { get; private set; }

    /// <summary>Only the bureau sees more than one unit, so only the bureau gets the unit filter.</summary>
    public bool ShowUnitFilter => User.IsInRole(Roles.FinanceOfficer) || User.IsInRole(Roles.FinanceLead) || User.IsInRole(Roles.Admin);

    /// <summary>The unit filter's picker: a drop-down in a district, a search field in a province.</summary>
    public OrganisationField? UnitField { get; private set; }

    public IReadOnlyList<(string Id, string Label)> States { get; private set; } = [];


    public IReadOnlyDictionary<string, string> StateLabels { get; private set; } = new Dictionary<string, string>();

    public bool CanCreate => User.IsInRole(Roles.UnitFiller);

    [BindProperty]
    public string? Title { get; set; }

    // Display names: a value that does not bind is named in Chinese (「全年预算数」的值「一百」无效。), not by the property.
    [BindProperty]
    [Display(Name = "年度")]
    public int? FiscalYear { get; set; }

    [BindProperty]
    [Display(Name = "截止日期")]
    public DateOnly? Deadline { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    [Display(Name = "全年预算数")]
    public decimal? TotalBudget { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The year a unit evaluates is the one just ended (in January 2027, 2026), by the clock, not a fixed year.
        FiscalYear ??= china.Today(clock).Year - 1;
        await LoadAsync(ct);
    }

    /// <summary>A fresh key per rendered form: a double click or a re-sent form creates one self-evaluation, not two.</summary>
    [BindProperty]
    public string? IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var input = new SelfEvaluationInput(Title, FiscalYear, Deadline, Summary, TotalBudget);
        if (!ModelState.IsValid)
        {
            // A value that did not bind (「一百」 in 全年预算数) would reach the service as empty and be created so: refuse it,
            // with the other fields' problems, so everything is named at once and nothing is created.
            var unbound = ModelState.Where(e => e.Value?.Errors.Count > 0).Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, messages) in SelfEvaluationService.Validate(input.Normalised(), requireHeader: true).Where(e => !unbound.Contains(e.Key)))
            {
                foreach (var m in messages)
                {
                    ModelState.AddModelError(key, m);
                }
            }

            await LoadAsync(ct);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var formKey = IdempotencyKey is { Length: > 0 and <= 100 } k ? k : null;
        var result = await service.CreateAsync(input, WorkflowActor.From(User), ct, formKey);
        if (result.Status == FireStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Status == FireStatus.Ok)
        {
            TempData["Flash"] = "自评已创建。";
            return Redirect($"/cases/{result.Record!.CaseId}");
        }

        foreach (var (key, messages) in result.Errors)
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError(key, m);
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        States = SelfEvaluationFilter.States(registry);
        StateLabels = States.ToDictionary(s => s.Id, s => s.Label);
        var unit = ShowUnitFilter ? Unit : null;
        if (ShowUnitFilter)
        {
            var units = db.Organisations.Where(o => o.Kind == OrganisationKind.BudgetUnit);
            var choices = await OrganisationPicker.ChoicesAsync(units, ct);
            var (value, text) = await OrganisationPicker.ShownAsync(units, choices, Unit, null, ct);
            UnitField = new OrganisationField("unit", "unit", "单位", choices, value, text, EmptyOption: "全部");

            if (await OrganisationNames.UnknownFilterAsync(db, Unit?.Trim(), ct) is { } unknown)
            {
                ModelState.AddModelError(string.Empty, unknown);
            }
        }

        var now = clock.GetUtcNow();
        var (query, errors) = SelfEvaluationFilter.Apply(db, registry, Year, unit, Status, Kind, Late, Sort, now);
        foreach (var m in errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, m);
        }

        Total = await query.CountAsync(ct);
        var page = await query.ToPageAsync(PageNumber, ct);
        (Items, Pager) = (page.Items, page);
        UnitNames = await OrganisationNames.ForAsync(db, Items.Select(s => (Guid?)s.OrganisationId), ct);
        var cases = Items.Where(s => s.CaseId is not null).Select(s => s.CaseId!.Value).ToList();
        Overdue = (await db.WorkItems.Where(w => cases.Contains(w.InstanceId) && w.Status == WorkItemStatus.Open && w.DueAt < now)
            .Select(w => w.InstanceId).Distinct().ToListAsync(ct)).ToHashSet();
    }
}
