using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations;
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

internal sealed record FollowUpItem(Finding Finding, string? Statement)
{
    /// <summary>Open findings need a statement; closed ones are listed for the record.</summary>
    public bool NeedsStatement => FollowUp.IsOpen(Finding.Status);
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

    public static bool IsOpen(FindingStatus status) => status is FindingStatus.Open or FindingStatus.InProgress or FindingStatus.Partial;

    /// <summary>Read as the system: the caller has already found the self-evaluation within its scope (or holds the case lock).</summary>
    public static async Task<IReadOnlyList<FollowUpItem>> ForAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct)
    {
        var (yearStart, yearEnd) = (new DateOnly(se.FiscalYear, 1, 1), new DateOnly(se.FiscalYear, 12, 31));
        var findings = await db.Findings.IgnoreQueryFilters().AsNoTracking()
            .Where(f => f.OrganisationId == se.OrganisationId && f.FiscalYear >= se.FiscalYear - Years && f.FiscalYear < se.FiscalYear)
            .Where(f => f.Status != FindingStatus.Rectified || (f.RectifiedOn >= yearStart && f.RectifiedOn <= yearEnd))
            .OrderBy(f => f.FiscalYear).ThenBy(f => f.Number).ToListAsync(ct);
        var statements = await db.FindingStatements.IgnoreQueryFilters().AsNoTracking().Where(s => s.SelfEvaluationId == se.Id)
            .ToDictionaryAsync(s => s.FindingId, s => s.Statement, ct);
        return findings.Select(f => new FollowUpItem(f, statements.GetValueOrDefault(f.Id))).ToList();
    }

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

        if (se.Status is not ("draft" or "returned"))
        {
            return FireResult.Invalid(["自评已提交，不能修改整改情况说明。"]);
        }

        var listed = (await ForAsync(db, se, ct)).Select(i => i.Finding.Id).ToHashSet();
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
    public string Name => nameof(FollowUpStated);

    public async Task<IReadOnlyList<string>> CheckAsync(FireContext context, CancellationToken ct) =>
        await ErrorsAsync(context.Db, await SelfEvaluationSubject.LoadAsync(context.Db, context.Instance.SubjectId, ct), ct);

    public static async Task<IReadOnlyList<string>> ErrorsAsync(AppDbContext db, SelfEvaluation se, CancellationToken ct) =>
        (await FollowUp.ForAsync(db, se, ct)).Where(i => i.NeedsStatement && i.Statement is null)
            .Select(i => $"请填写问题「{i.Finding.Number} {i.Finding.Title}」的整改情况说明（上年及以前发现问题的整改情况）。").ToList();
}
