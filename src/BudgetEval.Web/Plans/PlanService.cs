using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Plans;

internal sealed record PlanTargetInput(Guid OrganisationId, EvaluationKind Kind, string? ProjectName, decimal? ProjectBudget)
{
    /// <summary>The project name is one line: it becomes the self-evaluation's title, its case's and its 待办's.</summary>
    public PlanTargetInput Normalised() => this with { ProjectName = TextInput.Line(ProjectName) };
}

internal sealed record PlanInput(int? FiscalYear, string? Title, string? NoticeNumber, DateOnly? Deadline, ScoringRules? Rules, string? TemplateId,
    IReadOnlyList<PlanTargetInput> Targets)
{
    /// <summary>As stored: the name, the 文号 and the project names are one line each.</summary>
    public PlanInput Normalised() => this with
    {
        Title = TextInput.Line(Title),
        NoticeNumber = TextInput.Line(NoticeNumber),
        Targets = Targets.Select(t => t.Normalised()).ToList(),
    };
}

internal sealed record PlanResult(FireStatus Status, Plan? Plan, IReadOnlyDictionary<string, string[]> Errors)
{
    public static PlanResult Ok(Plan plan) => new(FireStatus.Ok, plan, new Dictionary<string, string[]>());

    public static PlanResult Fail(FireStatus status, string message, string key = "") => new(status, null, new Dictionary<string, string[]> { [key] = [message] });
}

/// <summary>The bureau's plans: create, edit while a draft, publish once (one case per unit and kind), amend after.</summary>
internal sealed class PlanService(AppDbContext db, WorkflowEngine engine, NotificationWriter writer, ChinaClock china, TimeProvider clock)
{
    public const string AlreadyPublished = "该评价工作计划已发布，不能重复发布。发布后如需增加单位或调整截止日期，请使用“计划变更”。";

    public async Task<PlanResult> CreateAsync(PlanInput input, WorkflowActor actor, CancellationToken ct)
    {
        if (Denied(actor) is { } denied)
        {
            return denied;
        }

        input = input.Normalised();
        var template = await Admin.Templates.TemplateCatalog.FindSelfEvaluationAsync(db, input.TemplateId, ct);
        if (await ValidateAsync(input, template, ct) is { Count: > 0 } errors)
        {
            return new(FireStatus.Invalid, null, errors);
        }

        var now = clock.GetUtcNow();
        var plan = new Plan
        {
            Id = Guid.CreateVersion7(now),
            FiscalYear = input.FiscalYear!.Value,
            Title = input.Title!,
            NoticeNumber = input.NoticeNumber,
            Deadline = input.Deadline!.Value,
            Status = PlanStatus.Draft,
            Rules = input.Rules ?? ScoringRules.Default,
            TemplateId = template!.Id,
            Template = template.Groups, // a copy: later edits of the template leave this plan as it is
            CreatedAt = now,
            CreatedBy = actor.UserId,
        };
        plan.Targets.AddRange(input.Targets.Select(t => NewTarget(plan.Id, t, now)));
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        return PlanResult.Ok(plan);
    }

    public const string ChangedByOthers = "该评价工作计划已被他人修改，请刷新页面后重新填写。";

    /// <summary>
    /// Edits a draft plan as a whole (header, rules, template, covered units), against the row version
    /// the editor saw, so two officers editing at once never overwrite each other silently.
    /// </summary>
    public async Task<PlanResult> UpdateAsync(Guid planId, PlanInput input, uint expectedVersion, WorkflowActor actor, CancellationToken ct)
    {
        if (Denied(actor) is { } denied)
        {
            return denied;
        }

        var plan = await db.Plans.Include(p => p.Targets).SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return PlanResult.Fail(FireStatus.NotFound, "评价工作计划不存在。");
        }

        if (plan.RowVersion != expectedVersion)
        {
            return PlanResult.Fail(FireStatus.Conflict, ChangedByOthers);
        }

        if (plan.Status == PlanStatus.Published)
        {
            return PlanResult.Fail(FireStatus.Invalid, "计划已发布，不能再直接修改；如需增加单位或调整截止日期，请使用“计划变更”。");
        }

        input = input.Normalised();

        // A draft that keeps its template keeps the groups it copied, even if that template was edited or
        // retired since; choosing another one copies that one's groups as they are now (active ones only).
        var keeps = string.IsNullOrWhiteSpace(input.TemplateId) ? plan.TemplateId == (await Admin.Templates.TemplateCatalog.FindSelfEvaluationAsync(db, null, ct))?.Id
            : input.TemplateId.Trim() == plan.TemplateId;
        var template = keeps ? new IndicatorTemplate(plan.TemplateId, plan.TemplateId, plan.Template)
            : await Admin.Templates.TemplateCatalog.FindSelfEvaluationAsync(db, input.TemplateId, ct);
        if (await ValidateAsync(input, template, ct) is { Count: > 0 } errors)
        {
            return new(FireStatus.Invalid, null, errors);
        }

        var now = clock.GetUtcNow();
        plan.FiscalYear = input.FiscalYear!.Value;
        plan.Title = input.Title!;
        plan.NoticeNumber = input.NoticeNumber;
        plan.Deadline = input.Deadline!.Value;
        plan.Rules = input.Rules ?? ScoringRules.Default;
        plan.TemplateId = template!.Id;
        plan.Template = template.Groups;

        // A draft has no cases yet, so its covered units can simply be replaced.
        db.PlanTargets.RemoveRange(plan.Targets);
        var targets = input.Targets.Select(t => NewTarget(plan.Id, t, now)).ToList();
        db.PlanTargets.AddRange(targets);

        // Always write the plan row, so its row version moves (and is checked) even when only the units changed.
        db.Entry(plan).Property(p => p.Title).IsModified = true;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return PlanResult.Fail(FireStatus.Conflict, ChangedByOthers);
        }

        return PlanResult.Ok(plan);
    }

    /// <summary>
    /// Creates one self-evaluation and its 自评审核 case per covered unit and kind, notifying each unit through
    /// the engine's NotifyUnit effect, all in one transaction. The plan row is locked first, so two
    /// concurrent publishes cannot both pass the "not yet published" check.
    /// </summary>
    public async Task<PlanResult> PublishAsync(Guid planId, WorkflowActor actor, CancellationToken ct)
    {
        if (Denied(actor) is { } denied)
        {
            return denied;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await LockAsync(planId, ct) is not { } plan)
            {
                return PlanResult.Fail(FireStatus.NotFound, "评价工作计划不存在。");
            }

            if (plan.Status == PlanStatus.Published)
            {
                return PlanResult.Fail(FireStatus.Conflict, AlreadyPublished);
            }

            if (plan.Targets.Count == 0)
            {
                return PlanResult.Fail(FireStatus.Invalid, "计划尚未覆盖任何单位，不能发布。", "targets");
            }

            // Another plan of the year may already have started some of these self-evaluations.
            await LockYearAsync(plan.FiscalYear, ct);
            if (await StartedElsewhereAsync(plan, db.PlanTargets.Where(t => t.PlanId == plan.Id), ct) is { Count: > 0 } taken)
            {
                return new(FireStatus.Invalid, null, new Dictionary<string, string[]> { ["targets"] = [.. taken] });
            }

            var now = clock.GetUtcNow();
            var started = new Dictionary<string, string>();
            foreach (var target in plan.Targets)
            {
                var se = await StartCaseAsync(plan, target, actor, ct);
                started[NotificationWriter.CaseLink(se.CaseId!.Value)] = se.Title;
            }

            CombinedMails.PlanPublished(db, writer, plan, started, now);

            plan.Status = PlanStatus.Published;
            plan.PublishedAt = now;
            plan.PublishedBy = actor.UserId;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return PlanResult.Ok(plan);
        });
    }

    /// <summary>After publishing: add a unit (its case starts at once) and/or move the deadline (open cases follow); recorded as an amendment.</summary>
    public async Task<PlanResult> AmendAsync(Guid planId, PlanTargetInput? addTarget, DateOnly? newDeadline, string? reason, WorkflowActor actor, CancellationToken ct)
    {
        if (Denied(actor) is { } denied)
        {
            return denied;
        }

        addTarget = addTarget?.Normalised();
        reason = TextInput.Line(reason); // the amendment form's 变更原因 is one line
        if (addTarget is null && newDeadline is null)
        {
            return PlanResult.Fail(FireStatus.Invalid, "请填写要增加的单位或新的截止日期。"); // neither field in particular: under ""
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await LockAsync(planId, ct) is not { } plan)
            {
                return PlanResult.Fail(FireStatus.NotFound, "评价工作计划不存在。");
            }

            if (await AmendmentProblemsAsync(plan, addTarget, newDeadline, ct) is { Count: > 0 } problems)
            {
                return new(FireStatus.Invalid, null, problems);
            }

            var now = clock.GetUtcNow();
            var changes = new List<string>();
            IReadOnlyList<WorkflowInstance> moved = [];
            // The deadline first, so a unit added in the same amendment gets the new one.
            if (newDeadline is { } deadline && deadline != plan.Deadline)
            {
                changes.Add($"截止日期由{Shared.ChineseFormat.Date(plan.Deadline)}调整为{Shared.ChineseFormat.Date(deadline)}");
                plan.Deadline = deadline;
                var ids = plan.Targets.Where(t => t.SelfEvaluationId is not null).Select(t => t.SelfEvaluationId!.Value).ToList();

                // The open cases' plan deadline drives due dates, reminders and the 逾期 mark of later submissions;
                // an accepted self-evaluation keeps the deadline it was judged against.
                // Only those whose task moved are told: a case waiting on the bureau keeps its task's due date.
                (var openCases, moved) = await engine.RescheduleForPlanDeadlineAsync(ids, deadline, ct);
                var open = openCases.Select(i => i.SubjectId).ToList();
                await db.SelfEvaluations.Where(s => open.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.Deadline, deadline), ct);
            }

            if (addTarget is not null)
            {
                var target = NewTarget(plan.Id, addTarget, now);
                db.PlanTargets.Add(target); // explicitly: with its key already set, EF would take it for an existing row
                plan.Targets.Add(target);
                if (plan.Status == PlanStatus.Published)
                {
                    // Written first (the transaction still holds it) so the check below reads it like a publish does.
                    await LockYearAsync(plan.FiscalYear, ct);
                    await db.SaveChangesAsync(ct);
                    if (await StartedElsewhereAsync(plan, db.PlanTargets.Where(t => t.Id == target.Id), ct) is { Count: > 0 } taken)
                    {
                        return new(FireStatus.Invalid, null, new Dictionary<string, string[]> { ["targets"] = [.. taken] });
                    }

                    var se = await StartCaseAsync(plan, target, actor, ct);
                    CombinedMails.PlanPublished(db, writer, plan, new Dictionary<string, string> { [NotificationWriter.CaseLink(se.CaseId!.Value)] = se.Title }, now);
                }

                var unit = await db.Organisations.Where(o => o.Id == addTarget.OrganisationId).Select(o => o.Name).SingleAsync(ct);
                changes.Add($"增加{unit}（{EvaluationKinds.Label(addTarget.Kind)}{(addTarget.ProjectName is { } p ? "：" + p : string.Empty)}）");
            }

            if (changes.Count == 0)
            {
                return PlanResult.Fail(FireStatus.Invalid, "没有需要变更的内容。");
            }

            db.Add(new PlanAmendment
            {
                Id = Guid.CreateVersion7(now),
                PlanId = plan.Id,
                At = now,
                ByUserId = actor.UserId,
                ByName = actor.DisplayName,
                Description = string.Join("；", changes) + (reason is null ? string.Empty : $"。原因：{reason}"),
            });
            await db.SaveChangesAsync(ct);
            await TellMovedAsync(moved, plan.Deadline, reason, now, ct);
            await tx.CommitAsync(ct);
            return PlanResult.Ok(plan);
        });
    }

    /// <summary>
    /// Every problem of an amendment's readable parts against the plan as it stands, by field; nothing is written.
    /// A form with a field it could not read asks this, so that one answer names every problem.
    /// </summary>
    public async Task<Dictionary<string, string[]>> AmendmentProblemsAsync(Guid planId, PlanTargetInput? addTarget, DateOnly? newDeadline, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.Targets).SingleOrDefaultAsync(p => p.Id == planId, ct);
        return plan is null ? [] : await AmendmentProblemsAsync(plan, addTarget?.Normalised(), newDeadline, ct);
    }

    private async Task<Dictionary<string, string[]>> AmendmentProblemsAsync(Plan plan, PlanTargetInput? addTarget, DateOnly? newDeadline, CancellationToken ct)
    {
        var problems = new Dictionary<string, string[]>();

        // A typo such as 0202, 9999 or 2020 for 2026 would move every open case's due date: refused by name, as on creation.
        if (newDeadline is { } asked && (Shared.DateRange.Problem("新的截止日期", asked) ?? DeadlineTooEarly(plan.FiscalYear, asked)) is { } wrong)
        {
            problems["deadline"] = [wrong];
        }

        if (addTarget is not null && await TargetErrorsAsync(addTarget, plan.Targets, ct) is { Count: > 0 } errors)
        {
            problems["targets"] = [.. errors];
        }

        return problems;
    }

    /// <summary>
    /// Everyone in the units whose open self-evaluations moved is told the new deadline (截止日期调整), in the
    /// amendment's transaction. Written as multi-row statements: a province's plan moves 100,000 cases at once.
    /// </summary>
    private async Task TellMovedAsync(IReadOnlyList<WorkflowInstance> moved, DateOnly deadline, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        if (moved.Count == 0)
        {
            return;
        }

        var units = moved.Select(i => i.OrganisationId).Distinct().ToList();
        var people = (await db.Users.IgnoreQueryFilters().Where(u => units.Contains(u.OrganisationId))
                .Select(u => new { u.Id, u.OrganisationId }).ToListAsync(ct))
            .ToLookup(u => u.OrganisationId, u => u.Id);
        var due = Shared.ChineseFormat.Date(deadline);
        var comment = reason;
        var requests = moved.SelectMany(i => people[i.OrganisationId].Select(user => new NotificationRequest(user, NotificationEvent.DeadlineChanged,
            new NotificationFacts(i.Title) { CaseId = i.Id, Due = due, Comment = comment }))).ToList();
        await (await writer.BuildAsync(db, requests, now, ct, MailSummary.DeadlineChanges)).InsertAsync(db, ct);
    }

    /// <summary>How many clashes a refusal names one by one; a province's duplicate plan could clash on every line.</summary>
    public const int ShownClashes = 100;

    /// <summary>
    /// Queues, on every node, the writers that start self-evaluations of one fiscal year (publishes and
    /// amendments of any plan of that year), so two of them cannot both find a unit's year still free.
    /// Taken after the plan row lock, in every caller, so the two locks never wait on each other in a circle.
    /// </summary>
    private Task LockYearAsync(int fiscalYear, CancellationToken ct) =>
        db.Database.LockForTransactionAsync($"plan-self-evaluations:{fiscalYear}", ct);

    /// <summary>
    /// The given targets of <paramref name="plan"/> whose unit already has a self-evaluation of the same fiscal
    /// year, kind and project started by another plan, one Chinese message each (at most <see cref="ShownClashes"/>,
    /// then how many more). Compared in SQL: a province's plan has 120,000 targets.
    /// </summary>
    private async Task<List<string>> StartedElsewhereAsync(Plan plan, IQueryable<PlanTarget> targets, CancellationToken ct)
    {
        var clashes =
            from t in targets
            join s in db.SelfEvaluations on t.OrganisationId equals s.OrganisationId
            where s.FiscalYear == plan.FiscalYear && s.PlanId != null && s.PlanId != plan.Id && s.Kind == t.Kind && s.ProjectName == t.ProjectName
            join o in db.Organisations on t.OrganisationId equals o.Id
            join p in db.Plans on s.PlanId equals p.Id
            orderby o.Name, t.Kind, t.ProjectName, p.CreatedAt
            select new { Unit = o.Name, t.Kind, t.ProjectName, p.Title, p.NoticeNumber };
        var shown = await clashes.Take(ShownClashes + 1).ToListAsync(ct);
        var messages = shown.Take(ShownClashes).Select(c =>
            $"{c.Unit}的{plan.FiscalYear}年度{EvaluationKinds.Label(c.Kind)}{(c.ProjectName is null ? string.Empty : "（" + c.ProjectName + "）")}"
            + $"已由评价工作计划「{c.Title}」{(c.NoticeNumber is null ? string.Empty : "（" + c.NoticeNumber + "）")}立项，不能重复立项。").ToList();
        if (shown.Count > ShownClashes)
        {
            messages.Add($"另有 {await clashes.CountAsync(ct) - ShownClashes} 个自评事项同样已由其他计划立项。");
        }

        return messages;
    }

    /// <summary>Locks the plan row for the transaction, so publishes and amendments of one plan run one after another.</summary>
    private async Task<Plan?> LockAsync(Guid planId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM budgeteval.plans WHERE \"Id\" = {planId} FOR UPDATE", ct);
        return await db.Plans.Include(p => p.Targets).SingleOrDefaultAsync(p => p.Id == planId, ct);
    }

    private async Task<SelfEvaluation> StartCaseAsync(Plan plan, PlanTarget target, WorkflowActor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var unit = await db.Organisations.Where(o => o.Id == target.OrganisationId).Select(o => o.Name).SingleAsync(ct);
        var se = new SelfEvaluation
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = target.OrganisationId,
            FiscalYear = plan.FiscalYear,
            Title = SelfEvaluationTitle(plan.FiscalYear, target.Kind, unit, target.ProjectName),
            Deadline = plan.Deadline,
            Status = "draft",
            PlanId = plan.Id,
            Kind = target.Kind,
            ProjectName = target.ProjectName,
            FundsBudget = target.ProjectBudget,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await HeaderFields.PrefillAsync(db, se, ct); // 部门职能概述 and 所属独立核算单位个数 from the unit's previous year
        db.SelfEvaluations.Add(se);
        var instance = await engine.StartAsync(SelfEvaluationService.WorkflowId, SelfEvaluationSubject.Type, se.Id, se.Title, se.OrganisationId,
            se.Deadline, actor, ct, then: ["NotifyUnit"], startLabel: "发布评价工作计划");
        se.CaseId = instance.Id;
        se.Status = instance.State;
        target.SelfEvaluationId = se.Id;
        return se;
    }

    /// <summary>
    /// A plan's self-evaluation is called 「2025年度…部门整体支出绩效自评」 or 「2025年度<i>project</i>项目支出绩效自评」;
    /// a project whose name already ends in 项目 (学前教育普惠资助项目) does not get a second one.
    /// </summary>
    public static string SelfEvaluationTitle(int fiscalYear, EvaluationKind kind, string unitName, string? projectName) =>
        kind != EvaluationKind.Project ? $"{fiscalYear}年度{unitName}部门整体支出绩效自评"
        : projectName is not null && projectName.EndsWith("项目", StringComparison.Ordinal) ? $"{fiscalYear}年度{projectName}支出绩效自评"
        : $"{fiscalYear}年度{projectName}项目支出绩效自评";

    private static PlanTarget NewTarget(Guid planId, PlanTargetInput t, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        PlanId = planId,
        OrganisationId = t.OrganisationId,
        Kind = t.Kind,
        ProjectName = t.Kind == EvaluationKind.Project ? TextInput.Line(t.ProjectName) : null,
        ProjectBudget = t.Kind == EvaluationKind.Project ? Money.Round(t.ProjectBudget) : null,
    };

    /// <summary>
    /// A year's spending is self-evaluated after the year has ended: a deadline inside the fiscal year (a typo such as
    /// 2020 for 2026) would make every case overdue at once and send overdue reminders and escalations.
    /// </summary>
    internal static string? DeadlineTooEarly(int fiscalYear, DateOnly deadline) =>
        deadline.Year <= fiscalYear ? $"不能早于{fiscalYear + 1}年1月1日（{fiscalYear}年度结束后才开展自评），填写的是{Shared.ChineseFormat.Date(deadline)}。" : null;

    public static PlanResult? Denied(WorkflowActor actor) =>
        actor.IsInRole(Roles.FinanceOfficer) && actor.OrganisationKind == OrganisationKind.FinanceBureau
            ? null
            : PlanResult.Fail(FireStatus.Forbidden, "只有财政局绩效管理员可以管理评价工作计划。");

    /// <summary>Every problem of a plan's input, by field; nothing is read or written beyond the units it names.</summary>
    public async Task<Dictionary<string, string[]>> ValidateAsync(PlanInput input, CancellationToken ct) =>
        await ValidateAsync(input, await Admin.Templates.TemplateCatalog.FindSelfEvaluationAsync(db, input.TemplateId, ct), ct);

    /// <summary>As above, <paramref name="template"/> being what the input's template id came to (null: none active of that id).</summary>
    private async Task<Dictionary<string, string[]>> ValidateAsync(PlanInput input, IndicatorTemplate? template, CancellationToken ct)
    {
        input = input.Normalised(); // the limits are on what is stored
        var errors = new Dictionary<string, string[]>();
        if (!Shared.DateRange.IsYear(input.FiscalYear))
        {
            errors["fiscalYear"] = ["请填写有效的评价年度。"];
        }
        else if (input.FiscalYear > china.Today(clock).Year)
        {
            // A year's spending is evaluated once it has begun (usually after it ends): a later year is a typo (2027 for 2025).
            errors["fiscalYear"] = [$"评价年度不能晚于今年（{china.Today(clock).Year}年），填写的是{input.FiscalYear}年。"];
        }

        if (input.Title is null || input.Title.Length > 300)
        {
            errors["title"] = ["请填写计划名称（不超过 300 字）。"];
        }

        if (input.NoticeNumber is { Length: > 100 })
        {
            errors["noticeNumber"] = ["文号不超过 100 字。"];
        }

        if (input.Deadline is null)
        {
            errors["deadline"] = ["请填写截止日期。"];
        }
        else if (Shared.DateRange.Problem("截止日期", input.Deadline) is { } outOfRange)
        {
            errors["deadline"] = [outOfRange];
        }
        else if (Shared.DateRange.IsYear(input.FiscalYear) && DeadlineTooEarly(input.FiscalYear!.Value, input.Deadline.Value) is { } early)
        {
            errors["deadline"] = [early];
        }

        if (template is null)
        {
            var offered = await Admin.Templates.TemplateCatalog.SelfEvaluationAsync(db, ct);
            errors["templateId"] = [$"指标模板不存在或已停用，只能是：{string.Join("、", offered.Select(t => $"{t.Id}（{t.Name}）"))}。"];
        }

        if (input.Rules?.Problems() is { Count: > 0 } problems)
        {
            errors["scoring"] = [.. problems];
        }

        var seen = new List<PlanTarget>();
        var targetErrors = new List<string>();
        foreach (var t in input.Targets)
        {
            if (await TargetErrorsAsync(t, seen, ct) is { Count: > 0 } e)
            {
                targetErrors.AddRange(e);
            }
            else
            {
                seen.Add(NewTarget(Guid.Empty, t, DateTimeOffset.UnixEpoch));
            }
        }

        if (targetErrors.Count > 0)
        {
            errors["targets"] = [.. targetErrors];
        }

        return errors;
    }

    /// <summary>Every problem of one target: its unit, its project's name and budget, and whether <paramref name="existing"/> has it already.</summary>
    private async Task<List<string>> TargetErrorsAsync(PlanTargetInput t, IEnumerable<PlanTarget> existing, CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == t.OrganisationId, ct);
        var errors = new List<string>();
        var usable = org is { Kind: OrganisationKind.BudgetUnit, IsActive: true };
        if (!usable)
        {
            errors.Add("所选单位不存在或不是在用的预算单位。");
        }

        errors.AddRange(TargetProblems(t.Kind, t.ProjectName, t.ProjectBudget, org?.Name ?? "所选单位"));
        if (errors.Count > 0)
        {
            return errors;
        }

        var name = t.Kind == EvaluationKind.Project ? TextInput.Line(t.ProjectName) : null;
        if (existing.Any(e => e.OrganisationId == t.OrganisationId && e.Kind == t.Kind && e.ProjectName == name))
        {
            errors.Add($"{org!.Name}的{EvaluationKinds.Label(t.Kind)}{(name is null ? string.Empty : "（" + name + "）")}重复。");
        }

        return errors;
    }

    /// <summary>
    /// What is wrong with a target apart from its unit, each message led by <paramref name="who"/> (the unit's name,
    /// or where the form has it when the unit itself is missing), so a form can report these with its own unit error.
    /// </summary>
    public static IEnumerable<string> TargetProblems(EvaluationKind kind, string? projectName, decimal? budget, string who)
    {
        projectName = TextInput.Line(projectName);
        if (kind == EvaluationKind.Project && (projectName is null || projectName.Length > 300))
        {
            yield return $"{who}：项目支出自评须填写项目名称。";
        }

        if (budget is < 0)
        {
            yield return $"{who}：项目预算不能为负数。";
        }
    }
}
