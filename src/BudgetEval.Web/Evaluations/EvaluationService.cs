using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

internal sealed record TargetInput(Guid? OrganisationId, string? Kind, string? ProjectName, string? Reason, decimal? Budget)
{
    /// <summary>The project name and the 选定理由 are one line each (the name becomes the evaluation's title, its case's and its 待办's).</summary>
    public TargetInput Normalised() => this with { Kind = TextInput.Line(Kind), ProjectName = TextInput.Line(ProjectName), Reason = TextInput.Line(Reason) };
}

internal sealed record Candidate(Guid OrganisationId, string UnitName, EvaluationKind Kind, string? ProjectName, decimal? Budget, string Reason);

/// <summary>
/// A self-evaluation proposed for external evaluation, with which rules proposed it (decided in SQL by
/// <see cref="EvaluationService.ProposeAsync"/>); <see cref="ToCandidate"/> says so in Chinese.
/// </summary>
internal sealed record ProposalRow(Guid OrganisationId, string UnitName, EvaluationKind Kind, string? ProjectName, decimal? Budget,
    bool Largest, decimal? LowRate, string? PoorGrade, bool Returned)
{
    public Candidate ToCandidate()
    {
        var reasons = new List<string>();
        if (Largest)
        {
            reasons.Add($"预算规模较大（{Budget:0.00}万元）");
        }

        if (LowRate is { } rate)
        {
            reasons.Add($"预算执行率偏低（{Money.Percent(rate)}）");
        }

        if (PoorGrade is { } grade)
        {
            reasons.Add($"自评等级为{grade}");
        }

        if (Returned)
        {
            reasons.Add("自评被退回修改");
        }

        return new Candidate(OrganisationId, UnitName, Kind, ProjectName, Budget, string.Join("；", reasons));
    }
}

internal sealed record CommissionInput(Guid? FirmId, DateOnly? ReportDueDate, string? TemplateKey);

internal sealed record MemberInput(string? Name, bool IsLead, string? Title, bool NoConflict, string? Declaration)
{
    /// <summary>Name and 职务 are one line each, the declaration is a text area.</summary>
    public MemberInput Normalised() => this with { Name = TextInput.Line(Name), Title = TextInput.Line(Title), Declaration = TextInput.Block(Declaration) };
}

/// <summary>
/// One row's change. <paramref name="NotApplicable"/> null leaves the mark as it is; <paramref name="KeepScore"/> and
/// <paramref name="KeepNote"/> say the caller left 得分 / 评分说明 out (the API), so they keep their values.
/// </summary>
internal sealed record ScoreInput(string Level1, string Level3, decimal? Score, string? Note, bool? NotApplicable = null, string? MovedTo = null,
    bool KeepScore = false, bool KeepNote = false);

/// <summary>The report form; <paramref name="KeepNumber"/> / <paramref name="KeepDate"/>: the API caller left the field out.</summary>
internal sealed record ReportInput(Dictionary<string, string?>? Sections, string? ReportNumber, DateOnly? ReportDate, bool KeepNumber = false, bool KeepDate = false);

internal sealed record CommentInput(int No, string? Comment, bool Disputed);

internal sealed record AnswerInput(int No, string? Answer);

internal sealed record EvaluationResult(FireStatus Status, Evaluation? Evaluation, IReadOnlyList<string> Errors)
{
    public static EvaluationResult Ok(Evaluation e) => new(FireStatus.Ok, e, []);

    public static EvaluationResult Fail(FireStatus status, params string[] errors) => new(status, null, errors);

    /// <summary>A save without the version it read: a malformed request (400 under this field), nothing written.</summary>
    public string? MissingField { get; init; }
}

/// <summary>
/// The use cases of an external evaluation, shared by the API, the pages and the demo seed. State changes
/// go through the engine; content edits are allowed only to the party whose turn it is, in its states.
/// </summary>
internal sealed class EvaluationService(AppDbContext db, WorkflowEngine engine, TimeProvider clock, Shared.ChinaClock china)
{
    public const string WorkflowId = "external-evaluation";

    /// <summary>Below this execution rate a self-evaluated unit is proposed for external evaluation.</summary>
    private const decimal LowExecutionRate = 0.8m;

    /// <summary>
    /// Candidates from the fiscal year's self-evaluations: the three largest budgets, execution below 80%,
    /// grade 中/差 (as frozen with the submitted version), or returned by the bureau. Units already selected
    /// for the year are left out. Chosen in SQL and read a page at a time: a province's year has 120,000
    /// self-evaluations, and computing each one's score on every visit took 13 s.
    /// </summary>
    public async Task<IQueryable<ProposalRow>> ProposeAsync(int fiscalYear, CancellationToken ct)
    {
        var year = db.SelfEvaluations.AsNoTracking().Where(s => s.FiscalYear == fiscalYear);
        var largest = await year.Where(s => (s.FundsBudget ?? s.TotalBudget) != null)
            .OrderByDescending(s => s.FundsBudget ?? s.TotalBudget).ThenBy(s => s.Id).Select(s => s.Id).Take(3).ToListAsync(ct);

        // Each rule once, in SQL: the rate rounded as Money.RoundRate (PostgreSQL's round is half away from zero).
        return year
            .Select(s => new
            {
                s.Id,
                s.OrganisationId,
                s.Kind,
                s.ProjectName,
                Budget = s.FundsBudget ?? s.TotalBudget,
                Largest = largest.Contains(s.Id),
                Rate = (s.FundsBudget ?? s.TotalBudget) > 0m && s.FundsExecuted != null
                    ? Math.Round((s.FundsExecuted.Value - (s.FundsUpperTransfer ?? 0m)) / (s.FundsBudget ?? s.TotalBudget)!.Value, 4)
                    : (decimal?)null,
                PoorGrade = (s.Status == "accepted" || s.Status == "bureau_review") && (s.SubmittedGrade == "中" || s.SubmittedGrade == "差")
                    ? s.SubmittedGrade : null,
                Returned = s.Status == "returned",
            })
            .Where(r => r.Largest || r.Rate < LowExecutionRate || r.PoorGrade != null || r.Returned)
            .Where(r => !db.Evaluations.Any(e => e.FiscalYear == fiscalYear && e.OrganisationId == r.OrganisationId && e.ProjectName == r.ProjectName))
            .OrderBy(r => r.Budget == null).ThenByDescending(r => r.Budget).ThenBy(r => r.Id)
            .Select(r => new ProposalRow(r.OrganisationId, db.Organisations.Where(o => o.Id == r.OrganisationId).Select(o => o.Name).First(),
                r.Kind, r.ProjectName, r.Budget, r.Largest, r.Rate < LowExecutionRate ? r.Rate : null, r.PoorGrade, r.Returned));
    }

    /// <summary>The finance officer's selection list: one evaluation (and case, waiting for the lead's approval) per target.</summary>
    public async Task<(IReadOnlyList<Evaluation> Created, IReadOnlyDictionary<string, string[]> Errors, FireStatus Status)> SelectAsync(
        int? fiscalYear, IReadOnlyList<TargetInput> targets, WorkflowActor actor, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.FinanceOfficer) || actor.OrganisationKind != OrganisationKind.FinanceBureau)
        {
            return ([], new Dictionary<string, string[]> { [string.Empty] = ["只有财政局绩效管理员可以选定评价对象。"] }, FireStatus.Forbidden);
        }

        // Two selections of one year at once would both find the unit free: they take turns (any node).
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.LockForTransactionAsync($"evaluation-selection:{fiscalYear}", ct);
            var result = await SelectLockedAsync(fiscalYear, targets, actor, ct);
            if (result.Status == FireStatus.Ok)
            {
                await tx.CommitAsync(ct);
            }

            return result;
        });
    }

    private async Task<(IReadOnlyList<Evaluation> Created, IReadOnlyDictionary<string, string[]> Errors, FireStatus Status)> SelectLockedAsync(
        int? fiscalYear, IReadOnlyList<TargetInput> targets, WorkflowActor actor, CancellationToken ct)
    {
        targets = targets.Select(t => t?.Normalised()!).ToList();
        var errors = new Dictionary<string, string[]>();
        if (!Shared.DateRange.IsYear(fiscalYear))
        {
            errors["fiscalYear"] = ["请填写年度。"];
        }
        else if (fiscalYear > china.Today(clock).Year)
        {
            // A year's spending is evaluated after it: a later year is a typo (the register's rule, FindingRegister.Validate).
            errors["fiscalYear"] = [$"「年度」不能晚于本年度（{china.Today(clock).Year}）。"];
        }

        if (targets.Count == 0)
        {
            errors["targets"] = ["请至少选择一个评价对象。"];
        }

        var unitIds = targets.Select(t => t.OrganisationId).OfType<Guid>().Distinct().ToList();
        var units = await db.Organisations.Where(o => unitIds.Contains(o.Id) && o.Kind == OrganisationKind.BudgetUnit && o.IsActive).ToDictionaryAsync(o => o.Id, ct);

        // A unit's spending of a year is evaluated once: again only after the earlier selection was 不予评价.
        var taken = (await db.Evaluations.Where(e => e.FiscalYear == fiscalYear && unitIds.Contains(e.OrganisationId) && e.Status != "dropped")
                .Select(e => new { e.OrganisationId, e.Kind, e.ProjectName, e.Title }).ToListAsync(ct))
            .GroupBy(e => (e.OrganisationId, e.Kind, e.ProjectName)) // duplicates from before this rule must not break it
            .ToDictionary(g => g.Key, g => g.First().Title);
        var chosen = new HashSet<(Guid, EvaluationKind, string?)>();
        for (var i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var problems = new List<string>();
            if (t.OrganisationId is not { } org || !units.ContainsKey(org))
            {
                problems.Add("请选择有效的预算单位。");
            }

            var kind = EvaluationKinds.Parse(t.Kind);
            if (kind is null)
            {
                // Its own key, so the client sees which field of the target is wrong.
                errors[$"targets[{i}].kind"] = [$"评价类型（kind）「{t.Kind}」无效，应为 DepartmentWide（部门整体支出）或 Project（项目支出）。"];
            }
            else if (kind == EvaluationKind.Project && string.IsNullOrWhiteSpace(t.ProjectName))
            {
                problems.Add("项目支出评价须填写项目名称。");
            }

            if (string.IsNullOrWhiteSpace(t.Reason))
            {
                problems.Add("请填写选定理由。");
            }

            if (problems.Count == 0 && kind is not null)
            {
                var key = (t.OrganisationId!.Value, kind!.Value, kind == EvaluationKind.Project ? t.ProjectName : null);
                if (taken.TryGetValue(key, out var earlier))
                {
                    problems.Add($"「{earlier}」已选定，不能重复选定。");
                }
                else if (!chosen.Add(key))
                {
                    problems.Add("与前面的评价对象重复。");
                }
            }

            if (problems.Count > 0)
            {
                errors[$"targets[{i}]"] = [.. problems];
            }
        }

        if (errors.Count > 0)
        {
            return ([], errors, FireStatus.Invalid);
        }

        var now = clock.GetUtcNow();
        var selves = (await db.SelfEvaluations.AsNoTracking().Where(s => s.FiscalYear == fiscalYear && unitIds.Contains(s.OrganisationId))
                .Select(s => new { s.OrganisationId, s.Kind, s.ProjectName, s.UpdatedAt, Figures = new SelfEvaluationFigures(s.FundsBudget, s.FundsExecuted, s.FundsUpperTransfer, s.SubmittedGrade) })
                .ToListAsync(ct))
            .GroupBy(s => (s.OrganisationId, s.Kind, s.ProjectName)).ToDictionary(g => g.Key, g => g.MaxBy(s => s.UpdatedAt)!.Figures);
        var created = new List<Evaluation>();
        foreach (var t in targets)
        {
            var unit = units[t.OrganisationId!.Value];
            var kind = EvaluationKinds.Parse(t.Kind)!.Value;
            var project = kind == EvaluationKind.Project ? t.ProjectName : null;
            var e = new Evaluation
            {
                Id = Guid.CreateVersion7(now),
                OrganisationId = unit.Id,
                FiscalYear = fiscalYear!.Value,
                Kind = kind,
                ProjectName = project,
                Reason = t.Reason!,
                Budget = Money.Round(t.Budget),
                Title = project is null ? $"{fiscalYear}年度{unit.Name}部门整体支出绩效评价" : $"{fiscalYear}年度{unit.Name}“{project}”项目支出绩效评价",
                Status = "selected",
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Evaluations.Add(e);
            var basis = SelectionBasis.Of(e.Budget, selves.GetValueOrDefault((unit.Id, kind, project)));
            var instance = await engine.StartAsync(WorkflowId, EvaluationSubject.Type, e.Id, e.Title, unit.Id, null, actor, ct, ["NotifyBureau"], "选定评价对象",
                basis.Describe(e.Reason));
            e.CaseId = instance.Id;
            e.Status = instance.State;
            created.Add(e);
        }

        await db.SaveChangesAsync(ct);
        return (created, new Dictionary<string, string[]>(), FireStatus.Ok);
    }

    /// <summary>Fires an action of the evaluation's case; without an expected version the current one is used (the pages send theirs).</summary>
    public async Task<FireResult> FireAsync(Guid id, string action, WorkflowActor actor, string? comment, int? expectedVersion, CancellationToken ct,
        string? idempotencyKey = null)
    {
        var caseId = await db.Evaluations.Where(e => e.Id == id).Select(e => e.CaseId).SingleOrDefaultAsync(ct);
        if (caseId is not { } c)
        {
            return FireResult.NotFound();
        }

        var version = expectedVersion ?? await db.WorkflowInstances.Where(i => i.Id == c).Select(i => i.Version).SingleAsync(ct);
        var result = await engine.FireAsync(c, action, actor, comment, version, idempotencyKey, ct);
        if (result.Status == FireStatus.Conflict && expectedVersion is { } sent
            && await db.WorkflowInstances.Where(i => i.Id == c).Select(i => (int?)i.Version).SingleOrDefaultAsync(ct) is { } current && current != sent)
        {
            // Clients mistook the evaluation's row version (version) for the case's: say which number is expected.
            return FireResult.Conflict($"expectedVersion 应为评价事项的当前版本 {current}（GET /api/evaluations/{id} 返回的 caseVersion，不是 version），您提供的是 {sent}。请刷新后重试。");
        }

        return result;
    }

    /// <summary>The bureau names the firm, the report due date and the template, then hands the case to the firm.</summary>
    public async Task<EvaluationResult> CommissionAsync(Guid id, CommissionInput input, WorkflowActor actor, CancellationToken ct)
    {
        var firm = input.FirmId is { } f ? await db.Organisations.SingleOrDefaultAsync(o => o.Id == f && o.Kind == OrganisationKind.EvaluationFirm && o.IsActive, ct) : null;
        var template = await Admin.Templates.TemplateCatalog.FindEvaluationAsync(db, input.TemplateKey, ct); // active ones only
        var saved = await EditAsync(id, actor, Party.Bureau, ["commissioning"], e =>
        {
            var errors = new List<string>();
            if (firm is null)
            {
                errors.Add("请选择有效的评价机构。");
            }

            // Today as in Beijing: before 08:00 there the UTC date is still yesterday's.
            if (input.ReportDueDate is not { } due)
            {
                errors.Add("请填写报告提交期限。"); // not "须晚于今天": nothing was typed
            }
            else if (due <= china.Today(clock))
            {
                errors.Add("报告提交期限须晚于今天。");
            }
            else if (Shared.DateRange.Problem("报告提交期限", due) is { } outOfRange)
            {
                errors.Add(outOfRange);
            }

            // Commissioned before (更换评价机构): the table keeps its template and the scores entered so far, which the
            // new firm reviews and takes over; a template retired since does not matter then.
            var recommission = e.Rows.Count > 0;
            if (recommission && input.TemplateKey is { } key && key != e.TemplateKey)
            {
                errors.Add("更换评价机构后不能更换评价指标模板：评分表沿用原模板及已有评分，由新的评价机构复核。");
            }
            else if (!recommission && template is null)
            {
                errors.Add("评价指标模板不存在或已停用，请重新选择。");
            }

            if (errors.Count > 0)
            {
                return errors;
            }

            if (e.FirmId is { } previous && previous != firm!.Id)
            {
                FirmHandover.Release(e); // a version-1 case moved back by 调整状态: the old team leaves as in version 2
            }

            e.FirmId = firm!.Id;
            e.ReportDueDate = input.ReportDueDate;
            if (!recommission)
            {
                e.TemplateKey = template!.Key;
                e.Groups = template.Groups; // copied, as the rows: a later edit of the template leaves this evaluation as it is
                e.Rows = [.. template.Rows];
            }

            return [];
        }, ct);
        if (saved.Status != FireStatus.Ok)
        {
            return saved;
        }

        var fired = await FireAsync(id, "commission", actor, null, null, ct);
        return fired.Succeeded ? await ReloadAsync(id, ct) : new EvaluationResult(fired.Status, null, fired.Errors);
    }

    /// <summary>The firm's 主评人 adds a member with their declaration; a declared conflict keeps them off the team.</summary>
    public async Task<EvaluationResult> AddMemberAsync(Guid id, MemberInput input, WorkflowActor actor, CancellationToken ct)
    {
        var isLead = await db.Users.AnyAsync(u => u.Id == actor.UserId && u.IsLeadEvaluator, ct);
        input = input.Normalised();
        return await EditAsync(id, actor, Party.Firm, ["drafting", "final_report"], e =>
        {
            if (!isLead)
            {
                return ["只有主评人可以确定评价组成员。"];
            }

            if (input.Name is null)
            {
                return ["请填写成员姓名。"];
            }

            // An unticked box with nothing declared is a forgotten tick, not a declared conflict: say which.
            if (!input.NoConflict)
            {
                return [input.Declaration is null
                    ? "请勾选「本人声明与评价对象不存在利益冲突」；如存在利益冲突，请在「声明内容」中说明（存在利益冲突的人员不能加入评价组）。"
                    : $"{input.Name}申报与评价对象存在利益冲突，不能加入评价组。"];
            }

            var team = e.Team;
            if (team.Any(m => m.Name == input.Name))
            {
                return [$"{input.Name}已在评价组中。"];
            }

            if (input.IsLead && team.Any(m => m.IsLead))
            {
                return ["评价组已有主评人。"];
            }

            var declaration = input.Declaration ?? $"本人{input.Name}承诺与{e.Title}的评价对象不存在利益冲突。";
            team.Add(new TeamMember(input.Name, input.IsLead, input.Title, declaration, clock.GetUtcNow(), actor.DisplayName));
            e.Team = team;
            return [];
        }, ct);
    }

    /// <summary>The 主评人 takes a member off the team (entered by mistake, or no longer on the job); their declaration goes with them.</summary>
    public async Task<EvaluationResult> RemoveMemberAsync(Guid id, string? name, WorkflowActor actor, CancellationToken ct)
    {
        var isLead = await db.Users.AnyAsync(u => u.Id == actor.UserId && u.IsLeadEvaluator, ct);
        name = TextInput.Line(name);
        return await EditAsync(id, actor, Party.Firm, ["drafting", "final_report"], e =>
        {
            if (!isLead)
            {
                return ["只有主评人可以确定评价组成员。"];
            }

            var team = e.Team;
            if (team.RemoveAll(m => m.Name == name) == 0)
            {
                return [$"评价组中没有「{name}」。"];
            }

            e.Team = team;
            return [];
        }, ct);
    }

    /// <summary>
    /// Scores and 评分说明 by row. A row marked not applicable gives its weight to the named row (remembered in
    /// <see cref="ScoreRow.MovedWeight"/>); marked again with another receiver it moves that weight on; un-marked
    /// it takes it back. Fields a caller leaves out (<see cref="ScoreInput.KeepScore"/>, <see cref="ScoreInput.KeepNote"/>,
    /// NotApplicable null) keep their values. With <paramref name="expectedVersion"/> (the page always sends it)
    /// a table changed since it was read is refused, so nobody's work is overwritten unseen.
    /// </summary>
    /// <paramref name="versionRequired"/> false is the page's form (it always carries the version; a post without one is
    /// checked as before); the API always needs <paramref name="expectedVersion"/>.
    public Task<EvaluationResult> SaveScoresAsync(Guid id, IReadOnlyList<ScoreInput> scores, uint? expectedVersion, WorkflowActor actor, CancellationToken ct,
        bool versionRequired = true) =>
        EditAsync(id, actor, Party.Firm, ["drafting", "final_report"], e =>
        {
            var rows = e.Rows;
            // Only for rows marked not applicable before MovedWeight was recorded: those evaluations predate
            // editable templates, so the built-in template of their key is the one they were commissioned with.
            var template = EvaluationTemplates.Find(e.TemplateKey);
            var errors = new List<string>();
            var reweighed = new HashSet<int>();
            foreach (var s in scores)
            {
                var i = rows.FindIndex(r => r.Level1 == s.Level1 && r.Level3 == s.Level3);
                if (i < 0)
                {
                    errors.Add($"指标「{s.Level3}」不在评分表中。");
                    continue;
                }

                var row = rows[i];
                var note = s.KeepNote ? row.Note : TextInput.Line(s.Note); // the page's 评分说明 is one line
                if (s.NotApplicable == true)
                {
                    if (!s.KeepScore && s.Score is > 0m)
                    {
                        errors.Add($"「{s.Level3}」不适用，得分应为 0。");
                        continue;
                    }

                    var target = TextInput.Line(s.MovedTo) ?? (row.NotApplicable ? row.MovedTo : null);
                    var to = rows.FindIndex(r => r.Level3 == target && !r.NotApplicable);
                    if (to < 0 || to == i)
                    {
                        errors.Add($"「{s.Level3}」不适用时须选择接收分值的指标（「movedTo」）。");
                        continue;
                    }

                    var weight = row.NotApplicable ? MovedWeight(row, template) : row.Weight;
                    if (weight is null)
                    {
                        errors.Add($"「{s.Level3}」原分值无法确定，请通过导入评分表调整分值。");
                        continue;
                    }

                    if (row.NotApplicable && row.MovedTo != rows[to].Level3)
                    {
                        // Moved again: the earlier receiver gives the points back.
                        var from = rows.FindIndex(r => r.Level3 == row.MovedTo && !r.NotApplicable);
                        if (from < 0)
                        {
                            errors.Add($"「{s.Level3}」原先接收分值的指标「{row.MovedTo}」不在评分表中，请通过导入评分表调整分值。");
                            continue;
                        }

                        rows[from] = rows[from] with { Weight = rows[from].Weight - weight.Value };
                        reweighed.Add(from);
                    }

                    if (!row.NotApplicable || row.MovedTo != rows[to].Level3)
                    {
                        rows[to] = rows[to] with { Weight = rows[to].Weight + weight.Value };
                        reweighed.Add(to);
                    }

                    // The automatic 评分说明 follows the receiver; one the firm wrote for the not-applicable row stays.
                    var written = s.KeepNote && !row.NotApplicable ? null : note;
                    written = written == AutoNote(row.MovedTo) ? null : written;
                    rows[i] = row with { Weight = 0m, NotApplicable = true, MovedTo = rows[to].Level3, MovedWeight = weight, Score = 0m, Note = written ?? AutoNote(rows[to].Level3) };
                    continue;
                }

                var restored = row;
                if (s.NotApplicable == false && row.NotApplicable)
                {
                    // Un-marked: the row takes its points back from the row that received them.
                    var weight = MovedWeight(row, template);
                    var from = rows.FindIndex(r => r.Level3 == row.MovedTo && !r.NotApplicable);
                    if (weight is null || from < 0)
                    {
                        errors.Add($"「{s.Level3}」原分值或接收分值的指标无法确定，请通过导入评分表调整分值。");
                        continue;
                    }

                    rows[from] = rows[from] with { Weight = rows[from].Weight - weight.Value };
                    reweighed.Add(from);
                    restored = row with { Weight = weight.Value, NotApplicable = false, MovedTo = null, MovedWeight = null, Score = null, Note = row.Note == AutoNote(row.MovedTo) ? null : row.Note };
                    note = s.KeepNote ? restored.Note : note;
                }

                var score = s.KeepScore ? restored.Score : s.Score;
                if (score is { } value && (value < 0 || value > restored.Weight || value != Money.Round(value)))
                {
                    errors.Add($"「{s.Level3}」得分应在 0 至 {restored.Weight:0.##} 之间，最多两位小数。");
                    continue;
                }

                rows[i] = restored with { Score = score, Note = note };
            }

            // A row that gave points back may now be scored above its weight.
            foreach (var r in reweighed.Select(x => rows[x]).Where(r => r.Weight < 0m || r.Score > r.Weight))
            {
                errors.Add($"「{r.Level3}」调整分值后为 {r.Weight:0.##}，得分 {r.Score:0.##} 超过分值，请先调整其得分。");
            }

            e.Rows = rows;
            return errors;
        }, ct, expectedVersion, versionRequired);

    private static string AutoNote(string? receiver) => $"该项评分不适用，分数已调至「{receiver}」。";

    /// <summary>The weight a not-applicable row gave away: recorded since this rule, else the template's weight of the row.</summary>
    private static decimal? MovedWeight(ScoreRow row, EvaluationTemplate? template) =>
        row.MovedWeight ?? template?.Rows.FirstOrDefault(t => t.Level1 == row.Level1 && t.Level3 == row.Level3)?.Weight;

    /// <summary>
    /// Replaces the table by an uploaded one (page, API and demo alike): every cell is checked against the
    /// template's groups first, and nothing is saved unless all are valid. The file is read against the table as
    /// stored now, and the save refuses (Conflict) if the table changed in between, so a teammate's scores saved
    /// meanwhile are never replaced unseen.
    /// </summary>
    /// <param name="expectedVersion">The API's: the evaluation's version the client read; required with <paramref name="versionRequired"/>.</param>
    /// <param name="scoresStamp">The page's: the table's stamp (<see cref="Stamp.Scores"/>) as the import form was shown; none (an older page) is not checked.</param>
    public async Task<(ScoreImportResult Read, EvaluationResult Saved)> ImportScoresAsync(Guid id, string fileName, byte[] content, WorkflowActor actor, CancellationToken ct,
        uint? expectedVersion = null, bool versionRequired = false, string? scoresStamp = null)
    {
        var none = new ScoreImportResult([], []);
        if (await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is not { } current)
        {
            return (none, EvaluationResult.Fail(FireStatus.NotFound, "记录不存在或您无权查看。"));
        }

        if (!IsParty(current, actor, Party.Firm))
        {
            return (none, EvaluationResult.Fail(FireStatus.Forbidden, "您无权修改该评价的这部分内容。"));
        }

        if (versionRequired && expectedVersion is null)
        {
            return (none, EvaluationResult.Fail(FireStatus.Invalid, MissingVersionMessage(id)) with { MissingField = "expectedVersion" });
        }

        // Stale before the file is read: the importer refreshes first instead of correcting a file against a table they have not seen.
        if (expectedVersion is { } expected && current.RowVersion != expected)
        {
            return (none, EvaluationResult.Fail(FireStatus.Conflict, StaleMessage));
        }

        var seen = Stamp.Scores(current);
        if (!Stamp.Holds(scoresStamp, seen))
        {
            return (none, EvaluationResult.Fail(FireStatus.Conflict, ScoresStaleMessage));
        }

        var read = ScoreFile.Read(fileName, content, current.Groups, current.Rows); // the groups it was commissioned with
        if (!read.Succeeded)
        {
            return (read, new EvaluationResult(FireStatus.Invalid, null, read.Errors.Select(e => e.Message).ToList()));
        }

        return (read, await EditAsync(id, actor, Party.Firm, ["drafting", "final_report"], e =>
        {
            e.Rows = [.. read.Rows];
            return [];
        }, ct, expectedVersion, versionRequired, Stamp.Unchanged(seen, Stamp.Scores, ScoresStaleMessage)));
    }

    /// <summary>An import refused because the score table was saved by someone else since it was shown (or read for the import).</summary>
    public const string ScoresStaleMessage = "评分表已被他人修改（本次导入未生效）：请刷新后核对对方保存的评分，再重新导入。";

    /// <summary>
    /// The report's sections, number and date. A number or date sent empty clears it (the final report cannot be
    /// submitted without them, ReportNumbered); left out (<see cref="ReportInput.KeepNumber"/>, <see cref="ReportInput.KeepDate"/>)
    /// it stays as it is.
    /// </summary>
    /// <remarks><paramref name="versionRequired"/>: the API's (a save without the version it read is refused); the pages and the demo seed do not send one.</remarks>
    public Task<EvaluationResult> SaveReportAsync(Guid id, ReportInput input, WorkflowActor actor, CancellationToken ct, uint? expectedVersion = null, bool versionRequired = false,
        Func<Evaluation, string?>? precondition = null)
    {
        var today = china.Today(clock);
        return EditAsync(id, actor, Party.Firm, ["drafting", "final_report"], e =>
        {
            var unknown = (input.Sections?.Keys.ToList() ?? []).Where(k => !ReportSections.IsKnown(k)).ToList();
            if (unknown.Count > 0)
            {
                // The keys are English: an API client sending the Chinese headings learns which ones to use.
                return [$"报告没有「{string.Join("、", unknown)}」部分；sections 的键应为 {string.Join("、", ReportSections.All.Select(s => $"{s.Key}（{s.Label}）"))}。"];
            }

            var report = e.Report;
            foreach (var (key, text) in input.Sections ?? [])
            {
                if (TextInput.Block(text) is { } t)
                {
                    report[key] = t;
                }
                else
                {
                    report.Remove(key);
                }
            }

            if (Shared.DateRange.Problem("报告日期", input.ReportDate) is { } outOfRange)
            {
                return [outOfRange];
            }

            if (input.ReportDate > today)
            {
                return ["「报告日期」不能晚于今天。"];
            }

            var number = TextInput.Line(input.ReportNumber);
            if (number?.Length > 100)
            {
                return ["「报告文号」不能超过 100 字。"];
            }

            e.Report = report;
            e.ReportNumber = input.KeepNumber ? e.ReportNumber : number;
            e.ReportDate = input.KeepDate ? e.ReportDate : input.ReportDate;
            return [];
        }, ct, expectedVersion, versionRequired, precondition);
    }

    /// <summary>
    /// The firm's list of 存在的问题 (numbered in order). Each problem keeps the unit's comment or dispute and
    /// the firm's answer that were written on it: a problem is the old one with the same <c>id</c> (as
    /// GET …/report returns it) or, sent without an id, the old one with the same title; anything else is
    /// a new problem. Numbers follow the new order, so remarks never move to another problem by position.
    /// </summary>
    public async Task<EvaluationResult> SaveProblemsAsync(Guid id, IReadOnlyList<Problem> problems, WorkflowActor actor, CancellationToken ct, uint? expectedVersion = null, bool versionRequired = false,
        Func<Evaluation, string?>? precondition = null)
    {
        var categories = await Findings.FindingCategories.ActiveAsync(db, ct);
        var today = china.Today(clock);
        return await EditAsync(id, actor, Party.Firm, ["drafting", "final_report"], e =>
        {
            var errors = new List<string>();
            var old = e.Problems;
            var indicators = e.Rows.Select(r => r.Level3).ToHashSet();
            var matched = new HashSet<Problem>(ReferenceEqualityComparer.Instance);
            var list = new List<Problem>();
            for (var i = 0; i < problems.Count; i++)
            {
                var p = Normalised(problems[i]);
                if (string.IsNullOrWhiteSpace(p.Title) || string.IsNullOrWhiteSpace(p.Detail))
                {
                    errors.Add($"问题{i + 1}须填写标题和具体情况。");
                }

                if (!categories.Contains(p.Category))
                {
                    errors.Add($"问题{i + 1}的类别应为{string.Join("、", categories)}之一。");
                }

                if (p.RectifiedBeforeReport && p.RectifiedOn is null)
                {
                    errors.Add($"问题{i + 1}已整改，须填写整改完成日期。");
                }

                if (Shared.DateRange.Problem($"问题{i + 1}的整改完成日期", p.RectifiedOn) is { } outOfRange)
                {
                    errors.Add(outOfRange);
                }
                else if (p.RectifiedOn > today)
                {
                    errors.Add($"问题{i + 1}的「整改完成日期」不能晚于今天。");
                }

                // The finding names the row it concerns: a name that is not in this table would point nowhere.
                if (p.IndicatorRow is not null && !indicators.Contains(p.IndicatorRow))
                {
                    errors.Add($"问题{i + 1}的「对应指标」「{p.IndicatorRow}」不在本评价的评分表中。");
                }

                // Each problem becomes a finding at acceptance: its columns' limits are checked here, where the firm
                // can still correct the text, not at the bureau's 验收通过.
                foreach (var (label, text, max) in new[] { ("标题", p.Title, 300), ("具体情况", p.Detail, 20000), ("对应指标", p.IndicatorRow, 200), ("整改建议", p.Recommendation, 20000),
                    ("此前发现来源", p.PriorSourceKind, 20), ("此前发现文号", p.PriorSourceDocument, 200), ("答复", p.FirmAnswer, 20000) })
                {
                    if (text?.Length > max)
                    {
                        errors.Add($"问题{i + 1}的「{label}」不能超过 {max} 字。");
                    }
                }

                Problem? kept;
                if (p.Id is { } given)
                {
                    kept = old.FirstOrDefault(o => o.Id == given);
                    if (kept is null)
                    {
                        errors.Add($"问题{i + 1}的 id 不是本评价的问题（新问题请不填 id）。");
                    }
                }
                else if (p.No > 0)
                {
                    // The page sends the numbers it read (deleting problem 2 of 9, correcting problem 3): each keeps its comments.
                    kept = old.FirstOrDefault(o => o.No == p.No);
                }
                else
                {
                    kept = old.FirstOrDefault(o => o.Title == p.Title && !matched.Contains(o));
                }

                if (kept is not null && !matched.Add(kept))
                {
                    errors.Add($"问题{i + 1}与前面的问题是同一个问题。");
                }

                list.Add(p with
                {
                    No = i + 1,
                    Id = kept?.Id ?? Guid.CreateVersion7(clock.GetUtcNow()),
                    UnitComment = kept?.UnitComment,
                    Disputed = kept?.Disputed ?? false,
                    FirmAnswer = p.FirmAnswer ?? kept?.FirmAnswer,
                });
            }

            if (list.GroupBy(p => p.Title).Any(g => g.Count() > 1))
            {
                errors.Add("问题标题不能重复。");
            }

            e.Problems = list;
            return errors;
        }, ct, expectedVersion, versionRequired, precondition);
    }

    /// <summary>The unit's remarks in the comment window: a general one and, per problem, a comment or a dispute.</summary>
    public Task<EvaluationResult> CommentAsync(Guid id, string? general, IReadOnlyList<CommentInput> comments, WorkflowActor actor, CancellationToken ct, uint? expectedVersion = null, bool versionRequired = false,
        Func<Evaluation, string?>? precondition = null) =>
        EditAsync(id, actor, Party.Unit, ["comment_window"], e =>
        {
            var problems = e.Problems;
            var errors = new List<string>();
            foreach (var c in comments)
            {
                var i = problems.FindIndex(p => p.No == c.No);
                if (i < 0)
                {
                    errors.Add($"问题{c.No}不存在。");
                    continue;
                }

                if (c.Disputed && string.IsNullOrWhiteSpace(c.Comment))
                {
                    errors.Add($"对问题{c.No}有异议时须说明理由。");
                }

                // It goes to the finding with the problem (Finding.UnitComment).
                var comment = TextInput.Block(c.Comment);
                if (comment?.Length > 20000)
                {
                    errors.Add($"对问题{c.No}的意见不能超过 20000 字。");
                }

                problems[i] = problems[i] with { UnitComment = comment, Disputed = c.Disputed };
            }

            e.Problems = problems;
            e.UnitComment = TextInput.Block(general);
            return errors;
        }, ct, expectedVersion, versionRequired, precondition);

    /// <summary>The firm's answers to the unit's remarks, given with the final report.</summary>
    public Task<EvaluationResult> AnswerAsync(Guid id, IReadOnlyList<AnswerInput> answers, WorkflowActor actor, CancellationToken ct, uint? expectedVersion = null, bool versionRequired = false,
        Func<Evaluation, string?>? precondition = null) =>
        EditAsync(id, actor, Party.Firm, ["final_report"], e =>
        {
            var problems = e.Problems;
            var errors = new List<string>();
            foreach (var a in answers)
            {
                var i = problems.FindIndex(p => p.No == a.No);
                var answer = TextInput.Block(a.Answer);
                if (answer?.Length > 20000)
                {
                    errors.Add($"对问题{a.No}的答复不能超过 20000 字。");
                }
                else if (i >= 0)
                {
                    problems[i] = problems[i] with { FirmAnswer = answer };
                }
            }

            e.Problems = problems;
            return errors;
        }, ct, expectedVersion, versionRequired, precondition);

    /// <summary>
    /// Whether the caller may read the report and the table: the bureau always, the assigned firm always,
    /// the unit the draft only during its comment window and the final report once completed.
    /// </summary>
    public static bool MaySeeReport(Evaluation e, Auth.DataScope scope) => scope.Kind switch
    {
        Auth.DataScopeKind.All => true,
        Auth.DataScopeKind.Firm => e.FirmId == scope.OrganisationId,
        Auth.DataScopeKind.Unit => e.OrganisationId == scope.OrganisationId && e.Status is "comment_window" or "completed",
        _ => false,
    };

    /// <summary>What an editor sees when someone else saved the evaluation after they opened it.</summary>
    public const string StaleMessage = "该评价已被他人修改，请刷新后重试（本次修改未保存）。";

    private enum Party
    {
        Bureau,
        Firm,
        Unit,
    }

    /// <summary>An evaluator of the firm commissioned for <paramref name="e"/> (the score table's, the report's and the fieldwork records' writers).</summary>
    public static bool IsFirmOf(Evaluation e, WorkflowActor actor) =>
        actor.OrganisationKind == OrganisationKind.EvaluationFirm && actor.IsInRole(Roles.Evaluator) && actor.OrganisationId == e.FirmId;

    private static bool IsParty(Evaluation e, WorkflowActor actor, Party party) => party switch
    {
        Party.Bureau => actor.OrganisationKind == OrganisationKind.FinanceBureau && actor.IsInRole(Roles.FinanceOfficer),
        Party.Firm => IsFirmOf(e, actor),
        _ => actor.OrganisationKind == OrganisationKind.BudgetUnit && actor.OrganisationId == e.OrganisationId && (actor.IsInRole(Roles.UnitFiller) || actor.IsInRole(Roles.UnitHead)),
    };

    /// <summary>Loads (within the data scope), checks whose turn it is, applies the change and saves; a change returning errors saves nothing.</summary>
    /// <param name="precondition">
    /// A page's check of the part it edits (its content stamp, see <see cref="Stamp"/>): a message refuses the save as a conflict.
    /// It reads the tracked row that is then saved with its concurrency token, so a save slipping in between still ends in Conflict.
    /// </param>
    private async Task<EvaluationResult> EditAsync(Guid id, WorkflowActor actor, Party party, string[] states, Func<Evaluation, List<string>> change, CancellationToken ct,
        uint? expectedVersion = null, bool versionRequired = false, Func<Evaluation, string?>? precondition = null)
    {
        db.ChangeTracker.Clear();
        var e = await db.Evaluations.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (e is null)
        {
            return EvaluationResult.Fail(FireStatus.NotFound, "记录不存在或您无权查看。");
        }

        if (!IsParty(e, actor, party))
        {
            return EvaluationResult.Fail(FireStatus.Forbidden, "您无权修改该评价的这部分内容。");
        }

        // After the access checks, so a caller who may not save is told so (403) rather than what its request lacks.
        if (versionRequired && expectedVersion is null)
        {
            return EvaluationResult.Fail(FireStatus.Invalid, MissingVersionMessage(id)) with { MissingField = "expectedVersion" };
        }

        if (!states.Contains(e.Status))
        {
            return EvaluationResult.Fail(FireStatus.Invalid, "当前环节不能修改这部分内容。");
        }

        if (expectedVersion is { } expected && e.RowVersion != expected)
        {
            return EvaluationResult.Fail(FireStatus.Conflict, StaleMessage);
        }

        if (precondition?.Invoke(e) is { } stale)
        {
            db.ChangeTracker.Clear();
            return EvaluationResult.Fail(FireStatus.Conflict, stale);
        }

        var errors = change(e);
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new EvaluationResult(FireStatus.Invalid, null, errors);
        }

        e.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return EvaluationResult.Fail(FireStatus.Conflict, FireResult.StaleMessage);
        }

        return EvaluationResult.Ok(e);
    }

    /// <summary>
    /// What a page form saw of the part of the evaluation it edits, as a short hash. Not the row version, which any
    /// save moves (a teammate's scores would refuse the report): each form is refused only when its own part changed.
    /// </summary>
    public static class Stamp
    {
        public static string Report(Evaluation e)
        {
            var report = e.Report;
            return Of(ReportSections.All.Select(s => report.GetValueOrDefault(s.Key)).Append(e.ReportNumber).Append(Day(e.ReportDate)));
        }

        public static string Comments(Evaluation e) =>
            Of(e.Problems.SelectMany(p => new[] { Number(p.No), p.UnitComment, p.Disputed ? "1" : "0" }).Prepend(e.UnitComment));

        public static string Answers(Evaluation e) => Of(e.Problems.SelectMany(p => new[] { Number(p.No), p.FirmAnswer }));

        /// <summary>The score table as the import replaces it whole: every row's cells, in order (a teammate's one score changes it).</summary>
        public static string Scores(Evaluation e) =>
            Of(e.Rows.SelectMany(r => new[] { r.Level1, r.Level2, r.Level3, Amount(r.Weight), r.Points, r.Standard, Amount(r.Score), r.Note, r.NotApplicable ? "1" : "0",
                r.MovedTo, Amount(r.MovedWeight) }));

        /// <summary>One problem as its edit form shows it (with its number and id, so a renumbered or replaced problem differs).</summary>
        public static string Problem(Problem p) =>
            Of([Number(p.No), p.Id?.ToString(), p.Category, p.Title, p.Detail, p.IndicatorRow, p.Recommendation, p.RectifiedBeforeReport ? "1" : "0", Day(p.RectifiedOn),
                p.RectifiedEvidence, p.PriorSourceKind, p.PriorSourceDocument]);

        /// <summary>
        /// The problem list as PUT …/problems replaces it whole: each problem's own stamp (<c>Problem</c>), in order,
        /// and the firm's answer, which a problem sent with one replaces. The unit's remarks are not in it: that save keeps them as stored.
        /// </summary>
        public static string Problems(Evaluation e) => Of(e.Problems.SelectMany(p => new[] { Problem(p), p.FirmAnswer }));

        /// <summary>
        /// The precondition (see <see cref="EditAsync"/>) of a save of one part: refused with <paramref name="refused"/> when the
        /// part's stamp now differs from <paramref name="sent"/> (as <see cref="Holds"/> decides).
        /// </summary>
        public static Func<Evaluation, string?> Unchanged(string? sent, Func<Evaluation, string> part, string refused) =>
            e => Holds(sent, part(e)) ? null : refused;

        /// <summary>True unless a stamp was sent and the part's stamp now differs: a page without one (an older page) saves as before.</summary>
        public static bool Holds(string? sent, string now) => string.IsNullOrWhiteSpace(sent) || string.Equals(sent.Trim(), now, StringComparison.Ordinal);

        // A separator no form field keeps (TextInput strips control characters), and a marker for null unlike any text.
        private static string Of(IEnumerable<string?> parts) => ContentStamp.Of(string.Join('\u001f', parts.Select(p => p ?? "\u0000")));

        private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static string? Amount(decimal? d) => d?.ToString("0.############", System.Globalization.CultureInfo.InvariantCulture);

        private static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string MissingVersionMessage(Guid id) =>
        $"缺少版本号 expectedVersion：请先读取该评价（GET /api/evaluations/{id}，返回的 version）并随保存一并提交，以免覆盖他人的修改。";

    private async Task<EvaluationResult> ReloadAsync(Guid id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return EvaluationResult.Ok(await db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == id, ct));
    }

    /// <summary>
    /// A problem as stored: what becomes the finding's one-line fields (类别, 标题 — the rectification case's title —,
    /// 对应指标, 此前发现来源 and 文号) is one line; the description, recommendation, evidence note and answer keep their lines.
    /// </summary>
    private static Problem Normalised(Problem p) => p with
    {
        Category = TextInput.LineOrEmpty(p.Category),
        Title = TextInput.LineOrEmpty(p.Title),
        Detail = TextInput.Block(p.Detail) ?? string.Empty,
        IndicatorRow = TextInput.Line(p.IndicatorRow),
        Recommendation = TextInput.Block(p.Recommendation),
        RectifiedEvidence = TextInput.Block(p.RectifiedEvidence),
        PriorSourceKind = TextInput.Line(p.PriorSourceKind),
        PriorSourceDocument = TextInput.Line(p.PriorSourceDocument),
        FirmAnswer = TextInput.Block(p.FirmAnswer),
    };
}
