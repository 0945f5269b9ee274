using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// `--create-admin NAME "财政局全称"` with the password in BUDGETEVAL_ADMIN_PASSWORD: the first login
/// of a real installation (demo seeding is refused in Production). Creates the finance bureau if there is
/// none yet. Everything is checked before anything is written, and written in one transaction: a refusal
/// leaves the database as it was.
/// </summary>
internal sealed record CreateAdminCommand(string UserName, string BureauName)
{
    public const string Option = "--create-admin";

    public const string PasswordVariable = "BUDGETEVAL_ADMIN_PASSWORD";

    public const string Usage =
        "usage: BUDGETEVAL_ADMIN_PASSWORD='…' dotnet BudgetEval.Web.dll --create-admin <user name> <finance bureau name>\n" +
        "  e.g. --create-admin admin \"长沙市望城区财政局\"";

    /// <summary>False when the option lacks its two arguments (the caller prints <see cref="Usage"/>).</summary>
    public static bool TryParse(string[] args, out CreateAdminCommand command)
    {
        var i = Array.IndexOf(args, Option);
        var ok = i >= 0 && i + 2 < args.Length && !string.IsNullOrWhiteSpace(args[i + 1]) && !string.IsNullOrWhiteSpace(args[i + 2])
            && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && !args[i + 2].StartsWith("--", StringComparison.Ordinal);
        command = ok ? new CreateAdminCommand(args[i + 1].Trim(), args[i + 2].Trim()) : null!;
        return ok;
    }

    public async Task<int> RunAsync(IServiceProvider services)
    {
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync($"Set {PasswordVariable} to the new administrator's password.");
            return 2;
        }

        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();

        var named = await db.Organisations.SingleOrDefaultAsync(o => o.Name == BureauName);
        if (named is { Kind: not OrganisationKind.FinanceBureau })
        {
            return await FailAsync($"'{BureauName}' is a {named.Kind.Label()} ({named.Kind}), not the finance bureau; the administrator must belong to the finance bureau.");
        }

        if (named is null && await db.Organisations.Where(o => o.Kind == OrganisationKind.FinanceBureau).Select(o => o.Name).FirstOrDefaultAsync() is { } existing)
        {
            // A mistyped name would otherwise create a second bureau.
            return await FailAsync($"A finance bureau already exists as '{existing}'; give that name (or rename it in 机构管理) instead of '{BureauName}'.");
        }

        var bureau = named ?? new Organisation { Id = Guid.CreateVersion7(), Name = BureauName, Kind = OrganisationKind.FinanceBureau, CreatedAt = clock.GetUtcNow() };
        var user = new AppUser { Id = Guid.CreateVersion7(), UserName = UserName, DisplayName = "系统管理员", OrganisationId = bureau.Id, CreatedAt = clock.GetUtcNow() };

        // The password and the name first, so a refusal creates nothing (not even the bureau).
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            problems.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
        }

        foreach (var validator in users.UserValidators)
        {
            problems.AddRange((await validator.ValidateAsync(users, user)).Errors.Select(e => e.Description));
        }

        if (problems.Count > 0)
        {
            return await FailAsync(string.Join(Environment.NewLine, problems.Distinct()));
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var failure = await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            if (named is null)
            {
                db.Organisations.Add(bureau);
                await db.SaveChangesAsync();
            }

            var result = await users.CreateAsync(user, password);
            if (result.Succeeded)
            {
                result = await users.AddToRoleAsync(user, Roles.Admin);
            }

            if (!result.Succeeded)
            {
                return string.Join(Environment.NewLine, result.Errors.Select(e => e.Description)); // rolled back with tx
            }

            await tx.CommitAsync();
            return null;
        });
        if (failure is not null)
        {
            return await FailAsync(failure);
        }

        Console.WriteLine($"Administrator '{UserName}' created in {BureauName}.");
        return 0;
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"Nothing was created: {message}");
        return 1;
    }
}
