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

        if (await FindingLedger.BuildAsync(db, query, HttpContext, HttpContext.RequestServices.GetRequiredService<TimeProvider>(), ct) is not { } bytes)
        {
            ModelState.AddModelError(string.Empty, FindingLedger.TooMany);
            await LoadAsync(ct);
            return Page();
        }

        return File(bytes, SelfEvaluations.Export.FormWorkbook.ContentType, "整改台账.xlsx");
    }

    public async Task<IActionResult> OnPostAsync(string? organisationId, int? year, string? category, string? title, string? detail, string? indicatorRow,
        string? recommendation, DateOnly? deadline, string? source, string? sourceDocument, DateOnly? sourceDate, bool rectified, DateOnly? rectifiedOn,
        string? rectifiedEvidence, CancellationToken ct)
    {
        // The register form's 来源 field is also called "source": the list keeps the filter from the address.
        Source = Request.Query["Source"].FirstOrDefault();
        PostedUnit = organisationId;
        var unit = await OrganisationPicker.ResolveAsync(OrganisationPicker.ActiveUnits(db.Organisations), organisationId, ct);
        if (unit.Error is { } unitError)
        {
            ModelState.AddModelError(string.Empty, $"责任单位：{unitError}");
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
            TempData["Flash"] = $"已登记问题 {finding!.Number}。";
            return RedirectToPage();
        }

        foreach (var m in errors.SelectMany(e => e.Value))
        {
            ModelState.AddModelError(string.Empty, m);
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
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
        if (CanRegister)
        {
            Units = await OrganisationPicker.ChoicesAsync(OrganisationPicker.ActiveUnits(db.Organisations), ct);
        }
    }
}
