using System.Globalization;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Plans;

/// <summary>
/// Create (/plans/new) and edit (/plans/{id}) a plan, publish it, amend it after publishing. All rules
/// live in <see cref="PlanService"/>; this page only turns form text into its input and its answers into
/// Chinese messages naming the field. The bureau's leaders see the same page read-only.
/// </summary>
[Authorize(Roles = Roles.Bureau)]
internal sealed class EditModel(AppDbContext db, PlanService service, TimeProvider clock, WorkflowRegistry registry) : PageModel
{
    /// <summary>Only a 绩效管理员 changes plans: refused before the form is read (403, docs/authorization.md).</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!HttpMethods.IsGet(Request.Method) && PlanService.Denied(WorkflowActor.From(User)) is not null)
        {
            context.Result = Forbid();
            return;
        }

        await next();
    }

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["fiscalYear"] = "评价年度",
        ["title"] = "计划名称",
        ["noticeNumber"] = "文号",
        ["deadline"] = "截止日期",
        ["templateId"] = "指标模板",
        ["scoring"] = "计分规则",
        ["targets"] = "覆盖单位",
    };

    public Plan? Plan { get; private set; }

    public bool MayManage { get; private set; }

    public bool CanEdit => MayManage && Plan is not { Status: PlanStatus.Published };

    /// <summary>The units a plan may cover: checkboxes and drop-downs in a district, search fields in a province.</summary>
    public OrganisationChoices Units { get; private set; } = new([]);

    /// <summary>Names of the plan's units (and of those posted), for its lists and search fields.</summary>
    public IReadOnlyDictionary<Guid, string> UnitNames { get; private set; } = new Dictionary<Guid, string>();

    public List<string> Errors { get; } = [];

    /// <summary>
    /// The 指标模板 radio buttons: the active templates (/admin/templates) and, for an existing plan whose own was
    /// retired since, that one too (marked), so the plan keeps showing what it uses.
    /// </summary>
    public IReadOnlyList<(string Id, string Name)> TemplateChoices { get; private set; } = [];

    /// <summary>A published plan's targets by kind; its list is read a page at a time (a province's plan has 120,000).</summary>
    public IReadOnlyDictionary<EvaluationKind, int> TargetCounts { get; private set; } = new Dictionary<EvaluationKind, int>();

    public IReadOnlyList<PlanTargetRow> Targets { get; private set; } = [];

    public IPage TargetPager { get; private set; } = Paged<object>.Empty;

    /// <summary>The listed targets' self-evaluations: where each stands and its case, so the officer goes from the plan to it.</summary>
    public IReadOnlyDictionary<Guid, (Guid? CaseId, string StatusLabel)> TargetCases { get; private set; } = new Dictionary<Guid, (Guid?, string)>();

    [BindProperty(SupportsGet = true, Name = "tp")]
    public int? TargetPage { get; set; }

    /// <summary>Filters the 自评事项 by (part of) the unit's name.</summary>
    [BindProperty(SupportsGet = true, Name = "tq")]
    public string? TargetQuery { get; set; }

    [BindProperty]
    public PlanForm Input { get; set; } = new();

    [BindProperty]
    public AmendForm Amend { get; set; } = new();

    /// <summary>The plan a new one was started from (以上年计划为基础), named on the page; null otherwise.</summary>
    public Plan? CopiedFrom { get; private set; }

    /// <summary>On a blank new plan: the newest plan, offered as the base of the next year's.</summary>
    public Plan? LatestPlan { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, Guid? from, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (id is null && !MayManage)
        {
            return Forbid();
        }

        Input = Plan is null ? PlanForm.Defaults(clock.GetUtcNow().Year - 1) : PlanForm.From(Plan);
        if (Plan is null && from is { } fromId)
        {
            CopiedFrom = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == fromId, ct);
            if (CopiedFrom is null)
            {
                return NotFound();
            }

            // Units deactivated since last year are left out: they could not be chosen on this form.
            var targets = await db.PlanTargets.AsNoTracking().Where(t => t.PlanId == fromId)
                .Where(t => OrganisationPicker.ActiveUnits(db.Organisations).Any(o => o.Id == t.OrganisationId))
                .OrderBy(t => t.Kind).ThenBy(t => t.ProjectName).ToListAsync(ct);
            Input = PlanForm.NextYear(CopiedFrom, targets);
            UnitNames = await OrganisationNames.ForAsync(db, targets.Select(t => (Guid?)t.OrganisationId), ct);
        }
        else if (Plan is null)
        {
            LatestPlan = await db.Plans.AsNoTracking().OrderByDescending(p => p.FiscalYear).ThenByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
        }

        Input.FillUnitList(UnitNames);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        var units = await OrganisationPicker.ResolveAllAsync(OrganisationPicker.ActiveUnits(db.Organisations), Input.UnitTexts(), ct);
        var unread = new HashSet<string>();
        var input = Input.ToInput(Errors, units, unread);
        if (Errors.Count > 0)
        {
            // The fields that did read are checked too, so one post names every problem (not the rest on the next).
            // Only a field the form could not read is left to the form's own message: the service would
            // repeat it, or judge the stand-in value.
            AddErrors((await service.ValidateAsync(input, ct)).Where(e => !unread.Contains(e.Key)));
        }

        var result = Errors.Count > 0 ? null
            : id is { } planId ? await service.UpdateAsync(planId, input, Input.ExpectedVersion, WorkflowActor.From(User), ct)
            : await service.CreateAsync(input, WorkflowActor.From(User), ct);
        if (result?.Status == FireStatus.Ok)
        {
            TempData["Flash"] = id is null ? "评价工作计划已创建（草稿），核对无误后请发布。" : "评价工作计划已保存。";
            return Redirect($"/plans/{result.Plan!.Id}");
        }

        return await FailedAsync(id, result, ct);
    }

    public async Task<IActionResult> OnPostPublishAsync(Guid id, CancellationToken ct)
    {
        var result = await service.PublishAsync(id, WorkflowActor.From(User), ct);
        if (result.Status == FireStatus.Ok)
        {
            TempData["Flash"] = $"已发布，已为 {result.Plan!.Targets.Count} 个自评事项立项并通知各单位。";
            return Redirect($"/plans/{id}");
        }

        return await FailedAsync(id, result, ct, keepInput: false);
    }

    public async Task<IActionResult> OnPostAmendAsync(Guid id, CancellationToken ct)
    {
        var unit = await OrganisationPicker.ResolveAsync(OrganisationPicker.ActiveUnits(db.Organisations), Amend.OrganisationId, ct);
        var (target, deadline) = Amend.ToInput(Errors, unit);
        if (Errors.Count > 0)
        {
            // What did read is checked too, so one post names every problem (an unreadable value leaves its part unchecked).
            AddErrors(await service.AmendmentProblemsAsync(id, target, deadline, ct));
        }

        var result = Errors.Count > 0 ? null : await service.AmendAsync(id, target, deadline, Amend.Reason, WorkflowActor.From(User), ct);
        if (result?.Status == FireStatus.Ok)
        {
            TempData["Flash"] = "计划变更已保存。";
            return Redirect($"/plans/{id}");
        }

        return await FailedAsync(id, result, ct, keepInput: false);
    }

    /// <summary>Shows the page again with the officer's input and every message; nothing was saved.</summary>
    private async Task<IActionResult> FailedAsync(Guid? id, PlanResult? result, CancellationToken ct, bool keepInput = true)
    {
        if (result?.Status == FireStatus.Forbidden)
        {
            return Forbid();
        }

        if (result?.Status == FireStatus.NotFound || !await LoadAsync(id, ct))
        {
            return NotFound();
        }

        AddErrors(result?.Errors ?? new Dictionary<string, string[]>());

        if (!keepInput && Plan is not null)
        {
            Input = PlanForm.From(Plan);
            Input.FillUnitList(UnitNames);
        }

        Response.StatusCode = result?.Status == FireStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private void AddErrors(IEnumerable<KeyValuePair<string, string[]>> errors)
    {
        foreach (var (key, messages) in errors)
        {
            Errors.AddRange(messages.Select(m => Labels.TryGetValue(key, out var label) ? $"{label}：{m}" : m));
        }
    }

    private async Task<bool> LoadAsync(Guid? id, CancellationToken ct)
    {
        MayManage = PlanService.Denied(WorkflowActor.From(User)) is null;
        var choices = (await Admin.Templates.TemplateCatalog.SelfEvaluationAsync(db, ct)).Select(t => (t.Id, t.Name)).ToList();
        Units = await OrganisationPicker.ChoicesAsync(OrganisationPicker.ActiveUnits(db.Organisations), ct);
        if (id is { } planId)
        {
            var status = await db.Plans.Where(p => p.Id == planId).Select(p => (PlanStatus?)p.Status).SingleOrDefaultAsync(ct);
            if (status is null)
            {
                return false;
            }

            // A draft is edited whole; a published plan's targets are counted and listed a page at a time.
            Plan = status == PlanStatus.Published
                ? await db.Plans.AsNoTracking().Include(p => p.Amendments).SingleAsync(p => p.Id == planId, ct)
                : await PlanEndpoints.LoadAsync(db, planId, ct);
            if (status == PlanStatus.Published)
            {
                await LoadTargetsAsync(planId, ct);
            }
        }

        if (Plan is { } own && choices.All(c => c.Id != own.TemplateId))
        {
            var name = await db.IndicatorTemplates.Where(t => t.Key == own.TemplateId).Select(t => t.Name).SingleOrDefaultAsync(ct);
            choices.Add((own.TemplateId, $"{name ?? own.TemplateId}（已停用，本计划继续使用）"));
        }

        TemplateChoices = choices;

        // Only the units this page names: the plan's, and ids posted back from its drop-downs.
        var named = (Plan?.Targets.Select(t => (Guid?)t.OrganisationId) ?? [])
            .Concat(Input.Units.Select(u => (Guid?)u))
            .Concat(Input.Projects.Select(p => Guid.TryParse(p.OrganisationId, out var g) ? g : (Guid?)null))
            .Append(Guid.TryParse(Amend.OrganisationId, out var amended) ? amended : null);
        UnitNames = await OrganisationNames.ForAsync(db, named, ct);
        return true;
    }

    private async Task LoadTargetsAsync(Guid planId, CancellationToken ct)
    {
        TargetCounts = await db.PlanTargets.Where(t => t.PlanId == planId).GroupBy(t => t.Kind).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var page = await PlanEndpoints.TargetRows(db, planId, TargetQuery).ToPageAsync(TargetPage, ct);
        Targets = page.Items;
        TargetPager = page with { Parameter = "tp" };
        var ids = Targets.Select(t => t.SelfEvaluationId).OfType<Guid>().ToList();
        TargetCases = (await db.SelfEvaluations.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.CaseId, s.Status }).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => (s.CaseId, SelfEvaluations.FormEndpoints.StatusLabel(registry, s.Status)));
    }
}

/// <summary>The plan form as typed: text, so that a wrong number is reported in Chinese with its field, not dropped by model binding.</summary>
internal sealed class PlanForm
{
    public string? FiscalYear { get; set; }

    public string? Title { get; set; }

    public string? NoticeNumber { get; set; }

    public string? Deadline { get; set; }

    public string? TemplateId { get; set; }

    public string? FundsWeight { get; set; }

    public string? FundsRule { get; set; }

    public List<BandRow> Bands { get; set; } = [];

    public string? IndicatorTotal { get; set; }

    public string? Excellent { get; set; }

    public string? Good { get; set; }

    public string? Pass { get; set; }

    /// <summary>Units covered with a 部门整体支出 self-evaluation, as ticked on the checkboxes of a district.</summary>
    public List<Guid> Units { get; set; } = [];

    /// <summary>
    /// The same for a province, where there are too many units for checkboxes: one unit per line (name,
    /// short name or 统一社会信用代码). Null when the page showed checkboxes.
    /// </summary>
    public string? UnitList { get; set; }

    public List<ProjectRow> Projects { get; set; } = [];

    public uint ExpectedVersion { get; set; }

    public static PlanForm Defaults(int fiscalYear)
    {
        var form = From(ScoringRules.Default);
        form.FiscalYear = fiscalYear.ToString(CultureInfo.InvariantCulture);
        return form;
    }

    public static PlanForm From(Plan plan)
    {
        var form = From(plan.Rules);
        form.FiscalYear = plan.FiscalYear.ToString(CultureInfo.InvariantCulture);
        form.Title = plan.Title;
        form.NoticeNumber = plan.NoticeNumber;
        form.Deadline = plan.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        form.TemplateId = plan.TemplateId;
        form.Units = plan.Targets.Where(t => t.Kind == EvaluationKind.DepartmentWide).Select(t => t.OrganisationId).ToList();
        form.Projects = plan.Targets.Where(t => t.Kind == EvaluationKind.Project)
            .Select(t => new ProjectRow { OrganisationId = t.OrganisationId.ToString(), Name = t.ProjectName, Budget = Text(t.ProjectBudget) }).ToList();
        form.ExpectedVersion = plan.RowVersion;
        return form;
    }

    /// <summary>
    /// 以上年计划为基础: the next fiscal year's form with the earlier plan's units, projects (without last year's
    /// budgets), indicator template, scoring rules and grade lines. The 文号 and the deadline are left blank:
    /// a new notice is issued each year and a copied deadline would already have passed.
    /// </summary>
    public static PlanForm NextYear(Plan previous, IReadOnlyList<PlanTarget> targets)
    {
        var form = From(previous.Rules);
        var year = previous.FiscalYear + 1;
        form.FiscalYear = year.ToString(CultureInfo.InvariantCulture);
        form.Title = previous.Title.Replace($"{previous.FiscalYear}年", $"{year}年", StringComparison.Ordinal);
        form.TemplateId = previous.TemplateId;
        form.Units = targets.Where(t => t.Kind == EvaluationKind.DepartmentWide).Select(t => t.OrganisationId).Distinct().ToList();
        form.Projects = targets.Where(t => t.Kind == EvaluationKind.Project)
            .Select(t => new ProjectRow { OrganisationId = t.OrganisationId.ToString(), Name = t.ProjectName }).ToList();
        return form;
    }

    private static PlanForm From(ScoringRules rules) => new()
    {
        TemplateId = IndicatorTemplates.Default.Id,
        FundsWeight = Text(rules.FundsWeight),
        FundsRule = rules.FundsRule.ToString(),
        Bands = rules.Bands.OrderByDescending(b => b.MinRate).Select(b => new BandRow { MinRatePercent = Text(b.MinRate * 100m), Points = Text(b.Points) }).ToList(),
        IndicatorTotal = Text(rules.IndicatorTotal),
        Excellent = Text(rules.Grades.Excellent),
        Good = Text(rules.Grades.Good),
        Pass = Text(rules.Grades.Pass),
    };

    /// <summary>Puts the covered units' names into <see cref="UnitList"/>, for the search form of a province.</summary>
    public void FillUnitList(IReadOnlyDictionary<Guid, string> names) =>
        UnitList = string.Join("\n", Units.Select(u => names.GetValueOrDefault(u, u.ToString())).Order(StringComparer.Ordinal));

    private string[] UnitLines() => (UnitList ?? "").Split('\n', StringSplitOptions.TrimEntries);

    /// <summary>Every unit the form names as text, to be resolved in one go before <see cref="ToInput"/>.</summary>
    public IEnumerable<string?> UnitTexts() => UnitLines().Concat(Projects.Select(p => p.OrganisationId));

    /// <summary>
    /// The form as the service's input. Problems of reading it go to <paramref name="errors"/>; the service's keys
    /// of the fields that could not be read (fiscalYear, deadline, scoring) go to <paramref name="unread"/>.
    /// </summary>
    public PlanInput ToInput(List<string> errors, IReadOnlyDictionary<string, PickedOrganisation> units, ISet<string> unread)
    {
        var year = Whole(FiscalYear, "评价年度", errors);
        if (year is null)
        {
            unread.Add("fiscalYear");
        }

        DateOnly? deadline = null;
        if (string.IsNullOrWhiteSpace(Deadline))
        {
            errors.Add("截止日期：请填写截止日期。");
        }
        else if (DateOnly.TryParseExact(Deadline.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            deadline = d;
        }
        else
        {
            errors.Add("截止日期：请按 2026-03-31 的格式填写。");
        }

        if (deadline is null)
        {
            unread.Add("deadline");
        }

        var before = errors.Count;

        var rule = Shared.EnumNames.TryParse<FundsRule>(FundsRule, out var r) ? r : Plans.FundsRule.Linear;
        var bands = new List<FundsBand>();
        for (var i = 0; i < Bands.Count; i++)
        {
            var band = Bands[i];
            if (string.IsNullOrWhiteSpace(band.MinRatePercent) && string.IsNullOrWhiteSpace(band.Points))
            {
                continue; // the blank rows the page offers for new bands
            }

            var min = Number(band.MinRatePercent, $"分档第{i + 1}行「执行率下限（%）」", errors, required: true);
            var points = Number(band.Points, $"分档第{i + 1}行「得分」", errors, required: true);
            if (min is { } m && points is { } p)
            {
                bands.Add(new FundsBand(Money.RoundRate(m / 100m), p));
            }
        }

        var rules = new ScoringRules
        {
            FundsWeight = Number(FundsWeight, "资金分值", errors, required: true) ?? 0m,
            FundsRule = rule,
            Bands = rule == Plans.FundsRule.Bands ? bands : [],
            IndicatorTotal = Number(IndicatorTotal, "指标总分值", errors, required: true) ?? 0m,
            Grades = new GradeBoundaries(
                Number(Excellent, "“优”分数线", errors, required: true) ?? 0m,
                Number(Good, "“良”分数线", errors, required: true) ?? 0m,
                Number(Pass, "“中”分数线", errors, required: true) ?? 0m),
        };
        if (errors.Count > before)
        {
            unread.Add("scoring"); // a number stood in for an unreadable one: the rules cannot be judged
        }

        var covered = new List<Guid>(Units);
        var lines = UnitLines();
        for (var i = 0; i < lines.Length; i++)
        {
            if (units.GetValueOrDefault(lines[i]) is { } picked)
            {
                if (picked.Error is { } error)
                {
                    errors.Add($"覆盖单位第{i + 1}行：{error}");
                }
                else
                {
                    covered.Add(picked.Id!.Value);
                }
            }
        }

        var targets = covered.Distinct().Select(u => new PlanTargetInput(u, EvaluationKind.DepartmentWide, null, null)).ToList();
        for (var i = 0; i < Projects.Count; i++)
        {
            var row = Projects[i];
            if (string.IsNullOrWhiteSpace(row.OrganisationId) && string.IsNullOrWhiteSpace(row.Name) && string.IsNullOrWhiteSpace(row.Budget))
            {
                continue;
            }

            var budget = Number(row.Budget, $"项目支出第{i + 1}行「项目预算（万元）」", errors, required: false);
            var unit = units.GetValueOrDefault(row.OrganisationId?.Trim() ?? "");
            if (unit?.Id is { } unitId)
            {
                targets.Add(new PlanTargetInput(unitId, EvaluationKind.Project, row.Name, budget));
                continue;
            }

            errors.Add($"项目支出第{i + 1}行「单位」：{unit?.Error ?? "请选择单位。"}");

            // Without a unit the row is not a target the service checks: the rest of it is checked here.
            errors.AddRange(PlanService.TargetProblems(EvaluationKind.Project, row.Name, budget, $"项目支出第{i + 1}行"));
        }

        return new PlanInput(year, Title, NoticeNumber, deadline, rules, TemplateId, targets);
    }

    internal static decimal? Number(string? text, string label, List<string> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add($"{label}：请填写。");
            }

            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        errors.Add($"{label}：「{text.Trim()}」不是数字。");
        return null;
    }

    private static int? Whole(string? text, string label, List<string> errors)
    {
        if (int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add($"{label}：请填写四位年份，例如 2025。");
        return null;
    }

    internal static string? Text(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture);
}

internal sealed class BandRow
{
    /// <summary>Typed as a percentage (95 for 95%); the rules keep a fraction.</summary>
    public string? MinRatePercent { get; set; }

    public string? Points { get; set; }
}

internal sealed class ProjectRow
{
    /// <summary>The unit's id from a drop-down, or its name typed into the search field of a province.</summary>
    public string? OrganisationId { get; set; }

    public string? Name { get; set; }

    public string? Budget { get; set; }
}

/// <summary>An amendment after publishing: a unit to add and/or a new deadline, with the reason.</summary>
internal sealed class AmendForm
{
    /// <summary>An id from the drop-down, or a typed name, short name or credit code.</summary>
    public string? OrganisationId { get; set; }

    public string? Kind { get; set; }

    public string? ProjectName { get; set; }

    public string? ProjectBudget { get; set; }

    public string? Deadline { get; set; }

    public string? Reason { get; set; }

    public (PlanTargetInput? Target, DateOnly? Deadline) ToInput(List<string> errors, PickedOrganisation unit)
    {
        DateOnly? deadline = null;
        if (!string.IsNullOrWhiteSpace(Deadline))
        {
            if (DateOnly.TryParseExact(Deadline.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                deadline = d;
            }
            else
            {
                errors.Add("新的截止日期：请按 2026-03-31 的格式填写。");
            }
        }

        PlanTargetInput? target = null;
        if (unit.Error is { } error)
        {
            errors.Add($"增加单位：{error}");
        }
        else if (unit.Id is { } org)
        {
            var kind = EvaluationKinds.Parse(Kind) ?? EvaluationKind.DepartmentWide;
            var budget = PlanForm.Number(ProjectBudget, "增加单位「项目预算（万元）」", errors, required: false);
            target = new PlanTargetInput(org, kind, ProjectName, budget);
        }

        return (target, deadline);
    }
}
