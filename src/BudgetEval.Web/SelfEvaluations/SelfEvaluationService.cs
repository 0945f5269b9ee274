using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.SelfEvaluations;

internal sealed record SelfEvaluationInput(string? Title, int? FiscalYear, DateOnly? Deadline, string? Summary, decimal? TotalBudget)
{
    /// <summary>As stored: the title is one line (it becomes the case's and the 待办's title, mail subjects and file names), the summary keeps its lines.</summary>
    public SelfEvaluationInput Normalised() => this with { Title = Shared.TextInput.Line(Title), Summary = Shared.TextInput.Block(Summary) };
}

internal sealed record SelfEvaluationSaveResult(FireStatus Status, SelfEvaluation? Record, IReadOnlyDictionary<string, string[]> Errors)
{
    public static SelfEvaluationSaveResult Ok(SelfEvaluation se) => new(FireStatus.Ok, se, new Dictionary<string, string[]>());

    public static SelfEvaluationSaveResult Fail(FireStatus status, string key, string message) => new(status, null, new Dictionary<string, string[]> { [key] = [message] });
}

/// <summary>Creating (with its review case) and editing the minimal self-evaluation; shared by the API and the pages.</summary>
internal sealed class SelfEvaluationService(AppDbContext db, WorkflowEngine engine, TimeProvider clock)
{
    public const string WorkflowId = "self-evaluation-review";

    /// <summary>States in which the unit may still change the content.</summary>
    public static readonly IReadOnlySet<string> EditableStates = new HashSet<string> { "draft", "returned" };

    /// <summary>
    /// Creates a self-evaluation and its case. With an idempotency key (the API's Idempotency-Key header, the
    /// page's hidden field) a repeated request answers with the record the first one created: the key is
    /// stored in the same transaction, and its unique index decides a race between two copies.
    /// </summary>
    public async Task<SelfEvaluationSaveResult> CreateAsync(SelfEvaluationInput input, WorkflowActor actor, CancellationToken ct, string? idempotencyKey = null)
    {
        input = input.Normalised();
        var key = string.IsNullOrEmpty(idempotencyKey) ? null : CreateKeyPrefix + idempotencyKey;
        if (key is not null && await CreatedEarlierAsync(actor, key, ct) is { } earlier)
        {
            return earlier;
        }

        if (!actor.IsInRole(Roles.UnitFiller) || actor.OrganisationKind != OrganisationKind.BudgetUnit || actor.OrganisationId is not { } org)
        {
            return SelfEvaluationSaveResult.Fail(FireStatus.Forbidden, string.Empty, "只有预算单位的填报人可以新建自评。");
        }

        if (Validate(input, requireHeader: true) is { Count: > 0 } errors)
        {
            return new(FireStatus.Invalid, null, errors);
        }

        // A hand-made record (the original minimal one, from before plans) beside the one a published plan
        // issued would be a second 部门整体 self-evaluation of the year with a deadline the unit chose.
        var year = input.FiscalYear!.Value;
        if (await db.SelfEvaluations.AsNoTracking()
                .Where(s => s.OrganisationId == org && s.FiscalYear == year && s.PlanId != null && s.Kind == Plans.EvaluationKind.DepartmentWide)
                .Select(s => s.Title).FirstOrDefaultAsync(ct) is { } issued)
        {
            return SelfEvaluationSaveResult.Fail(FireStatus.Conflict, "fiscalYear",
                $"本单位{year}年度的部门整体支出绩效自评已由评价计划下达（「{issued}」），不能另建；请在该自评中填报。");
        }

        var now = clock.GetUtcNow();
        var se = new SelfEvaluation
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = org,
            FiscalYear = input.FiscalYear!.Value,
            Title = input.Title!,
            Deadline = input.Deadline!.Value,
            Summary = input.Summary,
            TotalBudget = Round(input.TotalBudget),
            Status = "draft",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.SelfEvaluations.Add(se);
        var instance = await engine.StartAsync(WorkflowId, SelfEvaluationSubject.Type, se.Id, se.Title, org, se.Deadline, actor, ct);
        se.CaseId = instance.Id;
        se.Status = instance.State;
        if (key is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyKey
            {
                Key = key, UserId = actor.UserId, InstanceId = instance.Id, StatusCode = StatusCodes.Status201Created,
                ResponseJson = System.Text.Json.JsonSerializer.Serialize(new { selfEvaluationId = se.Id }), CreatedAt = now,
            });
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (key is not null && e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // The same request, sent twice at once: the other copy committed first; answer with its record.
            db.ChangeTracker.Clear();
            return await CreatedEarlierAsync(actor, key, ct) ?? throw new InvalidOperationException("idempotency key vanished", e);
        }

        return SelfEvaluationSaveResult.Ok(se);
    }

    // Keys of case actions and of creations share one table; the prefix keeps a reused key from meaning both.
    private const string CreateKeyPrefix = "create-self-evaluation:";

    private async Task<SelfEvaluationSaveResult?> CreatedEarlierAsync(WorkflowActor actor, string key, CancellationToken ct)
    {
        var caseId = await db.IdempotencyKeys.AsNoTracking().Where(k => k.UserId == actor.UserId && k.Key == key).Select(k => (Guid?)k.InstanceId).SingleOrDefaultAsync(ct);
        if (caseId is null)
        {
            return null;
        }

        return await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(x => x.CaseId == caseId, ct) is { } earlier
            ? SelfEvaluationSaveResult.Ok(earlier)
            : SelfEvaluationSaveResult.Fail(FireStatus.NotFound, string.Empty, "记录不存在或您无权查看。");
    }

    public async Task<SelfEvaluationSaveResult> UpdateAsync(Guid id, SelfEvaluationInput input, uint expectedVersion, WorkflowActor actor, CancellationToken ct)
    {
        input = input.Normalised();
        if (Validate(input, requireHeader: false) is { Count: > 0 } errors)
        {
            return await EditAsync(id, actor, expectedVersion, (_, _) => Task.FromResult<IReadOnlyDictionary<string, string[]>?>(errors), ct);
        }

        return await EditAsync(id, actor, expectedVersion, async (tracked, token) =>
        {
            if (FixedFields(tracked, input) is { Count: > 0 } refused)
            {
                return refused;
            }

            var title = input.Title ?? tracked.Title;
            if (title != tracked.Title && tracked.CaseId is { } caseId)
            {
                // The case, its 待办 and 已办 carry the record's title: they follow a renamed hand-made record.
                var instance = await db.WorkflowInstances.IgnoreQueryFilters().SingleAsync(i => i.Id == caseId, token);
                instance.Title = title;
                await db.WorkItems.IgnoreQueryFilters().Where(w => w.InstanceId == caseId).ExecuteUpdateAsync(w => w.SetProperty(x => x.Title, title), token);
            }

            tracked.Title = title;
            tracked.Summary = input.Summary;
            tracked.TotalBudget = Round(input.TotalBudget);
            return null;
        }, ct);
    }

    public const string PlanFieldsFixed = "由评价计划下达的自评不能修改标题、年度或截止日期。";

    /// <summary>
    /// Fields a save may not change (sending the current value is fine): a plan-issued record's title, year and
    /// deadline are the plan's (its amendments move deadlines); any record's year and deadline are fixed at
    /// creation, the deadline being the case's due date. Refused by name instead of silently ignored.
    /// </summary>
    private static Dictionary<string, string[]> FixedFields(SelfEvaluation se, SelfEvaluationInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var fromPlan = se.PlanId is not null;
        if (fromPlan && input.Title is { } title && title != se.Title)
        {
            errors["title"] = [PlanFieldsFixed];
        }

        if (input.FiscalYear is { } year && year != se.FiscalYear)
        {
            errors["fiscalYear"] = [fromPlan ? PlanFieldsFixed : "自评的年度在新建后不能修改；如填错，请新建一份自评。"];
        }

        if (input.Deadline is { } deadline && deadline != se.Deadline)
        {
            errors["deadline"] = [fromPlan ? PlanFieldsFixed : "自评的截止日期在新建后不能修改。"];
        }

        return errors;
    }

    /// <summary>
    /// Whether the caller may change this self-evaluation at all (its unit's filler), asked before a request's
    /// content is read: a caller who may not act is refused (403; 404 outside the scope) and learns nothing
    /// from validation. Null when the caller may go on.
    /// </summary>
    public async Task<SelfEvaluationSaveResult?> RefusalAsync(Guid id, WorkflowActor actor, CancellationToken ct) =>
        Refusal(await db.SelfEvaluations.Where(s => s.Id == id).Select(s => (Guid?)s.OrganisationId).SingleOrDefaultAsync(ct), actor);

    private static SelfEvaluationSaveResult? Refusal(Guid? organisationId, WorkflowActor actor) =>
        organisationId is null ? SelfEvaluationSaveResult.Fail(FireStatus.NotFound, string.Empty, "记录不存在或您无权查看。")
        : !actor.IsInRole(Roles.UnitFiller) || actor.OrganisationId != organisationId ? SelfEvaluationSaveResult.Fail(FireStatus.Forbidden, string.Empty, "只有本单位的填报人可以修改自评。")
        : null;

    /// <summary>
    /// Every change of a self-evaluation's content goes through here: only the unit's filler, only while
    /// 草稿 or 退回修改, under the case lock that Fire takes (an edit and a submission never interleave),
    /// and against the row version the caller saw (null = the caller did not say; last write wins).
    /// <paramref name="change"/> returns validation errors to abort without saving. <paramref name="movesVersion"/> false is for
    /// changes of separate records (attachments): they take the same checks and lock but leave the form's version alone, so
    /// an upload in one tab does not make the form's save in another a conflict.
    /// </summary>
    public async Task<SelfEvaluationSaveResult> EditAsync(Guid id, WorkflowActor actor, uint? expectedVersion,
        Func<SelfEvaluation, CancellationToken, Task<IReadOnlyDictionary<string, string[]>?>> change, CancellationToken ct, bool movesVersion = true)
    {
        var se = await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (se is null || Refusal(se.OrganisationId, actor) is not null)
        {
            return Refusal(se?.OrganisationId, actor)!;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);

            // Same lock as Fire: an edit and a submission of one case never interleave. Lock and state are
            // one statement.
            var state = (await CaseLock.StateAsync(db, se.CaseId!.Value, ct))!.State;
            if (!EditableStates.Contains(state))
            {
                return SelfEvaluationSaveResult.Fail(FireStatus.Conflict, string.Empty, "自评已提交，当前状态下不能修改。");
            }

            var tracked = await db.SelfEvaluations.SingleAsync(s => s.Id == id, ct);
            if (expectedVersion is { } expected && tracked.RowVersion != expected)
            {
                return SelfEvaluationSaveResult.Fail(FireStatus.Conflict, string.Empty, StaleMessage);
            }

            if (await change(tracked, ct) is { Count: > 0 } invalid)
            {
                return new(FireStatus.Invalid, null, invalid);
            }

            // A change of the form is always written, so the row version moves even when only child rows (indicators)
            // changed or the clock has not moved: a save is what other editors must notice.
            if (movesVersion)
            {
                tracked.UpdatedAt = clock.GetUtcNow();
                db.Entry(tracked).Property(s => s.UpdatedAt).IsModified = true;
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return SelfEvaluationSaveResult.Fail(FireStatus.Conflict, string.Empty, StaleMessage);
            }

            await tx.CommitAsync(ct);
            return SelfEvaluationSaveResult.Ok(tracked);
        });
    }

    /// <summary>What a filler sees when someone else saved in between.</summary>
    public const string StaleMessage = "自评已被他人修改，请刷新页面后再保存（您的修改未保存）。";

    /// <summary>The header's own checks, keyed as the API names the fields; the pages add them to a refusal of values that did not bind.</summary>
    internal static Dictionary<string, string[]> Validate(SelfEvaluationInput input, bool requireHeader)
    {
        var errors = new Dictionary<string, string[]>();
        if (requireHeader && string.IsNullOrWhiteSpace(input.Title))
        {
            errors["title"] = ["请填写自评标题。"];
        }

        if (input.Title is { Length: > 300 })
        {
            errors["title"] = ["标题不能超过 300 字。"];
        }

        if (requireHeader && input.FiscalYear is not (>= 2000 and <= 2100))
        {
            errors["fiscalYear"] = ["请填写有效的年度。"];
        }

        if (requireHeader && input.Deadline is null)
        {
            errors["deadline"] = ["请填写截止日期。"];
        }

        if (Shared.DateRange.Problem("截止日期", input.Deadline) is { } outOfRange)
        {
            errors["deadline"] = [outOfRange];
        }

        if (input.TotalBudget is < 0)
        {
            errors["totalBudget"] = ["全年预算数不能为负数。"];
        }

        if (input.TotalBudget is >= 10_000_000_000_000_000m)
        {
            errors["totalBudget"] = ["全年预算数过大。"];
        }

        return errors;
    }

    // 万元 with two decimals, half away from zero, as everywhere in the product.
    private static decimal? Round(decimal? amount) => amount is { } a ? Math.Round(a, 2, MidpointRounding.AwayFromZero) : null;
}
