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

    /// <summary>逾期 now, whatever the line says: it is about today's status and deadline.</summary>
    public bool Overdue(DateOnly today) => Current is not null && FindingOverdue.IsOverdue(Current.Status, Current.Deadline, today);
}

/// <summary>
/// The list a page, the print view or the API shows: live while the unit edits (draft, returned), else as
/// frozen in the latest submitted version. <see cref="Reconstructed"/>: that version predates the frozen list,
/// so which findings were listed is worked out and the status shown is today's.
/// </summary>
internal sealed record FollowUpList(IReadOnlyList<FollowUpItem> Items, SelfEvaluationVersion? Version, bool Reconstructed)
{
    public bool Frozen => Version is not null;
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
        var (yearStart, yearEnd) = (new DateOnly(se.FiscalYear, 1, 1), new DateOnly(se.FiscalYear, 12, 31));
        var findings = await Window(db, se)
            .Where(f => f.Status != FindingStatus.Rectified || (f.RectifiedOn >= yearStart && f.RectifiedOn <= yearEnd))
            .OrderBy(f => f.FiscalYear).ThenBy(f => f.Number).ToListAsync(ct);
        var statements = await StatementsAsync(db, se, ct);
        return findings.Select(f => new FollowUpItem(FollowUpLine.Of(f, statements.GetValueOrDefault(f.Id)), f)).ToList();
    }

    /// <summary>
    /// What the pages, the print view and the API show: once submitted, the list is what was submitted — later
    /// rectifications or findings registered afterwards must not make an accepted submission look different.
    /// </summary>
    public static async Task<FollowUpList> ShownAsync(AppDbContext db, SelfEvaluation se, ChinaClock china, CancellationToken ct)
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
        var statements = await StatementsAsync(db, se, ct);
        var stated = statements.Keys.ToList();
        var findings = await Window(db, se)
            .Where(f => stated.Contains(f.Id) || (f.CreatedAt <= submittedAt
                && ((f.Status == FindingStatus.Rectified && f.RectifiedOn >= yearStart && f.RectifiedOn <= yearEnd && f.RectifiedOn <= submittedOn)
                    || (f.Status == FindingStatus.Unrectifiable && f.ClosedOn <= submittedOn))))
            .OrderBy(f => f.FiscalYear).ThenBy(f => f.Number).ToListAsync(ct);
        return findings.Select(f => new FollowUpItem(FollowUpLine.Of(f, statements.GetValueOrDefault(f.Id)), f)).ToList();
    }

    /// <summary>The unit's findings of the three years before the self-evaluation's.</summary>
    private static IQueryable<Finding> Window(AppDbContext db, SelfEvaluation se) => db.Findings.IgnoreQueryFilters().AsNoTracking()
        .Where(f => f.OrganisationId == se.OrganisationId && f.FiscalYear >= se.FiscalYear - Years && f.FiscalYear < se.FiscalYear);

    private static Task<Dictionary<Guid, string>> StatementsAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct) =>
        db.FindingStatements.IgnoreQueryFilters().AsNoTracking().Where(s => s.SelfEvaluationId == se.Id).ToDictionaryAsync(s => s.FindingId, s => s.Statement, ct);

    /// <summary>Saves the unit's statements (blank ones are removed) while the self-evaluation is with the unit.</summary>
    public static async Task<FireResult> SaveAsync(AppDbContext db, Guid selfEvaluationId, IReadOnlyDictionary<Guid, string?> statements, WorkflowActor actor,
        DateTimeOffset now, CancellationToken ct)
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

        if (!IsWithUnit(se))
        {
            return FireResult.Invalid(["自评已提交，不能修改整改情况说明。"]);
        }

        var listed = (await ForAsync(db, se, ct)).Select(i => i.Line.FindingId).ToHashSet();
        var errors = statements.Keys.Where(id => !listed.Contains(id)).Select(id => $"问题 {id} 不在本次自评的整改跟踪范围内。")
            .Concat(statements.Where(s => s.Value is { Length: > MaxStatement }).Select(_ => $"整改情况说明不能超过 {MaxStatement} 字。")).ToList();
        if (errors.Count > 0)
        {
            return FireResult.Invalid(errors);
        }

        var existing = await db.FindingStatements.Where(s => s.SelfEvaluationId == se.Id).ToDictionaryAsync(s => s.FindingId, ct);
        foreach (var (findingId, text) in statements)
        {
            var clean = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
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

    public async Task<IReadOnlyList<string>> CheckAsync(FireContext context, CancellationToken ct)
    {
        var items = await FollowUp.ForAsync(context.Db, await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct), ct);
        context.SetItem(ItemKey, items);
        return Errors(items);
    }

    public static async Task<IReadOnlyList<string>> ErrorsAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct) => Errors(await FollowUp.ForAsync(db, se, ct));

    private static List<string> Errors(IReadOnlyList<FollowUpItem> items) =>
        items.Where(i => i.NeedsStatement && i.Line.Statement is null)
            .Select(i => $"请填写问题「{i.Line.Number} {i.Line.Title}」的整改情况说明（上年及以前发现问题的整改情况）。").ToList();
}
