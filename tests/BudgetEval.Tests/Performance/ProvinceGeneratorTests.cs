using System.Net;
using BudgetEval.Benchmarks.Province;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BudgetEval.Tests.Performance;

/// <summary>
/// The province generator's smoke mode (100 units; the benchmarks run it with 30,000): the counts the
/// issue asks for, chains and work items the engine accepts, and the app's pages answering on it.
/// </summary>
public sealed class ProvinceGeneratorTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Smoke_province_has_the_asked_for_shape_and_the_app_works_on_it()
    {
        var options = ProvinceOptions.Smoke();
        var hash = new PasswordHasher<AppUser>().HashPassword(new AppUser { DisplayName = "x" }, ProvinceOptions.Password);
        await ProvinceGenerator.GenerateAsync(app.Database.ConnectionString, options, hash);

        await using var conn = new NpgsqlConnection(app.Database.ConnectionString);
        await conn.OpenAsync();
        var c = await ProvinceCounts.ReadAsync(conn);
        Assert.Equal(100, c.Units);
        Assert.Equal(200, c.Users);
        Assert.Equal(100 * 3 * 30 * 4, c.Indicators); // 30 rows on each of the 4 self-evaluations per unit and year
        Assert.Equal(3_333, c.OpenWorkItems);
        Assert.InRange(c.Evaluations, 1, 100 * 3 * 15 / 100); // about 5 % of unit-years
        Assert.Equal(8 * c.Evaluations, c.Findings);

        var perUnitYear = await app.Database.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT "OrganisationId", "FiscalYear" FROM budgeteval.self_evaluations WHERE "Title" LIKE '湖南省%' AND "FiscalYear" <= 2025
            GROUP BY 1, 2 HAVING count(*) FILTER (WHERE "Kind" = 'DepartmentWide') = 1 AND count(*) FILTER (WHERE "Kind" = 'Project') = 3) AS t
            """);
        Assert.Equal(300, perUnitYear);
        var rectificationStates = await app.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT \"State\") FROM budgeteval.workflow_instances WHERE \"DefinitionId\" = 'rectification' AND \"Title\" LIKE '湖南省%'");
        Assert.Equal(7, rectificationStates); // planning, both extension reviews, implementing, verifying, closed, unrectifiable

        // Every open case has exactly one open item; every chain head matches its last entry.
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("""
            SELECT count(*) FROM budgeteval.workflow_instances i
            WHERE i."Title" LIKE '湖南省%' AND (i."HistoryHash" <> (SELECT h."Hash" FROM budgeteval.workflow_history h WHERE h."InstanceId" = i."Id" ORDER BY h."Seq" DESC LIMIT 1)
               OR (i."State" NOT IN ('accepted', 'completed', 'closed', 'unrectifiable')) <> EXISTS (SELECT 1 FROM budgeteval.work_items w WHERE w."InstanceId" = i."Id" AND w."Status" = 'Open'))
            """));
        using (var scope = app.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var sample = await db.WorkflowInstances.Where(i => i.Title.StartsWith("湖南省")).OrderBy(i => i.Id).Take(300).Select(i => i.Id).ToListAsync();
            foreach (var id in sample)
            {
                Assert.Null(await HistoryChain.VerifyAsync(db, id));
            }
        }

        // A unit user of the province and the bureau sign in and see it.
        var unit = await app.SignInAsync("p1", ProvinceOptions.Password);
        var inbox = await unit.GetAsync(new Uri("/inbox", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Contains("第1预算单位", await inbox.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        var bureau = await app.SignInAsync("finance");
        var home = await bureau.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("全区概况", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var bureauInbox = await bureau.GetAsync(new Uri("/inbox", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, bureauInbox.StatusCode);
        Assert.Contains("财政核验", await bureauInbox.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
