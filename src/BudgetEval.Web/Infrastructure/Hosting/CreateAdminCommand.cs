using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// `--create-admin NAME "财政局全称"` with the password in BUDGETEVAL_ADMIN_PASSWORD: the first login
/// of a real installation (demo seeding is refused in Production). Creates the finance bureau if missing.
/// </summary>
internal sealed record CreateAdminCommand(string UserName, string BureauName)
{
    public const string PasswordVariable = "BUDGETEVAL_ADMIN_PASSWORD";

    public static bool TryParse(string[] args, out CreateAdminCommand command)
    {
        var i = Array.IndexOf(args, "--create-admin");
        command = i >= 0 && i + 2 < args.Length ? new CreateAdminCommand(args[i + 1], args[i + 2]) : null!;
        if (i >= 0 && command is null)
        {
            throw new ArgumentException("usage: --create-admin <user name> <finance bureau name>, password in " + PasswordVariable);
        }

        return i >= 0;
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
        var bureau = await db.Organisations.SingleOrDefaultAsync(o => o.Name == BureauName);
        if (bureau is null)
        {
            bureau = new Organisation { Id = Guid.CreateVersion7(), Name = BureauName, Kind = OrganisationKind.FinanceBureau, CreatedAt = clock.GetUtcNow() };
            db.Organisations.Add(bureau);
            await db.SaveChangesAsync();
        }

        var user = new AppUser { Id = Guid.CreateVersion7(), UserName = UserName, DisplayName = "系统管理员", OrganisationId = bureau.Id, CreatedAt = clock.GetUtcNow() };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, Roles.Admin);
        }

        if (!result.Succeeded)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, result.Errors.Select(e => e.Description)));
            return 1;
        }

        Console.WriteLine($"Administrator '{UserName}' created in {BureauName}.");
        return 0;
    }
}
