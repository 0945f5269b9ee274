using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Plans;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.SamplesFidelity;

/// <summary>
/// The header of the real 2022 部门整体自评表 (shared/samples/wangcheng-2022-dept-self-evaluation-table.txt), copied
/// here word for word so the tests do not depend on the product's own constants.
/// </summary>
internal static class SampleHeader
{
    public const int IndependentUnits = 0;

    public const string Functions = "一、负责全区社会治理网格化体系建设、运行、管理工作。二、负责全区市场、农业、交通、文化、生态环境、城市管理等执法领域以及应急、综治维稳等方面各类社会治理信息的收集、跟踪、反馈、调度等工作。三、负责全区社会治理问题及热线的受理、分派、反馈工作。四、负责组织区、街镇、村(社区)三级信息过滤、调度、处置平台的建设、维护、管理和应用工作，建立健全与应急、城管及其他执法机构的信息共享机制。";

    /// <summary>The two header fields as stored.</summary>
    public static async Task<(int? Units, string? Functions)> StoredAsync(AppFixture app, Guid id)
    {
        var stored = await app.DbAsync(db => db.SelfEvaluations.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.IndependentUnits, s.Functions }).SingleAsync());
        return (stored.IndependentUnits, stored.Functions);
    }

    /// <summary>The centre's 2022 部门整体 self-evaluation the demo seeds (a draft).</summary>
    public static Task<Guid> CentreDraftAsync(AppFixture app) => app.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
        return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.PlanId != null && s.Kind == EvaluationKind.DepartmentWide)
            .Select(s => s.Id).SingleAsync();
    });

    /// <summary>The centre's 2022 project self-evaluation (热线+网格、吹哨+报到).</summary>
    public static Task<Guid> CentreProjectAsync(AppFixture app) => app.DbAsync(async db =>
    {
        var centre = await db.Organisations.Where(o => o.Name == DemoSeeder.SocialGovernanceCentre).Select(o => o.Id).SingleAsync();
        return await db.SelfEvaluations.Where(s => s.OrganisationId == centre && s.FiscalYear == 2022 && s.PlanId != null && s.Kind == EvaluationKind.Project)
            .Select(s => s.Id).SingleAsync();
    });

    /// <summary>Where each text first occurs in <paramref name="text"/>; fails naming a text that is missing.</summary>
    public static int[] Positions(string text, params string[] parts) => parts.Select(p =>
    {
        var at = text.IndexOf(p, StringComparison.Ordinal);
        Assert.True(at >= 0, $"「{p}」 is missing");
        return at;
    }).ToArray();
}
