using System.Globalization;
using System.Text.Json.Serialization;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Shared;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Rectifications;

/// <summary>The unit's status line (整改情况说明) for one earlier finding, in one self-evaluation.</summary>
internal sealed class FindingStatement
{
    public Guid Id { get; set; }

    public Guid SelfEvaluationId { get; set; }

    public Guid FindingId { get; set; }

    /// <summary>Copied from the self-evaluation so the data-scope filter needs no join.</summary>
    public Guid OrganisationId { get; set; }

    public required string Statement { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid UpdatedBy { get; set; }
}

internal sealed class FindingStatementConfiguration : IEntityTypeConfiguration<FindingStatement>
{
    public void Configure(EntityTypeBuilder<FindingStatement> b)
    {
        b.ToTable("finding_statements");
        b.Property(s => s.Statement).HasMaxLength(FollowUp.MaxStatement);
        b.HasOne<SelfEvaluation>().WithMany().HasForeignKey(s => s.SelfEvaluationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Finding>().WithMany().HasForeignKey(s => s.FindingId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.SelfEvaluationId, s.FindingId }).IsUnique();
    }
}

/// <summary>One finding of the list as the unit stated it; frozen into each submitted version (<c>followUpItems</c> of its JSON).</summary>
internal sealed record FollowUpLine(Guid FindingId, string Number, int FiscalYear, string Title, DateOnly Deadline,
    [property: JsonConverter(typeof(JsonStringEnumConverter<FindingStatus>))] FindingStatus Status, string? Statement)
{
    public static FollowUpLine Of(Finding f, string? statement) => new(f.Id, f.Number, f.FiscalYear, f.Title, f.Deadline, f.Status, statement);
}

/// <summary>A row of the list: the line (live, or as submitted) and the finding as it stands now (null if it is gone).</summary>
internal sealed record FollowUpItem(FollowUpLine Line, Finding? Current)
{
    /// <summary>Open findings need a statement; closed ones are listed for the record.</summary>
    public bool NeedsStatement => FollowUp.IsOpen(Line.Status);

    /// <summary>The status has moved on since the line was frozen (always false while live).</summary>
    public bool StatusChanged => Current is not null && Current.Status != Line.Status;

    public bool DeadlineChanged => Current is not null && Current.Deadline != Line.Deadline;

    /// <summary>逾期 (or 已按期报送，待财政核验) now, whatever the line says: it is about today's status and deadline.</summary>
    public DeadlineMark Mark(DateOnly today) => Current is null ? DeadlineMark.None : FindingOverdue.Mark(Current, today);

    public bool Overdue(DateOnly today) => Mark(today) == DeadlineMark.Overdue;
}

/// <summary>A statement the unit wrote on the same finding in another of its self-evaluations of the year (<see cref="FollowUp.CarriedAsync"/>).</summary>
internal sealed record CarriedStatement(string Statement, string FromTitle);

/// <summary>
/// The list a page, the print view or the API shows: live while the unit edits (draft, returned), else as
/// frozen in the latest submitted version. <see cref="Reconstructed"/>: that version predates the frozen list,
/// so which findings were listed is worked out and the status shown is today's.
/// </summary>
internal sealed record FollowUpList(IReadOnlyList<FollowUpItem> Items, SelfEvaluationVersion? Version, bool Reconstructed)
{
    public bool Frozen => Version is not null;

    /// <summary>The listed findings whose unit had one of the same category the year before (重复发生), marked wherever the list is shown.</summary>
    public IReadOnlySet<Guid> Recurring { get; init; } = new HashSet<Guid>();

    // The list's texts, one wording for the print view, the Word download and the Excel sheet.

    /// <summary>The status column's heading: a submitted list shows the status as submitted, a reconstructed one today's.</summary>
    public string StatusHeading => Reconstructed ? "现状态" : Frozen ? "提交时状态" : "状态";

    public string TitleOf(FollowUpItem item) => item.Line.Title + (Recurring.Contains(item.Line.FindingId) ? "（重复发生）" : string.Empty);

    public static string StatementOf(FollowUpItem item) => item.Line.Statement ?? (item.NeedsStatement ? "（未填写）" : string.Empty);
}

/// <summary>
/// 上年及以前发现问题的整改情况: a self-evaluation for year N lists the unit's findings of the three years
/// before N that are not closed, or were closed during N, and every open one needs the unit's statement
/// before the self-evaluation can be submitted (the 2021 sample was marked down for leaving this out).
/// </summary>
internal static class FollowUp
{
    public const int MaxStatement = 2000;

    public const int Years = 3;

    public static bool IsOpen(FindingStatus status) => FindingOverdue.IsOpen(status);

    /// <summary>The unit may change the statements (and the list follows the register) only while the self-evaluation is with it.</summary>
    public static bool IsWithUnit(SelfEvaluation se) => SelfEvaluationService.EditableStates.Contains(se.Status);

    /// <summary>The live list. Read as the system: the caller has already found the self-evaluation within its scope (or holds the case lock).</summary>
    public static async Task<IReadOnlyList<FollowUpItem>> ForAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct)
    {
        var (yearStart, yearEnd, id, statements) = (new DateOnly(se.FiscalYear, 1, 1), new DateOnly(se.FiscalYear, 12, 31), se.Id, db.FindingStatements);

        // Each finding with this self-evaluation's statement about it, in one query (it runs in every submission); the
        // window's IgnoreQueryFilters covers the subquery too.
        var rows = await Window(db, se)
            .Where(f => f.Status != FindingStatus.Rectified || (f.RectifiedOn >= yearStart && f.RectifiedOn <= yearEnd))
            .OrderBy(f => f.FiscalYear).ThenBy(f => f.Number)
            .Select(f => new { Finding = f, Statement = statements.Where(s => s.SelfEvaluationId == id && s.FindingId == f.Id).Select(s => s.Statement).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(r => new FollowUpItem(FollowUpLine.Of(r.Finding, r.Statement), r.Finding)).ToList();
    }

    /// <summary>
    /// What the pages, the print view and the API show: once submitted, the list is what was submitted — later
    /// rectifications or findings registered afterwards must not make an accepted submission look different.
    /// </summary>
    public static async Task<FollowUpList> ShownAsync(AppDbContext db, SelfEvaluation se, ChinaClock china, CancellationToken ct)
    {
        var list = await ListedAsync(db, se, china, ct);
        return list with { Recurring = await RecurringFindings.AmongAsync(db, list.Items.Select(i => i.Current).OfType<Finding>().ToList(), ct) };
    }

    private static async Task<FollowUpList> ListedAsync(AppDbContext db, SelfEvaluation se, ChinaClock china, CancellationToken ct)
    {
        var version = IsWithUnit(se) || se.CurrentVersion == 0 ? null
            : await db.SelfEvaluationVersions.IgnoreQueryFilters().AsNoTracking()
                .SingleOrDefaultAsync(v => v.SelfEvaluationId == se.Id && v.VersionNo == se.CurrentVersion, ct);
        if (version is null)
        {
            return new(await ForAsync(db, se, ct), null, false);
        }

        if (SelfEvaluationContent.Parse(version.ContentJson)?.FollowUpItems is not { } lines)
        {
            return new(await ReconstructedAsync(db, se, version.SubmittedAt, DateOnly.FromDateTime(china.ToLocal(version.SubmittedAt).DateTime), ct), version, true);
        }

        var ids = lines.Select(l => l.FindingId).ToList();
        var current = await db.Findings.IgnoreQueryFilters().AsNoTracking().Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, ct);
        return new(lines.Select(l => new FollowUpItem(l, current.GetValueOrDefault(l.FindingId))).ToList(), version, false);
    }

    /// <summary>
    /// A version frozen before the list was kept has the statements only. Every finding open at submission needed
    /// one, so the list was those with a statement plus the findings already closed by then that the window kept
    /// (rectified during the year, or 无法整改). Which status each had then is not known: the line carries today's.
    /// </summary>
    private static async Task<IReadOnlyList<FollowUpItem>> ReconstructedAsync(AppDbContext db, SelfEvaluation se, DateTimeOffset submittedAt, DateOnly submittedOn,
        CancellationToken ct)
    {
        var (yearStart, yearEnd) = (new DateOnly(se.FiscalYear, 1, 1), new DateOnly(se.FiscalYear, 12, 31));
        var statements = await StatementsAsync(db, se.Id, ct);
        var stated = statements.Keys.ToList();
        var findings = await Window(db, se)
            .Where(f => stated.Contains(f.Id) || (f.CreatedAt <= submittedAt
                && ((f.Status == FindingStatus.Rectified && f.RectifiedOn >= yearStart && f.RectifiedOn <= yearEnd && f.RectifiedOn <= submittedOn)
                    || (f.Status == FindingStatus.Unrectifiable && f.ClosedOn <= submittedOn))))
            .OrderBy(f => f.FiscalYear).ThenBy(f => f.Number).ToListAsync(ct);
        return findings.Select(f => new FollowUpItem(FollowUpLine.Of(f, statements.GetValueOrDefault(f.Id)), f)).ToList();
    }

    /// <summary>
    /// 带入: a unit's 部门整体 and 项目 self-evaluations of one year list the same earlier findings, so it would type the
    /// same statement into each. For every open finding still without one here: the newest statement on it from another
    /// self-evaluation of the same unit and year. Offered in the box while the list is live; stored only when saved.
    /// Read as the system, like <see cref="ForAsync"/>: the caller has found this self-evaluation within its scope,
    /// and only its own unit's statements are read.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, CarriedStatement>> CarriedAsync(AppDbContext db, SelfEvaluation se, IReadOnlyList<FollowUpItem> items,
        CancellationToken ct)
    {
        var blank = items.Where(i => i.NeedsStatement && string.IsNullOrWhiteSpace(i.Line.Statement)).Select(i => i.Line.FindingId).ToList();
        if (blank.Count == 0 || !IsWithUnit(se))
        {
            return new Dictionary<Guid, CarriedStatement>();
        }

        var (organisationId, year, id) = (se.OrganisationId, se.FiscalYear, se.Id);
        var rows = await (from s in db.FindingStatements.IgnoreQueryFilters()
                          join e in db.SelfEvaluations.IgnoreQueryFilters() on s.SelfEvaluationId equals e.Id
                          where s.OrganisationId == organisationId && e.OrganisationId == organisationId && e.FiscalYear == year && e.Id != id
                                && blank.Contains(s.FindingId)
                          orderby s.UpdatedAt descending
                          select new { s.FindingId, s.Statement, e.Title }).AsNoTracking().ToListAsync(ct);
        return rows.GroupBy(r => r.FindingId).ToDictionary(g => g.Key, g => new CarriedStatement(g.First().Statement, g.First().Title));
    }

    /// <summary>The unit's findings of the three years before the self-evaluation's.</summary>
    private static IQueryable<Finding> Window(AppDbContext db, SelfEvaluation se)
    {
        // Locals, not se.FiscalYear - Years: EF evaluates such an expression by compiling it on every call.
        var (organisationId, from, to) = (se.OrganisationId, se.FiscalYear - Years, se.FiscalYear);
        return db.Findings.IgnoreQueryFilters().AsNoTracking()
            .Where(f => f.OrganisationId == organisationId && f.FiscalYear >= from && f.FiscalYear < to);
    }

    private static Task<Dictionary<Guid, string>> StatementsAsync(AppDbContext db, Guid selfEvaluationId, CancellationToken ct) =>
        db.FindingStatements.IgnoreQueryFilters().AsNoTracking().Where(s => s.SelfEvaluationId == selfEvaluationId).ToDictionaryAsync(s => s.FindingId, s => s.Statement, ct);

    /// <summary>
    /// The stamp of a statement as the client loaded it (none is a statement too): a save brings it back per item, so
    /// the server can tell what this user changed (the posted text differs from what the stamp stands for) and what
    /// someone else changed since (the stored text differs). Of the content, not of a time: A→B→A is no change.
    /// </summary>
    public static string StampOf(string? statement) =>
        ContentStamp.Of(statement ?? string.Empty);

    /// <summary>What a save means for one item: the posted text against what the user loaded (stamp) and what is stored now.</summary>
    public enum Change
    {
        /// <summary>The user left it as loaded (or it already reads so): nothing to write.</summary>
        None,

        Write,

        /// <summary>The user changed it and so did someone else since it was loaded: refused, never overwritten silently.</summary>
        Conflict,
    }

    /// <summary>
    /// <paramref name="stamp"/> null or blank: never written (a save must say what it read; <see cref="SaveAsync"/> refuses
    /// such a request before this, and a page row without a stamp is the user's conflict to settle, not an overwrite).
    /// </summary>
    public static Change Classify(string? posted, string? stamp, string? stored)
    {
        if (string.Equals(posted, stored, StringComparison.Ordinal))
        {
            return Change.None;
        }

        if (string.IsNullOrWhiteSpace(stamp))
        {
            return Change.Conflict;
        }

        stamp = stamp.Trim();
        if (string.Equals(StampOf(posted), stamp, StringComparison.Ordinal))
        {
            // Unchanged by this user: a stale copy of what someone else has since saved must not overwrite it.
            return Change.None;
        }

        return string.Equals(StampOf(stored), stamp, StringComparison.Ordinal) ? Change.Write : Change.Conflict;
    }

    /// <summary>Names the finding in a message about its statement, as the submission check does.</summary>
    public static string Label(FollowUpLine line) => $"问题「{line.Number} {line.Title}」";

    public static string TooLongMessage(FollowUpLine line, int length) =>
        $"{Label(line)}的整改情况说明不能超过 {MaxStatement} 字（现 {length.ToString("N0", CultureInfo.InvariantCulture)} 字）。";

    /// <summary>A statement sent without its stamp, naming the finding and the GET that gives the stamp.</summary>
    public static string MissingStampMessage(FollowUpLine line, Guid findingId, Guid selfEvaluationId) =>
        $"缺少{Label(line)}的版本标记 stamps.{findingId}：请先读取整改情况（GET /api/self-evaluations/{selfEvaluationId}/follow-up，各项的 stamp）并随保存一并提交，以免覆盖他人的修改。";

    public static string ConflictMessage(FollowUpLine line) =>
        $"{Label(line)}的整改情况说明在你打开页面后已被他人修改，为免覆盖他人的内容，本次保存未生效。请查看他人保存的内容后再保存。";

    /// <summary>
    /// Saves the statements the user changed (blank ones are removed) while the self-evaluation is with the unit.
    /// <paramref name="stamps"/>: per item, <see cref="StampOf"/> the statement the user loaded. An item the user did
    /// not change is not written (a stale blank from a tab opened earlier must not erase another's statement); one
    /// changed by both the user and someone else since is refused (409) naming the finding. All or nothing: any
    /// refusal saves none of the items, so the page can hand all the typed text back for another try.
    /// </summary>
    public static async Task<EditResult> SaveAsync(AppDbContext db, Guid selfEvaluationId, IReadOnlyDictionary<Guid, string?> statements,
        IReadOnlyDictionary<Guid, string?>? stamps, WorkflowActor actor, DateTimeOffset now, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await SaveLockedAsync(db, selfEvaluationId, statements, stamps ?? new Dictionary<Guid, string?>(), actor, now, ct);
            if (result.Succeeded)
            {
                await tx.CommitAsync(ct);
            }

            return result;
        });
    }

    private static async Task<EditResult> SaveLockedAsync(AppDbContext db, Guid selfEvaluationId, IReadOnlyDictionary<Guid, string?> statements,
        IReadOnlyDictionary<Guid, string?> stamps, WorkflowActor actor, DateTimeOffset now, CancellationToken ct)
    {
        var se = await db.SelfEvaluations.AsNoTracking().SingleOrDefaultAsync(s => s.Id == selfEvaluationId, ct);
        if (se is null)
        {
            return FireResult.NotFound();
        }

        if (!(actor.IsInRole(Roles.UnitFiller) && actor.OrganisationKind == OrganisationKind.BudgetUnit && actor.OrganisationId == se.OrganisationId))
        {
            return FireResult.Forbidden("只有本单位填报人可以填写整改情况说明。");
        }

        // Saves of one self-evaluation's statements run one after another, so the check against what is stored holds until written.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM budgeteval.self_evaluations WHERE \"Id\" = {se.Id} FOR UPDATE", ct);
        if (!IsWithUnit(se))
        {
            return FireResult.Invalid(["自评已提交，不能修改整改情况说明。"]);
        }

        var listed = (await ForAsync(db, se, ct)).ToDictionary(i => i.Line.FindingId, i => i.Line);

        // Every statement of a listed finding needs the stamp of its row as read, or nothing is saved: without it a stale
        // copy would overwrite what someone else wrote since. Under stamps.{findingId}, as the request's stamps object names
        // it. A finding not in the list has no row (and no stamp) to read: it is refused under statements.{findingId} below.
        var unstamped = statements.Keys.Where(id => listed.ContainsKey(id) && string.IsNullOrWhiteSpace(stamps.GetValueOrDefault(id)))
            .Select(id => new FieldError($"stamps.{id}", MissingStampMessage(listed[id], id, se.Id))).ToList();
        if (unstamped.Count > 0)
        {
            return EditResult.MissingStamp(unstamped);
        }
        var existing = await db.FindingStatements.Where(s => s.SelfEvaluationId == se.Id).ToDictionaryAsync(s => s.FindingId, ct);

        // Each under its entry of the request's statements object, as the JSON path names it (statements.{findingId}); in list order.
        var invalid = statements.Keys.Where(id => !listed.ContainsKey(id))
            .Select(id => new FieldError($"statements.{id}", $"问题 {id} 不在本次自评的整改跟踪范围内。")).ToList();
        var conflicts = new List<FieldError>();
        var writes = new List<(Guid FindingId, string? Text)>();
        foreach (var line in listed.Values)
        {
            if (!statements.TryGetValue(line.FindingId, out var text))
            {
                continue;
            }

            var clean = TextInput.Block(text);
            var change = Classify(clean, stamps.GetValueOrDefault(line.FindingId), existing.GetValueOrDefault(line.FindingId)?.Statement);
            if (clean is { Length: > MaxStatement } && change != Change.None)
            {
                invalid.Add(new($"statements.{line.FindingId}", TooLongMessage(line, clean.Length)));
            }

            if (change == Change.Conflict)
            {
                conflicts.Add(new($"statements.{line.FindingId}", ConflictMessage(line)));
            }
            else if (change == Change.Write)
            {
                writes.Add((line.FindingId, clean));
            }
        }

        if (invalid.Count > 0)
        {
            // A conflict found on the way is said too, so the user sees everything to settle at once.
            return EditResult.Invalid([.. invalid, .. conflicts]);
        }

        if (conflicts.Count > 0)
        {
            return EditResult.Conflict(conflicts);
        }

        foreach (var (findingId, clean) in writes)
        {
            if (existing.TryGetValue(findingId, out var row))
            {
                if (clean is null)
                {
                    db.FindingStatements.Remove(row);
                }
                else
                {
                    (row.Statement, row.UpdatedAt, row.UpdatedBy) = (clean, now, actor.UserId);
                }
            }
            else if (clean is not null)
            {
                db.FindingStatements.Add(new FindingStatement
                {
                    Id = Guid.CreateVersion7(now),
                    SelfEvaluationId = se.Id,
                    FindingId = findingId,
                    OrganisationId = se.OrganisationId,
                    Statement = clean,
                    UpdatedAt = now,
                    UpdatedBy = actor.UserId,
                });
            }
        }

        await db.SaveChangesAsync(ct);
        return new FireResult(FireStatus.Ok, se.Status, null, 0, []);
    }
}

/// <summary>Submission waits until every open earlier finding has the unit's statement.</summary>
internal sealed class FollowUpStated : IGuard
{
    /// <summary>The list the guard checked, handed to the snapshot of the same Fire (read once per submission).</summary>
    public const string ItemKey = "followUp";

    public string Name => nameof(FollowUpStated);

    public async Task<IReadOnlyList<FieldError>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var items = await FollowUp.ForAsync(context.Db, await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct), ct);
        context.SetItem(ItemKey, items);
        return Errors(items).AboutContent();
    }

    public static async Task<IReadOnlyList<string>> ErrorsAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct) => Errors(await FollowUp.ForAsync(db, se, ct));

    private static List<string> Errors(IReadOnlyList<FollowUpItem> items) =>
        items.Where(i => i.NeedsStatement && i.Line.Statement is null)
            .Select(i => $"请填写问题「{i.Line.Number} {i.Line.Title}」的整改情况说明（上年及以前发现问题的整改情况）。").ToList();
}
