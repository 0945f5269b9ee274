using BudgetEval.Web.Shared;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Findings;

/// <summary>问题台账: filters as in the API, and the bureau's registration of findings from 审计, 巡察 and 自评.</summary>
internal sealed class IndexModel(AppDbContext db, FindingRegister register) : PageModel
{
    public IReadOnlyList<(Finding Finding, string UnitName)> Items { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IPage Pager { get; private set; } = Paged<object>.Empty;


    /// <summary>The 责任单位 offered when registering: a list in a district, a search field in a province.</summary>
    public OrganisationChoices Units { get; private set; } = new([]);

    /// <summary>What was posted as 责任单位 (an id or typed text), shown again when the form has errors.</summary>
    public string? PostedUnit { get; private set; }

    public bool CanRegister => User.IsInRole(Roles.FinanceOfficer);

    /// <summary>A unit's staff see their own unit's findings only: a filter by unit would offer them nothing.</summary>
    public bool ShowUnitFilter => !User.IsInRole(Roles.UnitFiller) && !User.IsInRole(Roles.UnitHead);

    /// <summary>
    /// Why a registration was refused, each with the register form's field it is about (its element id, or null for
    /// the record as a whole). Shown inside the form card, linked to the fields, rather than above the list.
    /// </summary>
    public List<(string? FieldId, string Message)> RegisterErrors { get; } = [];

    /// <summary>Whether a refused registration named this field of the register form (marks it aria-invalid).</summary>
    public bool RegisterInvalid(string fieldId) => RegisterErrors.Any(e => e.FieldId == fieldId);

    /// <summary>The register form's fields by element id, with their visible labels (the API keys differ only for 年度).</summary>
    private static readonly Dictionary<string, (string Id, string Label)> RegisterFields = new(StringComparer.Ordinal)
    {
        ["organisationId"] = ("organisationId", "责任单位"), ["fiscalYear"] = ("year", "年度"), ["year"] = ("year", "年度"),
        ["source"] = ("source", "来源"), ["sourceDocument"] = ("sourceDocument", "来源文号"), ["sourceDate"] = ("sourceDate", "来源日期"),
        ["category"] = ("category", "类别"), ["title"] = ("title", "问题"), ["detail"] = ("detail", "具体情况及依据"),
        ["recommendation"] = ("recommendation", "建议"), ["deadline"] = ("deadline", "整改期限"), ["rectifiedOn"] = ("rectifiedOn", "整改完成日期"),
        ["rectifiedEvidence"] = ("rectifiedEvidence", "整改佐证"),
    };

    /// <summary>A refusal placed on its field; the message gets the form's label in front unless it already says it.</summary>
    private void RegisterError(string key, string message)
    {
        if (!RegisterFields.TryGetValue(key, out var field))
        {
            RegisterErrors.Add((null, message));
            return;
        }

        RegisterErrors.Add((field.Id, message.Contains(field.Label, StringComparison.Ordinal) ? message : $"{field.Label}：{message}"));
    }

    /// <summary>What was typed into the register form, shown again when it is refused (nothing typed is lost).</summary>
    public string Posted(string field) => Request.HasFormContentType ? Request.Form[field].ToString() : string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? FiscalYear { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    /// <summary>
    /// The unit a 整改情况报告 can be generated for from this list: the list is filtered to one year and shows one unit's
    /// findings (a unit's staff always see their own; the bureau filters by unit). Null hides the buttons.
    /// </summary>
    public Guid? ReportUnit { get; private set; }

    /// <summary>The listed findings flagged 重复发生 (same unit and category the year before).</summary>
    public IReadOnlySet<Guid> Recurring { get; private set; } = new HashSet<Guid>();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>整改台账 (.xlsx) of what the filters select, for the signed-in browser user.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var (query, errors) = FindingEndpoints.Filter(db, Unit, FiscalYear, Status, Source);
        if (errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }

        if (await FindingLedger.BuildAsync(db, query, HttpContext, HttpContext.RequestServices.GetRequiredService<TimeProvider>(), ct) is not { } ledger)
        {
            ModelState.AddModelError(string.Empty, FindingLedger.TooMany);
            await LoadAsync(ct);
            return Page();
        }

        return File(ledger.Content, SelfEvaluations.Export.FormWorkbook.ContentType, ledger.FileName);
    }

    public async Task<IActionResult> OnPostAsync(string? organisationId, int? year, string? category, string? title, string? detail, string? indicatorRow,
        string? recommendation, DateOnly? deadline, string? source, string? sourceDocument, DateOnly? sourceDate, bool rectified, DateOnly? rectifiedOn,
        string? rectifiedEvidence, CancellationToken ct)
    {
        // The register form's 来源 field is also called "source": the list keeps the filter from the address.
        Source = Request.Query["Source"].FirstOrDefault();
        PostedUnit = organisationId;
        // A date or year that does not bind ("2025年") belongs to the register form, not to the list's filters above.
        foreach (var key in new[] { "year", "deadline", "sourceDate", "rectifiedOn" })
        {
            if (ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0)
            {
                foreach (var e in entry.Errors)
                {
                    RegisterError(key, e.ErrorMessage);
                }

                ModelState.Remove(key);
            }
        }

        var unit = await OrganisationPicker.ResolveAsync(OrganisationPicker.ActiveUnits(db.Organisations), organisationId, ct);
        if (unit.Error is { } unitError)
        {
            RegisterError("organisationId", $"责任单位：{unitError}");
            await LoadAsync(ct);
            return Page();
        }

        var (finding, errors, status) = await register.RegisterAsync(new FindingInput(unit.Id, year, category, title, detail, indicatorRow, recommendation,
            deadline, source, sourceDocument, sourceDate, rectified, rectifiedOn, rectifiedEvidence), WorkflowActor.From(User), ct);
        if (status == FireStatus.Forbidden)
        {
            return Forbid();
        }

        if (status == FireStatus.Ok)
        {
            // Said at once: the officer registering it is the one to notice that the unit repeats last year's problem.
            var registered = finding!;
            var recurring = (await RecurringFindings.AmongAsync(db, [registered], ct)).Count > 0;
            TempData["Flash"] = $"已登记问题 {registered.Number}。" + (recurring ? $"该单位{registered.FiscalYear - 1}年度有同类别（{registered.Category}）问题，已标记为重复发生。" : "");
            return RedirectToPage();
        }

        var unbound = RegisterErrors.Select(e => e.FieldId).ToHashSet();
        foreach (var (key, messages) in errors)
        {
            // A year that did not bind is already named; its "请填写" would only repeat it.
            if (RegisterFields.TryGetValue(key, out var field) && unbound.Contains(field.Id))
            {
                continue;
            }

            foreach (var m in messages)
            {
                RegisterError(key, m);
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The 单位 filter as the box shows it: a link's unit id (from an import's result or a report) as the unit's name.</summary>
    public string? UnitShown { get; private set; }

    private async Task LoadAsync(CancellationToken ct)
    {
        UnitShown = Guid.TryParse(Unit, out var unitId)
            ? await db.Organisations.Where(o => o.Id == unitId).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? Unit
            : Unit;
        var (query, errors) = FindingEndpoints.Filter(db, Unit, FiscalYear, Status, Source);
        foreach (var m in errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, m);
        }

        if (await OrganisationNames.UnknownFilterAsync(db, Unit, ct) is { } unknown)
        {
            ModelState.AddModelError(string.Empty, unknown);
        }

        var page = await query.OrderByDescending(f => f.FiscalYear).ThenBy(f => f.Number).ToPageAsync(PageNumber, ct);
        Pager = page;
        var rows = page.Items;
        var names = await OrganisationNames.ForAsync(db, rows.Select(f => (Guid?)f.OrganisationId), ct);
        Items = rows.Select(f => (f, names[f.OrganisationId])).ToList();
        Recurring = await RecurringFindings.AmongAsync(db, rows, ct);

        // Asked of the year's findings whatever their status and page, as the report covers them all: a status
        // filter with nothing on this page (no 已整改 yet) must not hide the report of the ones that are there.
        if (errors.Count == 0 && FiscalYear is not null && (!ShowUnitFilter || !string.IsNullOrWhiteSpace(Unit)))
        {
            var units = await FindingEndpoints.Filter(db, Unit, FiscalYear, null, Source).Query
                .Select(f => f.OrganisationId).Distinct().Take(2).ToListAsync(ct);
            ReportUnit = units is [var one] ? one : null;
        }
        if (CanRegister)
        {
            Units = await OrganisationPicker.ChoicesAsync(OrganisationPicker.ActiveUnits(db.Organisations), ct);
        }
    }
}
