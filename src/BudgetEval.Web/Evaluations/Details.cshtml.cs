using BudgetEval.Web.Auth;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Evaluations;

/// <summary>
/// One evaluation: what each party does in its turn (commissioning, team, scoring, report, comments,
/// answers) on one page; the transitions themselves are on the case page (/cases/{id}), like every case.
/// </summary>
internal sealed class DetailsModel(AppDbContext db, EvaluationService service, DataScopeAccessor scope, WorkflowRegistry registry, TimeProvider clock) : PageModel
{
    /// <summary>
    /// Who the evaluation waits on now and by when, from the case's open tasks: each party lands on this page (the list
    /// links here), so the unit sees its comment deadline and the firm its report date without opening the case page.
    /// </summary>
    public IReadOnlyList<WaitingTask> Waiting { get; private set; } = [];

    /// <summary>The bureau's 退回评价机构 reasons, oldest first: the firm corrects the report here, so it reads them here.</summary>
    public IReadOnlyList<ReturnReason> Returns { get; private set; } = [];

    /// <summary>
    /// Each 更换评价机构 of the case: who replaced which firm (named in the history entry) and why, with the number of the
    /// record of what that firm had scored, for those who see the score table (none for replacements made before records were kept).
    /// </summary>
    public IReadOnlyList<ReplacementEntry> Replacements { get; private set; } = [];

    public DateTimeOffset Now => clock.GetUtcNow();

    public Evaluation Evaluation { get; private set; } = null!;

    public string UnitName { get; private set; } = string.Empty;

    public string? FirmName { get; private set; }

    public string StateLabel { get; private set; } = string.Empty;

    public EvaluationScoreSheet Sheet { get; private set; } = null!;

    public bool SeesContent { get; private set; }

    public IReadOnlyList<Finding> Findings { get; private set; } = [];

    /// <summary>The register's proposal for 问题整改情况, shown to those who see the scores.</summary>
    public RectificationProposal? Proposal { get; private set; }

    /// <summary>The active evaluation firms: a drop-down while few, a search field once a province has many.</summary>
    public OrganisationChoices Firms { get; private set; } = new([]);

    /// <summary>The active 重点评价 templates offered on the 委托 form (/admin/templates).</summary>
    public IReadOnlyList<EvaluationTemplate> Templates { get; private set; } = [];

    public IReadOnlyList<ImportError> ImportErrors { get; private set; } = [];

    /// <summary>Why an import was refused without reading its file: the score table was saved by someone else since the page was shown.</summary>
    public string? ImportConflict { get; private set; }

    public bool IsBureauOfficer => User.IsInRole(Roles.FinanceOfficer);

    public bool IsFirm => User.IsInRole(Roles.Evaluator) && User.OrganisationId() == Evaluation.FirmId;

    public bool IsUnit => User.OrganisationKind() == OrganisationKind.BudgetUnit;

    /// <summary>Findings are the bureau's and the unit's records; a firm sees them only as this page lists them.</summary>
    public bool MayOpenFindings => User.OrganisationKind() != OrganisationKind.EvaluationFirm;

    /// <summary>更换评价机构 (workflows/external-evaluation.v2.yaml).</summary>
    public const string ReplaceFirmAction = "replaceFirm";

    public bool FirmMayEdit => IsFirm && Evaluation.Status is "drafting" or "final_report";

    /// <summary>
    /// Only the 主评人 names the team (EvaluationService.AddMemberAsync refuses anyone else): the other evaluators of the
    /// firm see the team without a form they could not use. Read from the user record, as the service reads it.
    /// </summary>
    public bool MayManageTeam { get; private set; }

    /// <summary>The problem whose text the firm is correcting (?problem=N); the form below the list then edits it instead of adding one.</summary>
    public Problem? EditingProblem { get; private set; }

    /// <summary>
    /// The handler whose form was refused. Nothing was saved, so its fields show what the user typed rather
    /// than the saved values: one bad cell must not throw away the other 29 scores.
    /// </summary>
    public string? RefusedForm { get; private set; }

    public bool Refused(string handler) => string.Equals(RefusedForm, handler, StringComparison.OrdinalIgnoreCase);

    /// <summary>A field of the refused form as typed; <paramref name="saved"/> for every other form.</summary>
    public string? Typed(string handler, string field, string? saved) => Refused(handler) ? Request.Form[field].ToString() : saved;

    /// <summary>Whether a checkbox of the refused form was ticked; <paramref name="saved"/> for every other form.</summary>
    public bool TypedCheck(string handler, string field, bool saved, string value = "true") =>
        Refused(handler) ? Request.Form[field].Contains(value) : saved;

    /// <summary>A row's score and 评分说明 as typed in a refused score form (matched by 一级 and 三级, as the service matches them).</summary>
    public (string? Score, string? Note) TypedScore(ScoreRow row)
    {
        var saved = (row.Score?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), row.Note);
        if (!Refused("Scores"))
        {
            return saved;
        }

        var form = Request.Form;
        for (var i = 0; i < form["level3"].Count && i < form["level1"].Count; i++)
        {
            if (form["level1"][i] == row.Level1 && form["level3"][i] == row.Level3)
            {
                return (i < form["score"].Count ? form["score"][i] : null, i < form["note"].Count ? form["note"][i] : null);
            }
        }

        return saved;
    }

    /// <summary>The 三级指标 whose typed score could not be read, marked on the form.</summary>
    public IReadOnlySet<string> UnreadableScores { get; private set; } = new HashSet<string>();

    /// <summary>
    /// Whether the row's score in a refused score form is the one to correct: unreadable, or outside 0 to 分值 (or with more
    /// than two decimals), as the service refuses it. The message names the row; the mark shows it in a table of 30.
    /// </summary>
    public bool ScoreRefused(ScoreRow row)
    {
        if (UnreadableScores.Contains(row.Level3))
        {
            return true;
        }

        return Refused("Scores")
            && decimal.TryParse(TypedScore(row).Score?.Trim(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var typed)
            && (typed > row.Weight || decimal.Round(typed, 2) != typed);
    }

    /// <summary>A per-problem text (意见/答复) as typed in a refused form of <paramref name="handler"/>, matched by the problem's number.</summary>
    public string? TypedPerProblem(string handler, string field, int no, string? saved)
    {
        if (!Refused(handler))
        {
            return saved;
        }

        var numbers = Request.Form["no"];
        var texts = Request.Form[field];
        for (var i = 0; i < numbers.Count && i < texts.Count; i++)
        {
            if (numbers[i] == no.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return texts[i];
            }
        }

        return saved;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, int? problem, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        EditingProblem = FirmMayEdit && problem is { } no ? Evaluation.Problems.FirstOrDefault(p => p.No == no) : null;
        return Page();
    }

    /// <summary>The score table for the signed-in browser user (the /api export takes bearer tokens only).</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, CancellationToken ct) =>
        await ScoreExport.FileAsync(db, scope, HttpContext, HttpContext.RequestServices.GetRequiredService<TimeProvider>(), id, format == "csv" ? "csv" : "xlsx", ct) is { } file
            ? File(file.Content, file.ContentType, file.Name)
            : NotFound();

    public async Task<IActionResult> OnPostCommissionAsync(Guid id, string? firmId, DateOnly? reportDueDate, string? templateKey, CancellationToken ct)
    {
        var firm = await OrganisationPicker.ResolveAsync(ActiveFirms(), firmId, ct, OrganisationPicker.Noun(OrganisationKind.EvaluationFirm));
        return firm.Error is { } error
            ? await Run(id, Task.FromResult(new EvaluationResult(FireStatus.Invalid, null, [$"「评价机构」：{error}"])), string.Empty, ct)
            : await CommissionedAsync(id, await service.CommissionAsync(id, new CommissionInput(firm.Id, reportDueDate, templateKey), WorkflowActor.From(User), ct), ct);
    }

    /// <summary>委托 fires the case's transition here: its message says what comes next, as the case page's do.</summary>
    private Task<IActionResult> CommissionedAsync(Guid id, EvaluationResult result, CancellationToken ct)
    {
        var to = result.Evaluation is { } e ? registry.Latest(EvaluationService.WorkflowId).States.FirstOrDefault(s => s.Id == e.Status) : null;
        return Run(id, Task.FromResult(result), to is null ? "已委托评价机构。" : Workflows.CaseModel.DoneMessage("委托", to), ct);
    }

    private IQueryable<Organisation> ActiveFirms() => db.Organisations.Where(o => o.Kind == OrganisationKind.EvaluationFirm && o.IsActive);

    public Task<IActionResult> OnPostMemberAsync(Guid id, string? name, bool isLead, string? title, bool noConflict, string? declaration, CancellationToken ct) =>
        Run(id, service.AddMemberAsync(id, new MemberInput(name, isLead, title, noConflict, declaration), WorkflowActor.From(User), ct), "已加入评价组。", ct);

    public Task<IActionResult> OnPostRemoveMemberAsync(Guid id, string? name, CancellationToken ct) =>
        Run(id, service.RemoveMemberAsync(id, name, WorkflowActor.From(User), ct), $"已将{Shared.TextInput.Line(name)}移出评价组。", ct);

    /// <param name="version">The evaluation's version the form was shown with: a table saved by someone else since is refused.</param>
    public Task<IActionResult> OnPostScoresAsync(Guid id, List<string> level1, List<string> level3, List<string?> score, List<string?> note, uint? version, CancellationToken ct)
    {
        var inputs = new List<ScoreInput>();
        var errors = new List<string>();
        var unreadable = new HashSet<string>();
        for (var i = 0; i < level3.Count && i < level1.Count; i++)
        {
            decimal? value = null;
            var text = i < score.Count ? score[i]?.Trim() : null;
            if (!string.IsNullOrEmpty(text))
            {
                if (decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var d))
                {
                    value = d;
                }
                else
                {
                    errors.Add($"第 {i + 1} 行「{level3[i]}」的得分「{text}」不是数字，请填写如 2 或 1.5 的数字。");
                    unreadable.Add(level3[i]);
                }
            }

            inputs.Add(new ScoreInput(level1[i], level3[i], value, i < note.Count ? note[i] : null));
        }

        UnreadableScores = unreadable;
        return errors.Count > 0
            ? Run(id, Task.FromResult(new EvaluationResult(FireStatus.Invalid, null, errors)), string.Empty, ct)
            : Run(id, service.SaveScoresAsync(id, inputs, version, WorkflowActor.From(User), ct, versionRequired: false), "评分已保存。", ct);
    }

    /// <param name="scoresStamp">The table's stamp as the import form was shown (<see cref="EvaluationService.Stamp.Scores"/>): a table saved by someone else since is refused.</param>
    public async Task<IActionResult> OnPostImportAsync(Guid id, IFormFile? file, string? scoresStamp, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (file is null || file.Length == 0 || file.Length > IndicatorFile.MaxBytes)
        {
            ImportErrors = [new ImportError(0, string.Empty, "请选择不超过 10 MB 的 .xlsx 或 .csv 文件。")];
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var (read, saved) = await service.ImportScoresAsync(id, file.FileName, buffer.ToArray(), WorkflowActor.From(User), ct, scoresStamp: scoresStamp);
        if (!read.Succeeded)
        {
            ImportErrors = read.Errors;
            return Page();
        }

        if (saved.Status == FireStatus.Conflict)
        {
            // Said where the import's errors are, with the table as saved now (and its stamp): importing again is a knowing overwrite.
            ImportConflict = string.Join(" ", saved.Errors);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }

        return await Run(id, Task.FromResult(saved), string.Join(" ", [$"已导入 {read.Rows.Count} 行评分。", .. read.Notes]), ct);
    }

    /// <param name="reportStamp">The stamp of the report as the form was shown (<see cref="EvaluationService.Stamp.Report"/>): a report saved by someone else since is refused.</param>
    public Task<IActionResult> OnPostReportAsync(Guid id, Dictionary<string, string?> sections, string? reportNumber, DateOnly? reportDate, string? reportStamp, CancellationToken ct) =>
        Run(id, service.SaveReportAsync(id, new ReportInput(sections, reportNumber, reportDate), WorkflowActor.From(User), ct,
            precondition: EvaluationService.Stamp.Unchanged(reportStamp, EvaluationService.Stamp.Report, ReportStaleMessage)), "报告已保存。", ct);

    public const string ReportStaleMessage = "评价报告已被他人修改（本次保存未生效）：已保留您填写的内容，请核对对方保存的内容后再保存。";

    public const string CommentsStaleMessage = "单位意见已被他人修改（本次保存未生效）：已保留您填写的内容，请核对对方保存的内容后再保存。";

    public const string AnswersStaleMessage = "评价机构答复已被他人修改（本次保存未生效）：已保留您填写的内容，请核对对方保存的内容后再保存。";

    /// <summary>
    /// Problem edits and deletes: the list the page changed must still be the one stored when the save runs (else someone saved
    /// in between: refused), and the problem at <paramref name="no"/> must still be the one the form showed (its stamp).
    /// </summary>
    private static Func<Evaluation, string?> ProblemsUnchanged(string read, int? no, string? stamp, string refused) => e =>
        e.ProblemsJson != read ? EvaluationService.StaleMessage
        : no is { } n && !EvaluationService.Stamp.Holds(stamp, e.Problems.FirstOrDefault(x => x.No == n) is { } now ? EvaluationService.Stamp.Problem(now) : string.Empty) ? refused
        : null;

    /// <summary>Adds a problem, or (with <paramref name="no"/>) corrects one; the unit's comment and the firm's answer on it are kept.</summary>
    /// <param name="problemStamp">With <paramref name="no"/>: the stamp of the problem as the form showed it; a problem changed or renumbered since is refused.</param>
    public async Task<IActionResult> OnPostProblemAsync(Guid id, int? no, string? category, string? title, string? detail, string? indicatorRow, string? recommendation,
        bool rectifiedBeforeReport, DateOnly? rectifiedOn, string? problemStamp, CancellationToken ct)
    {
        if (await CurrentProblemsAsync(id, ct) is not { } read)
        {
            return NotFound();
        }

        var problems = read.Problems;

        // As the service stores them (it normalises again): 问题 and 对应指标 one line, the description and the recommendation text.
        var (cat, text, why, row, advice) = (Shared.TextInput.LineOrEmpty(category), Shared.TextInput.LineOrEmpty(title), Shared.TextInput.Block(detail) ?? string.Empty,
            Shared.TextInput.Line(indicatorRow), Shared.TextInput.Block(recommendation));
        if (no is not { } n)
        {
            problems.Add(new Problem(problems.Count + 1, cat, text, why, row, advice, rectifiedBeforeReport, rectifiedOn));
            return await Run(id, service.SaveProblemsAsync(id, problems, WorkflowActor.From(User), ct, precondition: ProblemsUnchanged(read.Json, null, null, string.Empty)), "问题已加入。", ct);
        }

        var refused = $"问题{n}已被他人修改或删除（本次修改未生效），请刷新后再修改。";
        var i = problems.FindIndex(p => p.No == n);

        if (i < 0)
        {
            return await Run(id, Task.FromResult(EvaluationResult.Fail(FireStatus.Invalid, $"问题{n}已不存在（可能已被删除），请刷新页面后再修改。")), string.Empty, ct);
        }

        problems[i] = problems[i] with
        {
            Category = cat, Title = text, Detail = why, IndicatorRow = row, Recommendation = advice,
            RectifiedBeforeReport = rectifiedBeforeReport, RectifiedOn = rectifiedBeforeReport ? rectifiedOn : null,
        };
        return await Run(id, service.SaveProblemsAsync(id, problems, WorkflowActor.From(User), ct, precondition: ProblemsUnchanged(read.Json, n, problemStamp, refused)), $"问题{n}已修改。", ct);
    }

    /// <summary>Deletes a problem; those after it move up one number, each keeping the unit's comment made on it.</summary>
    /// <param name="stamps">Each listed problem's stamp as the page showed it, <c>number:stamp</c> (the delete buttons share one form).</param>
    public async Task<IActionResult> OnPostDeleteProblemAsync(Guid id, int no, List<string> stamps, CancellationToken ct)
    {
        if (await CurrentProblemsAsync(id, ct) is not { } read)
        {
            return NotFound();
        }

        var prefix = no.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":";
        var stamp = stamps.FirstOrDefault(s => s.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        var refused = $"问题{no}已被他人修改或删除（本次删除未生效），请刷新后再删除。";
        var problems = read.Problems;
        var removed = problems.RemoveAll(p => p.No == no);
        return removed == 0
            ? await Run(id, Task.FromResult(EvaluationResult.Fail(FireStatus.Invalid, $"问题{no}已不存在（可能已被删除），请刷新页面。")), string.Empty, ct)
            : await Run(id, service.SaveProblemsAsync(id, problems, WorkflowActor.From(User), ct, precondition: ProblemsUnchanged(read.Json, no, stamp, refused)), $"问题{no}已删除。", ct);
    }

    /// <summary>The stored problems and their JSON as read (the save checks it is still what is stored, see <see cref="ProblemsUnchanged"/>).</summary>
    private async Task<(string Json, List<Problem> Problems)?> CurrentProblemsAsync(Guid id, CancellationToken ct)
    {
        var current = await db.Evaluations.AsNoTracking().Where(e => e.Id == id).Select(e => e.ProblemsJson).SingleOrDefaultAsync(ct);
        return current is null ? null : (current, new Evaluation { Reason = string.Empty, Title = string.Empty, Status = string.Empty, ProblemsJson = current }.Problems);
    }

    /// <param name="commentsStamp">The stamp of the unit's remarks as the form was shown (<see cref="EvaluationService.Stamp.Comments"/>).</param>
    public Task<IActionResult> OnPostCommentsAsync(Guid id, string? general, List<int> no, List<string?> comment, List<string?> disputed, string? commentsStamp, CancellationToken ct) =>
        Run(id, service.CommentAsync(id, general, no.Select((n, i) => new CommentInput(n, i < comment.Count ? comment[i] : null, disputed.Contains(n.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList(),
            WorkflowActor.From(User), ct, precondition: EvaluationService.Stamp.Unchanged(commentsStamp, EvaluationService.Stamp.Comments, CommentsStaleMessage)),
            "意见已保存，请在办理页面提交“反馈意见”。", ct);

    /// <param name="answersStamp">The stamp of the firm's answers as the form was shown (<see cref="EvaluationService.Stamp.Answers"/>).</param>
    public Task<IActionResult> OnPostAnswersAsync(Guid id, List<int> no, List<string?> answer, string? answersStamp, CancellationToken ct) =>
        Run(id, service.AnswerAsync(id, no.Select((n, i) => new AnswerInput(n, i < answer.Count ? answer[i] : null)).ToList(), WorkflowActor.From(User), ct,
            precondition: EvaluationService.Stamp.Unchanged(answersStamp, EvaluationService.Stamp.Answers, AnswersStaleMessage)), "答复已保存。", ct);

    private async Task<IActionResult> Run(Guid id, Task<EvaluationResult> work, string done, CancellationToken ct)
    {
        var result = await work;
        if (result.Status == FireStatus.NotFound)
        {
            return NotFound();
        }

        if (result.Status == FireStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Status == FireStatus.Ok)
        {
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }

        foreach (var m in result.Errors)
        {
            ModelState.AddModelError(string.Empty, m);
        }

        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        RefusedForm = (RouteData.Values["handler"] as string) ?? Request.Query["handler"].ToString();
        if (Refused("Problem") && int.TryParse(Request.Form["no"], out var editing))
        {
            EditingProblem = Evaluation.Problems.FirstOrDefault(p => p.No == editing);
        }

        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is not { } e)
        {
            return false;
        }

        Evaluation = e;
        var names = await OrganisationNames.ForAsync(db, [e.OrganisationId, e.FirmId], ct);
        (UnitName, FirmName) = (names[e.OrganisationId], e.FirmId is { } f ? names[f] : null);
        StateLabel = registry.Latest(EvaluationService.WorkflowId).States.FirstOrDefault(s => s.Id == e.Status)?.Label ?? e.Status;
        Sheet = EvaluationSubject.Sheet(e);
        SeesContent = EvaluationService.MaySeeReport(e, scope.Current);
        Findings = await db.Findings.AsNoTracking().Where(x => x.EvaluationId == e.Id).OrderBy(x => x.Number).ToListAsync(ct);
        Proposal = SeesContent ? await RectificationProposal.ForAsync(db, e, ct) : null;
        await LoadProgressAsync(e, ct);
        var me = User.UserId();
        MayManageTeam = FirmMayEdit && await db.Users.AnyAsync(u => u.Id == me && u.IsLeadEvaluator, ct);
        if (IsBureauOfficer && e.Status == "commissioning")
        {
            Firms = await OrganisationPicker.ChoicesAsync(ActiveFirms(), ct);
            Templates = await Admin.Templates.TemplateCatalog.EvaluationAsync(db, ct);
        }

        return true;
    }

    private async Task LoadProgressAsync(Evaluation e, CancellationToken ct)
    {
        if (e.CaseId is not { } caseId)
        {
            return;
        }

        var open = await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == caseId && w.Status == WorkItemStatus.Open)
            .OrderBy(w => w.CreatedAt).ToListAsync(ct);
        var organisations = await OrganisationNames.ForAsync(db, open.Select(w => w.AssigneeOrganisationId), ct);
        var userIds = open.Select(w => w.AssigneeUserId).OfType<Guid>().ToList();
        var people = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        Waiting = open.Select(w => new WaitingTask(w.StateLabel,
            w.AssigneeUserId is { } user ? people.GetValueOrDefault(user, "指定人员")
                : (w.AssigneeOrganisationId is { } org && organisations.TryGetValue(org, out var name) ? name : string.Empty) + $"（{Roles.Label(w.AssigneeRole ?? string.Empty)}）",
            w.DueAt)).ToList();

        // The unit is not a party to the bureau's quality check of the firm's report. It is told that its evaluation
        // changed hands, when, from which firm and why, as its case's history (流转记录) tells it.
        var isUnit = IsUnit;
        var history = await db.WorkflowHistory.AsNoTracking()
            .Where(h => h.InstanceId == caseId && ((!isUnit && h.Action == "return" && h.FromState == "quality_review") || h.Action == ReplaceFirmAction))
            .OrderBy(h => h.Seq).Select(h => new { h.Action, h.Seq, Reason = new ReturnReason(h.At, h.ActorName, h.Comment ?? string.Empty) }).ToListAsync(ct);
        Returns = [.. history.Where(h => h.Action == "return").Select(h => h.Reason)];
        var records = SeesContent
            ? await db.ReplacedFirmRecords.Where(r => r.EvaluationId == e.Id).Select(r => new { r.HistorySeq, r.No }).ToDictionaryAsync(r => r.HistorySeq, r => r.No, ct)
            : [];
        Replacements = [.. history.Where(h => h.Action == ReplaceFirmAction)
            .Select(h => new ReplacementEntry(h.Reason.At, h.Reason.By, h.Reason.Reasons, records.TryGetValue(h.Seq, out var no) ? no : null))];
    }
}

/// <summary>An open task of the evaluation's case: its step, who holds it (organisation and role, or the person) and its due time.</summary>
internal sealed record WaitingTask(string Step, string Holder, DateTimeOffset? DueAt);

/// <summary>One 退回评价机构 of the final report, with the bureau's reasons.</summary>
internal sealed record ReturnReason(DateTimeOffset At, string By, string Reasons);

/// <summary>One 更换评价机构: when, by whom, the history's text (原评价机构 and the reason), and the number of its record of the old firm's scores.</summary>
internal sealed record ReplacementEntry(DateTimeOffset At, string By, string Reasons, int? RecordNo);
