using BudgetEval.Web.Calendar;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using BudgetEval.Web.Infrastructure.Hosting;

namespace BudgetEval.Web.Demo;

/// <summary>
/// The demo district (长沙市望城区): its finance bureau, a dozen budget units, two firms and one login
/// per role. Runs only with Demo:Seed=true, under the migration lock, and only into an empty database.
/// </summary>
internal sealed class DemoSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    IOptions<DemoOptions> options,
    TimeProvider clock,
    ILogger<DemoSeeder> logger)
{
    public const string BureauName = "长沙市望城区财政局";
    public const string SocialGovernanceCentre = "长沙市望城区社会治理服务中心";
    public const string EducationBureau = "长沙市望城区教育局";
    public const string XinCaiYuan = "湖南新财苑会计师事务所有限公司";

    /// <summary>(login, display name, organisation, role, lead evaluator) — printed at start-up.</summary>
    public static readonly IReadOnlyList<DemoLogin> Logins =
    [
        new("admin", "赵磊", BureauName, Roles.Admin, false),
        new("finance", "李敏", BureauName, Roles.FinanceOfficer, false),
        new("financelead", "王建国", BureauName, Roles.FinanceLead, false),
        new("unit", "张晓燕", SocialGovernanceCentre, Roles.UnitFiller, false),
        new("unithead", "刘志强", SocialGovernanceCentre, Roles.UnitHead, false),
        new("unit2", "陈静", EducationBureau, Roles.UnitFiller, false),
        new("evaluator", "江惠平", XinCaiYuan, Roles.Evaluator, true),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        // The official 2022–2026 holidays and 调休 days, so due dates and reminders follow the real calendar.
        if (!await db.CalendarDays.AnyAsync(cancellationToken))
        {
            db.CalendarDays.AddRange(OfficialHolidays.All());
            await db.SaveChangesAsync(cancellationToken);
        }

        if (await db.Users.AnyAsync(cancellationToken))
        {
            logger.LogInformation("Demo seed skipped: the database already has users");
            return;
        }

        var now = clock.GetUtcNow();
        var orgs = new Dictionary<string, Organisation>();
        Organisation Add(string name, string? shortName, OrganisationKind kind, string? parent = null)
        {
            var org = new Organisation
            {
                Id = Guid.CreateVersion7(now),
                Name = name,
                ShortName = shortName,
                Kind = kind,
                ParentId = parent is null ? null : orgs[parent].Id,
                CreatedAt = now,
            };
            orgs[name] = org;
            db.Organisations.Add(org);
            return org;
        }

        Add(BureauName, "区财政局", OrganisationKind.FinanceBureau);
        Add("中共长沙市望城区委政法委员会", "区委政法委", OrganisationKind.BudgetUnit);
        Add(SocialGovernanceCentre, "区社会治理服务中心", OrganisationKind.BudgetUnit, "中共长沙市望城区委政法委员会");
        Add(EducationBureau, "区教育局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区第一中学", "望城一中", OrganisationKind.BudgetUnit, EducationBureau);
        Add("长沙市望城区卫生健康局", "区卫健局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区人民医院", "区人民医院", OrganisationKind.BudgetUnit, "长沙市望城区卫生健康局");
        Add("长沙市望城区农业农村局", "区农业农村局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区住房和城乡建设局", "区住建局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区民政局", "区民政局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区交通运输局", "区交通运输局", OrganisationKind.BudgetUnit);
        Add("长沙市望城区文化旅游体育局", "区文旅体局", OrganisationKind.BudgetUnit);
        Add(XinCaiYuan, "新财苑", OrganisationKind.EvaluationFirm);
        Add("湖南正衡绩效评价咨询有限公司", "正衡咨询", OrganisationKind.EvaluationFirm);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var login in Logins)
        {
            var user = new AppUser
            {
                Id = Guid.CreateVersion7(now),
                UserName = login.UserName,
                DisplayName = login.DisplayName,
                Email = $"{login.UserName}@demo.budgeteval.local",
                EmailConfirmed = true,
                OrganisationId = orgs[login.Organisation].Id,
                IsLeadEvaluator = login.LeadEvaluator,
                CreatedAt = now,
            };
            Check(await users.CreateAsync(user, options.Value.Password), login.UserName);
            Check(await users.AddToRoleAsync(user, login.Role), login.UserName);
        }

        logger.LogInformation("Demo data seeded: {Organisations} organisations, {Users} users", orgs.Count, Logins.Count);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo seed failed for {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}

internal sealed record DemoLogin(string UserName, string DisplayName, string Organisation, string Role, bool LeadEvaluator);
