using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Admin.Import;

/// <summary>An account the import created, with the initial password that exists only in this answer.</summary>
internal sealed record ImportedUser(string UserName, string DisplayName, string OrganisationName, string Password);

/// <summary>What an import did, or why it did nothing.</summary>
internal sealed record DirectoryImportResult(IReadOnlyList<string> Errors, int Organisations, IReadOnlyList<ImportedUser> Users, IReadOnlyList<string> Notes)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// The database half of 批量导入: the file's rows against each other and against what exists (names, credit
/// codes, user names, 主管部门, roles that fit the organisation's kind, as the admin forms check them), then
/// everything in one transaction. All or nothing: one problem anywhere and nothing is saved.
/// </summary>
internal static class DirectoryImport
{
    /// <summary>An organisation a row may name: one in the file (by row) or one that exists.</summary>
    private sealed record Known(string Name, OrganisationKind? Kind, Guid Id, bool IsActive, int? FileRow);

    public static async Task<DirectoryImportResult> RunAsync(
        AppDbContext db, UserManager<AppUser> accounts, HttpContext http, TimeProvider clock, string fileName, byte[] content, CancellationToken ct)
    {
        var read = DirectoryFile.Read(fileName, content);
        var errors = read.Errors;
        if (errors.Count > 0 && read.Organisations.Count == 0 && read.Users.Count == 0)
        {
            return new DirectoryImportResult(errors.Messages, 0, [], []);
        }

        var now = clock.GetUtcNow();
        var (known, newOrgs, hint) = await CheckOrganisationsAsync(db, read, now, ct);
        await CheckUsersAsync(db, read, known, hint, ct);
        if (errors.Count > 0)
        {
            return new DirectoryImportResult(errors.Messages, 0, [], []);
        }

        var imported = new List<ImportedUser>();
        var saveErrors = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            imported.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var failed = await SaveAsync(db, accounts, http, now, fileName, read, known, newOrgs, imported, ct);
                if (failed.Count > 0)
                {
                    await tx.RollbackAsync(ct);
                    return failed;
                }

                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return [];
            }
            catch (DbUpdateException ex) when (AdminForms.IsUniqueViolation(ex))
            {
                // Someone created the same name (or user name) between the checks and the insert.
                await tx.RollbackAsync(ct);
                return (List<string>)["导入期间有人新增了同名的单位或用户，未导入任何数据。请重新导入，页面会列出重复的行。"];
            }
        });

        if (saveErrors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new DirectoryImportResult(saveErrors, 0, [], []);
        }

        return new DirectoryImportResult([], newOrgs.Count, imported, read.Notes);
    }

    private static async Task<(Dictionary<string, Known> Known, List<Organisation> New, Func<string, string> Hint)> CheckOrganisationsAsync(
        AppDbContext db, DirectoryRead read, DateTimeOffset now, CancellationToken ct)
    {
        // Every name or code any row refers to, looked up at once (a district's file is hundreds of rows, not queries).
        var texts = read.Organisations.Select(o => o.Name)
            .Concat(read.Organisations.Select(o => o.ParentText))
            .Concat(read.Users.Select(u => u.OrganisationText))
            .OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var codes = read.Organisations.Select(o => o.CreditCode).OfType<string>()
            .Concat(texts.Select(t => Shared.TextInput.Narrow(t)!.ToUpperInvariant())).Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => texts.Contains(o.Name) || (o.CreditCode != null && codes.Contains(o.CreditCode)))
            .Select(o => new { o.Id, o.Name, o.Kind, o.IsActive, o.CreditCode })
            .ToListAsync(ct);

        // Short names are not unique enough to resolve a reference, but the same short name on a new row is most often
        // an existing unit spelt another way (望城区农业农村局 for 长沙市望城区农业农村局): refused, and named in hints.
        var shortTexts = texts.Concat(read.Organisations.Select(o => o.ShortName).OfType<string>()).Distinct(StringComparer.Ordinal).ToList();
        var existingShort = (await db.Organisations.IgnoreQueryFilters().AsNoTracking()
                .Where(o => o.ShortName != null && shortTexts.Contains(o.ShortName))
                .Select(o => new { ShortName = o.ShortName!, o.Name }).ToListAsync(ct))
            .GroupBy(o => o.ShortName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(o => o.Name).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var fileShort = read.Organisations.Where(o => o.ShortName is not null && o.Name.Length > 0)
            .GroupBy(o => o.ShortName!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        string Hint(string text) =>
            existingShort.TryGetValue(text, out var names) ? $"（“{text}”是系统中“{string.Join("”“", names.Take(3))}”的简称，请填写全称）"
            : fileShort.TryGetValue(text, out var rows) ? $"（“{text}”是本文件「单位」表第{rows[0].Row}行“{rows[0].Name}”的简称，请填写全称）"
            : string.Empty;

        // Names first, then codes: a name is what the file means when both would match.
        var known = new Dictionary<string, Known>(StringComparer.Ordinal);
        foreach (var o in existing)
        {
            known[o.Name] = new Known(o.Name, o.Kind, o.Id, o.IsActive, null);
        }

        foreach (var o in existing.Where(o => o.CreditCode is not null))
        {
            known.TryAdd(o.CreditCode!, new Known(o.Name, o.Kind, o.Id, o.IsActive, null));
        }

        var newOrgs = new List<Organisation>();
        var fileByName = new Dictionary<string, OrganisationRow>(StringComparer.Ordinal);
        var fileByCode = new Dictionary<string, OrganisationRow>(StringComparer.Ordinal);
        var ids = new Dictionary<int, Guid>();
        foreach (var row in read.Organisations)
        {
            if (row.Name.Length > 0)
            {
                if (fileByName.TryGetValue(row.Name, out var first))
                {
                    read.OrganisationError(row.Row, 0, $"“{row.Name}”与第{first.Row}行重复。");
                }
                else if (existing.FirstOrDefault(o => o.Name == row.Name) is { } same)
                {
                    read.OrganisationError(row.Row, 0, $"系统中已有名为“{same.Name}”的机构：已有的机构不会被导入或修改，请删除这一行（「用户」表可以直接填写已有机构的名称）。");
                }
                else
                {
                    fileByName[row.Name] = row;
                }
            }

            if (row.ShortName is { } shortName && row.Name.Length > 0)
            {
                if (fileShort[shortName][0] != row)
                {
                    read.OrganisationError(row.Row, 2, $"“{shortName}”与第{fileShort[shortName][0].Row}行的简称重复。");
                }
                else if (existingShort.TryGetValue(shortName, out var owners) && !owners.Contains(row.Name))
                {
                    read.OrganisationError(row.Row, 2, $"“{shortName}”已是系统中“{owners[0]}”的简称：如果是同一个单位，请删除这一行（已有的机构不会被导入）；如果不是，请换一个简称。");
                }
            }

            if (row.CreditCode is { } code)
            {
                if (fileByCode.TryGetValue(code, out var first))
                {
                    read.OrganisationError(row.Row, 4, $"“{code}”与第{first.Row}行重复。");
                }
                else if (existing.FirstOrDefault(o => o.CreditCode == code) is { } same)
                {
                    read.OrganisationError(row.Row, 4, $"“{code}”已是系统中“{same.Name}”的统一社会信用代码。");
                }
                else
                {
                    fileByCode[code] = row;
                }
            }

            ids[row.Row] = Guid.CreateVersion7(now);
        }

        // The file's own organisations are found by name and by code too, after the existing ones are in the map.
        foreach (var row in read.Organisations)
        {
            if (row.Name.Length > 0 && fileByName.GetValueOrDefault(row.Name) == row)
            {
                known[row.Name] = new Known(row.Name, row.Kind, ids[row.Row], true, row.Row);
            }

            if (row.CreditCode is { } code && fileByCode.GetValueOrDefault(code) == row)
            {
                known.TryAdd(code, new Known(row.Name, row.Kind, ids[row.Row], true, row.Row));
            }
        }

        // 主管部门: a budget unit, existing or in the file; not itself; no loop through the file's rows.
        var parentRow = new Dictionary<int, int>();
        var parents = new Dictionary<int, Guid>();
        foreach (var row in read.Organisations.Where(r => r.ParentText is not null))
        {
            if (row.Kind is { } kind && kind != OrganisationKind.BudgetUnit)
            {
                read.OrganisationError(row.Row, 3, "只有预算单位可以设置主管部门。");
            }
            else if (Find(known, row.ParentText!) is not { } parent)
            {
                read.OrganisationError(row.Row, 3, $"“{row.ParentText}”不存在：既不是系统中已有的预算单位，也不在本文件的「单位」表中{Hint(row.ParentText!)}。");
            }
            else if (parent.FileRow == row.Row)
            {
                read.OrganisationError(row.Row, 3, "不能是本单位自身。");
            }
            else if (parent.Kind != OrganisationKind.BudgetUnit)
            {
                read.OrganisationError(row.Row, 3, $"“{parent.Name}”不是预算单位{(parent.Kind is { } k ? $"（是{k.Label()}）" : string.Empty)}，不能作为主管部门。");
            }
            else
            {
                parents[row.Row] = parent.Id;
                if (parent.FileRow is { } up)
                {
                    parentRow[row.Row] = up;
                }
            }
        }

        foreach (var start in parentRow.Keys.Order())
        {
            var path = new List<int> { start };
            for (var at = parentRow[start]; parentRow.ContainsKey(at) && path.Count <= parentRow.Count; at = parentRow[at])
            {
                path.Add(at);
                if (at == start)
                {
                    read.OrganisationError(start, 3, $"主管部门形成循环（第{string.Join("行 → 第", path)}行）。");
                    break;
                }
            }
        }

        foreach (var row in read.Organisations)
        {
            newOrgs.Add(new Organisation
            {
                Id = ids[row.Row],
                Name = row.Name,
                ShortName = row.ShortName,
                Kind = row.Kind ?? OrganisationKind.BudgetUnit,
                ParentId = parents.TryGetValue(row.Row, out var p) ? p : null,
                CreditCode = row.CreditCode,
                ContactPerson = row.ContactPerson,
                ContactPhone = row.ContactPhone,
                IsActive = true,
                CreatedAt = now,
            });
        }

        return (known, newOrgs, Hint);
    }

    private static async Task CheckUsersAsync(AppDbContext db, DirectoryRead read, Dictionary<string, Known> known, Func<string, string> hint, CancellationToken ct)
    {
        // Identity compares user names upper-cased: Zhang and zhang are the same account.
        var normalised = read.Users.Where(u => u.UserName.Length > 0).Select(u => u.UserName.ToUpperInvariant()).Distinct().ToList();
        var taken = (await db.Users.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.NormalizedUserName != null && normalised.Contains(u.NormalizedUserName))
            .Select(u => u.NormalizedUserName!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in read.Users)
        {
            if (row.UserName.Length > 0)
            {
                var key = row.UserName.ToUpperInvariant();
                if (seen.TryGetValue(key, out var first))
                {
                    read.UserError(row.Row, 0, $"“{row.UserName}”与第{first}行重复（用户名不区分大小写）。");
                }
                else
                {
                    seen[key] = row.Row;
                    if (taken.Contains(key))
                    {
                        read.UserError(row.Row, 0, $"用户名“{row.UserName}”已被使用。");
                    }
                }
            }

            if (row.OrganisationText is not { } orgText)
            {
                continue;
            }

            if (Find(known, orgText) is not { } org)
            {
                read.UserError(row.Row, 2, $"“{orgText}”不存在：既不是系统中已有的机构，也不在本文件的「单位」表中{hint(orgText)}。");
                continue;
            }

            if (!org.IsActive)
            {
                read.UserError(row.Row, 2, $"“{org.Name}”已停用，不能添加用户。");
            }

            // The rule of the user form: a role belongs to one kind of organisation.
            foreach (var role in row.Roles.Where(r => org.Kind is { } kind && Roles.KindFor(r) != kind))
            {
                read.UserError(row.Row, 3, $"“{Roles.Label(role)}”只能授予{Roles.KindFor(role).Label()}的用户，“{org.Name}”是{org.Kind!.Value.Label()}。");
            }
        }
    }

    private static Known? Find(Dictionary<string, Known> known, string text) =>
        known.GetValueOrDefault(text) ?? known.GetValueOrDefault(Shared.TextInput.Narrow(text)!.ToUpperInvariant());

    private static async Task<List<string>> SaveAsync(
        AppDbContext db, UserManager<AppUser> accounts, HttpContext http, DateTimeOffset now, string fileName, DirectoryRead read,
        Dictionary<string, Known> known, List<Organisation> newOrgs, List<ImportedUser> imported, CancellationToken ct)
    {
        foreach (var org in newOrgs)
        {
            db.Organisations.Add(org);
            AuditTrail.Add(db, http, now, AuditActions.OrganisationCreated, org.Name, org.Kind.Label() + "（批量导入）");
        }

        await db.SaveChangesAsync(ct);

        // Hashing is most of an import's time (a district's 250 accounts): the hashes are made side by side first,
        // each password checked by the password rules as a typed one would be.
        var users = read.Users.Select(row => new AppUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = row.UserName,
            DisplayName = row.DisplayName!,
            Email = row.Email,
            OrganisationId = Find(known, row.OrganisationText!)!.Id,
            IsLeadEvaluator = row.IsLeadEvaluator && row.Roles.Contains(Roles.Evaluator),
            CreatedAt = now,

            // Nobody chose this password: the user replaces it at first sign-in, as after a reset.
            MustChangePassword = true,
        }).ToList();
        var passwords = read.Users.Select(row => Admin.Users.InitialPassword.New(row.UserName)).ToArray();
        for (var i = 0; i < users.Count; i++)
        {
            foreach (var validator in accounts.PasswordValidators)
            {
                if (await validator.ValidateAsync(accounts, users[i], passwords[i]) is { Succeeded: false } refused)
                {
                    return AdminForms.Describe(refused, "初始密码").Select(e => read.UserCell(read.Users[i].Row, 0) + e).ToList();
                }
            }
        }

        Parallel.For(0, users.Count, new ParallelOptions { CancellationToken = ct }, i =>
            users[i].PasswordHash = accounts.PasswordHasher.HashPassword(users[i], passwords[i]));

        for (var i = 0; i < users.Count; i++)
        {
            var (row, user) = (read.Users[i], users[i]);
            var org = Find(known, row.OrganisationText!)!;
            var created = await accounts.CreateAsync(user);
            var roles = created.Succeeded ? await accounts.AddToRolesAsync(user, Roles.All.Where(row.Roles.Contains)) : created;
            if (!roles.Succeeded)
            {
                return AdminForms.Describe(roles, "初始密码").Select(e => read.UserCell(row.Row, 0) + e).ToList();
            }

            AuditTrail.Add(db, http, now, AuditActions.UserCreated, user.UserName,
                "角色：" + string.Join("、", row.Roles.Select(Roles.Label)) + "；单位：" + org.Name + "（批量导入）");
            imported.Add(new ImportedUser(user.UserName!, user.DisplayName, org.Name, passwords[i]));
        }

        AuditTrail.Add(db, http, now, AuditActions.DirectoryImported, fileName, $"单位 {newOrgs.Count} 个，用户 {imported.Count} 个");
        if (imported.Count > 0)
        {
            // The passwords leave in this answer only (the result page and its download); nothing keeps them.
            AuditTrail.Add(db, http, now, AuditActions.Export, "初始密码清单", $"批量导入的 {imported.Count} 个账户的初始密码，在导入结果页交给了导入人（仅此一次）");
        }

        return [];
    }
}
