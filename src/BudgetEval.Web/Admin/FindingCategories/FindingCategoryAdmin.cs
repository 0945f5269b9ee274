using BudgetEval.Web.Audit;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.FindingCategories;

/// <summary>One 问题类别 as the admin page and GET /api/finding-categories list it; <c>Findings</c>: how many findings carry it.</summary>
internal sealed record CategoryRow(int Id, string Name, bool IsActive, int Findings);

internal enum CategoryChange
{
    Ok,

    /// <summary>The name is blank or too long (400).</summary>
    Invalid,

    /// <summary>A category of that name exists, active or retired (409).</summary>
    Duplicate,

    NotFound,

    /// <summary>Retiring it would leave nothing to pick (422).</summary>
    LastActive,
}

/// <summary>What a change to the list came to: the category as it is now, or why nothing was saved (under the field it is about).</summary>
internal sealed record CategoryOutcome(CategoryChange Status, CategoryRow? Category, FieldError? Error);

/// <summary>
/// The rules of the 问题类别 list, shared by the admin page and /api/finding-categories: names are one line,
/// required, at most 50 characters and unique (a retired one included, to be brought back instead); at least
/// one category stays active; every change is audited in the same save.
/// </summary>
internal static class FindingCategoryAdmin
{
    public const int MaxLength = 50;

    /// <summary>The API's name for the field; the page's input has the same name.</summary>
    public const string NameField = "name";

    public const string LastActiveMessage = "至少保留一个启用的问题类别。";

    /// <summary>The list in its order; retired categories only when asked (the administrator's view).</summary>
    public static async Task<List<CategoryRow>> ListAsync(AppDbContext db, bool includeInactive, CancellationToken ct) =>
        await Rows(db, db.FindingCategories.AsNoTracking().Where(c => includeInactive || c.IsActive)).ToListAsync(ct);

    public static async Task<CategoryRow?> FindAsync(AppDbContext db, int id, bool includeInactive, CancellationToken ct) =>
        await Rows(db, db.FindingCategories.AsNoTracking().Where(c => c.Id == id && (includeInactive || c.IsActive))).SingleOrDefaultAsync(ct);

    public static async Task<CategoryOutcome> AddAsync(AppDbContext db, HttpContext http, DateTimeOffset now, string? name, CancellationToken ct)
    {
        name = TextInput.Line(name); // a category is a finding's one-line field
        if (string.IsNullOrEmpty(name))
        {
            return Refused(CategoryChange.Invalid, "「类别名称」：必填。");
        }

        if (name.Length > MaxLength)
        {
            return Refused(CategoryChange.Invalid, $"「类别名称」：不能超过 {MaxLength} 个字符。");
        }

        if (await db.FindingCategories.AnyAsync(c => c.Name == name, ct))
        {
            return Refused(CategoryChange.Duplicate, $"「类别名称」：已有类别“{name}”（如已停用，可重新启用）。");
        }

        var order = await db.FindingCategories.MaxAsync(c => (int?)c.SortOrder, ct) ?? 0;
        var category = new FindingCategory { Name = name, SortOrder = order + 10 };
        db.FindingCategories.Add(category);
        AuditTrail.Add(db, http, now, AuditActions.CategoryChanged, name, "新增问题类别");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone added the same name a moment earlier (the unique index); the audit line went with it.
            db.ChangeTracker.Clear();
            return Refused(CategoryChange.Duplicate, $"「类别名称」：已有类别“{name}”。");
        }

        return new CategoryOutcome(CategoryChange.Ok, new CategoryRow(category.Id, category.Name, category.IsActive, 0), null);
    }

    /// <summary>
    /// Activates or retires a category; <paramref name="active"/> null flips it (the page's one button). Asking for the
    /// state it is already in changes nothing and writes no audit line.
    /// </summary>
    public static async Task<CategoryOutcome> SetActiveAsync(AppDbContext db, HttpContext http, DateTimeOffset now, int id, bool? active, CancellationToken ct)
    {
        if (await db.FindingCategories.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } category)
        {
            return new CategoryOutcome(CategoryChange.NotFound, null, null);
        }

        var next = active ?? !category.IsActive;
        if (next == category.IsActive)
        {
            return new CategoryOutcome(CategoryChange.Ok, await FindAsync(db, id, includeInactive: true, ct), null);
        }

        // Two administrators retiring the last two active categories at once must not both pass the count: the active
        // rows are locked first (FOR UPDATE), so the second waits and then counts one. In the execution strategy, as
        // the connection retries on failure and a retry must run the whole transaction again.
        var strategy = db.Database.CreateExecutionStrategy();
        var refused = await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var stillActive = await db.Database.SqlQuery<int>($"""
                SELECT "Id" AS "Value" FROM budgeteval.finding_categories WHERE "IsActive" FOR UPDATE
                """).ToListAsync(ct);
            await db.Entry(category).ReloadAsync(ct);
            if (next == category.IsActive)
            {
                return false; // someone else made the same change meanwhile
            }

            if (!next && stillActive.Count == 1)
            {
                return true;
            }

            category.IsActive = next;
            AuditTrail.Add(db, http, now, AuditActions.CategoryChanged, category.Name, next ? "启用问题类别" : "停用问题类别");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return false;
        });
        if (refused)
        {
            return Refused(CategoryChange.LastActive, LastActiveMessage, field: string.Empty);
        }

        return new CategoryOutcome(CategoryChange.Ok, await FindAsync(db, id, includeInactive: true, ct), null);
    }

    private static CategoryOutcome Refused(CategoryChange status, string message, string field = NameField) =>
        new(status, null, new FieldError(field, message));

    private static IQueryable<CategoryRow> Rows(AppDbContext db, IQueryable<FindingCategory> categories) =>
        categories.OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new CategoryRow(c.Id, c.Name, c.IsActive, db.Findings.Count(f => f.Category == c.Name)));
}
