using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Findings;

internal sealed record FindingInput(Guid? OrganisationId, int? FiscalYear, string? Category, string? Title, string? Detail, string? IndicatorRow,
    string? Recommendation, DateOnly? Deadline, string? Source, string? SourceDocument, DateOnly? SourceDate,
    bool RectifiedBeforeReport = false, DateOnly? RectifiedOn = null, string? RectifiedEvidence = null)
{
    /// <summary>
    /// As stored: 问题类别, 问题, 对应指标 and 来源文号 are one line (the title becomes the case's and the 待办's title and a
    /// ledger cell), the description, the recommendation and the evidence note keep their lines.
    /// </summary>
    public FindingInput Normalised() => this with
    {
        Category = TextInput.Line(Category),
        Title = TextInput.Line(Title),
        Detail = TextInput.Block(Detail),
        IndicatorRow = TextInput.Line(IndicatorRow),
        Recommendation = TextInput.Block(Recommendation),
        Source = TextInput.Line(Source),
        SourceDocument = TextInput.Line(SourceDocument),
        RectifiedEvidence = TextInput.Block(RectifiedEvidence),
    };
}

/// <summary>Writing to the 问题台账: from an accepted evaluation (inside its Fire) or by the bureau by hand.</summary>
internal sealed class FindingRegister(AppDbContext db, TimeProvider clock, DueDates dueDates, WorkflowEngine engine, Notifications.NotificationWriter writer)
{
    /// <summary>
    /// Adds (does not save) one finding per problem, each open one with its rectification case; the Fire
    /// transaction saves them with the state change. A finding is registered once per evaluation and title
    /// (the unique index): accepted again after a reopening, the findings already registered stay as they are
    /// (their rectification may be under way) and only the problems not yet registered are added. A finding
    /// whose problem was dropped in the rework stays in the register too; the bureau settles it there.
    /// </summary>
    public static async Task AddFromEvaluationAsync(FireContext context, Evaluation e, DateOnly deadline, Notifications.NotificationWriter writer, CancellationToken ct)
    {
        var (db, now) = (context.Db, context.Now);
        var registered = (await db.Findings.IgnoreQueryFilters().Where(f => f.EvaluationId == e.Id).Select(f => f.Title).ToListAsync(ct)).ToHashSet();
        var added = e.Problems.Where(p => !registered.Contains(p.Title)).OrderBy(p => p.No).ToList();
        if (added.Count == 0)
        {
            return;
        }

        var seq = await NextSeqAsync(db, e.FiscalYear, FindingSource.ThirdParty, ct);
        foreach (var p in added)
        {
            var finding = new Finding
            {
                Id = Guid.CreateVersion7(now),
                Number = NumberOf(e.FiscalYear, FindingSource.ThirdParty, seq++),
                OrganisationId = e.OrganisationId,
                FiscalYear = e.FiscalYear,
                Category = p.Category,
                Title = p.Title,
                Detail = p.Detail,
                IndicatorRow = p.IndicatorRow,
                Recommendation = p.Recommendation,
                Deadline = deadline,
                Source = FindingSource.ThirdParty,
                SourceDocument = e.ReportNumber,
                SourceDate = e.ReportDate,
                EvaluationId = e.Id,
                PriorSourceKind = p.PriorSourceKind,
                PriorSourceDocument = p.PriorSourceDocument,
                UnitComment = p.UnitComment,
                UnitDisputed = p.Disputed,
                FirmAnswer = p.FirmAnswer,
                Status = p.RectifiedBeforeReport ? FindingStatus.Rectified : FindingStatus.Open,
                RectifiedBeforeReport = p.RectifiedBeforeReport,
                RectifiedOn = p.RectifiedOn,
                RectifiedEvidence = p.RectifiedEvidence,
                CreatedBy = context.Actor.UserId,
                CreatedAt = now,
            };
            db.Findings.Add(finding);
            await Rectifications.RectificationCases.StartAsync(context.Engine, finding, context.Actor, ct);
        }

        Notifications.CombinedMails.FindingNotices(db, writer, now);
    }

    /// <summary>A finding from 审计, 巡察 or the unit's own 自评, registered by a finance officer.</summary>
    public async Task<(Finding? Finding, IReadOnlyDictionary<string, string[]> Errors, FireStatus Status)> RegisterAsync(FindingInput input, WorkflowActor actor, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.FinanceOfficer) || actor.OrganisationKind != OrganisationKind.FinanceBureau)
        {
            return (null, new Dictionary<string, string[]> { [string.Empty] = ["只有财政局绩效管理员可以登记问题。"] }, FireStatus.Forbidden);
        }

        input = input.Normalised();

        var errors = Validate(input, await FindingCategories.ActiveAsync(db, ct), dueDates.Today(clock.GetUtcNow()));
        var source = FindingLabels.ParseSource(input.Source);
        if (source == FindingSource.ThirdParty)
        {
            errors["source"] = ["第三方评价的问题在评价验收时自动生成，不能手工登记。"];
        }

        if (input.OrganisationId is { } orgId && !await db.Organisations.AnyAsync(o => o.Id == orgId && o.Kind == OrganisationKind.BudgetUnit, ct))
        {
            errors["organisationId"] = ["责任单位不存在。"];
        }

        if (errors.Count > 0)
        {
            return (null, errors, FireStatus.Invalid);
        }

        // The number is taken under a lock held to the commit (NextSeqAsync), so the save has its own transaction.
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var finding = await AddRegisteredAsync(input, source!.Value, actor, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return (finding, (IReadOnlyDictionary<string, string[]>)new Dictionary<string, string[]>(), FireStatus.Ok);
        });
    }

    /// <summary>
    /// 问题台账批量登记 (Findings/Import): rows already checked one by one, registered exactly as <see cref="RegisterAsync"/>
    /// registers one (the same <see cref="AddRegisteredAsync"/> per row: number, finding, and for an open one its case with
    /// the 整改通知 into the outbox), all in ONE transaction, so a failure anywhere leaves none of them.
    /// <paramref name="inTransaction"/> runs first inside that transaction (the caller's re-check under its lock, its
    /// audit line); a non-empty answer from it is why nothing is saved.
    /// </summary>
    public async Task<(IReadOnlyList<Finding> Findings, IReadOnlyList<string> Refused, FireStatus Status)> RegisterManyAsync(
        IReadOnlyList<(FindingInput Input, FindingSource Source)> rows, WorkflowActor actor,
        Func<CancellationToken, Task<IReadOnlyList<string>>> inTransaction, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.FinanceOfficer) || actor.OrganisationKind != OrganisationKind.FinanceBureau)
        {
            return ([], ["只有财政局绩效管理员可以登记问题。"], FireStatus.Forbidden);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var refused = await inTransaction(ct);
            if (refused.Count > 0)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return ((IReadOnlyList<Finding>)[], refused, FireStatus.Conflict);
            }

            // Every query of the loop would otherwise scan all the entities added so far for changes (quadratic in the
            // rows: 300 rows took ten seconds). The loop only adds; the save detects changes once, as it always does.
            var findings = new List<Finding>(rows.Count);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                foreach (var (input, source) in rows)
                {
                    findings.Add(await AddRegisteredAsync(input.Normalised(), source, actor, ct));
                }

                Notifications.CombinedMails.FindingNotices(db, writer, clock.GetUtcNow());
            }
            finally
            {
                db.ChangeTracker.AutoDetectChangesEnabled = true;
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return ((IReadOnlyList<Finding>)findings, (IReadOnlyList<string>)[], FireStatus.Ok);
        });
    }

    private async Task<Finding> AddRegisteredAsync(FindingInput input, FindingSource source, WorkflowActor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var year = input.FiscalYear!.Value;
        var finding = new Finding
        {
            Id = Guid.CreateVersion7(now),
            Number = NumberOf(year, source, await NextSeqAsync(db, year, source, ct)),
            OrganisationId = input.OrganisationId!.Value,
            FiscalYear = year,
            Category = input.Category!,
            Title = input.Title!,
            Detail = input.Detail!,
            IndicatorRow = input.IndicatorRow,
            Recommendation = input.Recommendation,
            Deadline = input.Deadline ?? dueDates.DefaultRectificationDeadline(dueDates.Today(now)),
            Source = source,
            SourceDocument = input.SourceDocument,
            SourceDate = input.SourceDate,
            Status = input.RectifiedBeforeReport ? FindingStatus.Rectified : FindingStatus.Open,
            RectifiedBeforeReport = input.RectifiedBeforeReport,
            RectifiedOn = input.RectifiedOn,
            RectifiedEvidence = input.RectifiedEvidence,
            CreatedBy = actor.UserId,
            CreatedAt = now,
        };
        db.Findings.Add(finding);
        await Rectifications.RectificationCases.StartAsync(engine, finding, actor, ct);
        return finding;
    }

    /// <summary>Checks the input as it will be stored (normalised first).</summary>
    public static Dictionary<string, string[]> Validate(FindingInput input, IReadOnlyList<string> categories, DateOnly today)
    {
        input = input.Normalised();
        var errors = new Dictionary<string, string[]>();
        void Require(string key, string label, bool ok)
        {
            if (!ok)
            {
                errors[key] = [$"请填写「{label}」。"];
            }
        }

        Require("organisationId", "责任单位", input.OrganisationId is not null);
        if (input.FiscalYear is null)
        {
            Require("fiscalYear", "年度", false);
        }
        else if (!Shared.DateRange.IsYear(input.FiscalYear))
        {
            errors["fiscalYear"] = [$"「年度」应为 {Shared.DateRange.Min.Year} 至 {Shared.DateRange.Max.Year} 之间的年份。"];
        }

        Require("title", "问题", input.Title is not null);
        Require("detail", "具体情况及依据", input.Detail is not null); // the register form's and the evaluation's label
        if (string.IsNullOrWhiteSpace(input.Source))
        {
            Require("source", "问题来源", false);
        }
        else if (FindingLabels.ParseSource(input.Source) is null)
        {
            errors["source"] = ["「问题来源」应为 Audit（审计）、Inspection（巡察）或 SelfEvaluation（自评）。"];
        }

        Require("sourceDocument", "来源文号", input.SourceDocument is not null || FindingLabels.ParseSource(input.Source) == FindingSource.SelfEvaluation);
        if (input.Category is null || !categories.Contains(input.Category))
        {
            errors["category"] = [$"「问题类别」应为{string.Join("、", categories)}之一。"];
        }

        if (input.RectifiedBeforeReport && input.RectifiedOn is null)
        {
            errors["rectifiedOn"] = ["已整改的问题须填写整改完成日期。"];
        }

        // A typo such as 9999 or 0202 is refused by name, not saved (it would read as decades overdue).
        foreach (var (key, label, date) in new[] { ("deadline", "整改期限", input.Deadline), ("sourceDate", "来源日期", input.SourceDate), ("rectifiedOn", "整改完成日期", input.RectifiedOn) })
        {
            if (Shared.DateRange.Problem(label, date) is { } outOfRange)
            {
                errors[key] = [outOfRange];
            }
        }

        // A finding is about what has happened: a future year or source date is a typo.
        if (!errors.ContainsKey("fiscalYear") && input.FiscalYear > today.Year)
        {
            errors["fiscalYear"] = [$"「年度」不能晚于本年度（{today.Year}）。"];
        }

        if (!errors.ContainsKey("sourceDate") && input.SourceDate > today)
        {
            errors["sourceDate"] = ["「来源日期」不能晚于今天。"];
        }

        if (!errors.ContainsKey("rectifiedOn") && input.RectifiedOn > today)
        {
            errors["rectifiedOn"] = ["「整改完成日期」不能晚于今天。"];
        }

        // A past deadline is allowed: an audit's finding entered late keeps the deadline the audit set.
        if (!errors.ContainsKey("deadline") && !errors.ContainsKey("sourceDate") && input.Deadline < input.SourceDate)
        {
            errors["deadline"] = ["「整改期限」不能早于「来源日期」。"];
        }

        return errors;
    }

    /// <summary>
    /// The next number of a year and source. Two registrations at once would count the same number and one
    /// would fail on the unique index; a PostgreSQL lock on the year and source, held until the caller's
    /// transaction ends, queues them (on any node).
    /// </summary>
    private static async Task<int> NextSeqAsync(AppDbContext db, int year, FindingSource source, CancellationToken ct)
    {
        await db.Database.LockForTransactionAsync($"finding-number:{year}:{source}", ct);
        var saved = await db.Findings.IgnoreQueryFilters().CountAsync(f => f.FiscalYear == year && f.Source == source, ct);

        // A batch registration adds its findings before one save: those of this transaction not saved yet count too.
        var added = db.ChangeTracker.Entries<Finding>().Count(e => e.State == EntityState.Added && e.Entity.FiscalYear == year && e.Entity.Source == source);
        return saved + added + 1;
    }

    internal static string NumberOf(int year, FindingSource source, int seq) => $"{year}-{FindingLabels.Source(source)}-{seq:000}";
}
