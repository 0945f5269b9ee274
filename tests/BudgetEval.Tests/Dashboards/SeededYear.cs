using BudgetEval.Tests.Evaluations;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Tests.Rectifications;
using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Demo;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BudgetEval.Tests.Dashboards;

/// <summary>
/// The demo data plus cases driven through the API (and the engine behind it) so that every bucket of
/// every chart has something in it: self-evaluations in each review state (one of them a plan's form,
/// accepted with a grade), external evaluations in progress and completed (whose 2022 findings repeat the
/// 2021 categories: 重复发生), and findings closed, partly rectified, not rectifiable and overdue.
/// </summary>
public sealed class SeededYear : IAsyncLifetime
{
    public AppFixture App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        var cases = new CaseApi(App);
        foreach (var state in new[] { "unit_review", "bureau_review", "returned", "accepted" })
        {
            await cases.CaseInStateAsync(state);
        }

        await AcceptedPlanFormAsync(cases);

        var evaluations = new EvaluationApi(App);
        await evaluations.SelectAndApproveAsync(2025);
        await evaluations.CompletedAsync(2022);

        var rectification = new RectificationApi(App);
        var (closed, closedCase) = await rectification.RegisterAsync("往来款长期挂账未清理", new DateOnly(2026, 4, 30));
        await rectification.PlanAndReportAsync(closed, closedCase);
        await rectification.Cases.FireOkAsync("finance", closedCase, "verify", "佐证材料齐全，整改到位。");

        var (partial, partialCase) = await rectification.RegisterAsync("固定资产账实不符", new DateOnly(2026, 4, 30));
        await rectification.PlanAndReportAsync(partial, partialCase);
        await rectification.PutOkAsync("finance", $"/api/findings/{partial}/next-deadline", new { deadline = "2026-06-30", stamp = await rectification.StampAsync("finance", partial) });
        await rectification.Cases.FireOkAsync("finance", partialCase, "partial", "尚有两项资产未入账。");

        var (cannot, cannotCase) = await rectification.RegisterAsync("以前年度原始凭证缺失", new DateOnly(2026, 4, 30));
        await rectification.PlanAndReportAsync(cannot, cannotCase);
        await rectification.Cases.FireOkAsync("finance", cannotCase, "cannotRectify", "原始凭证已按规定销毁，无法补正。");

        await rectification.RegisterAsync("公务卡结算不规范", new DateOnly(2026, 1, 31)); // past its deadline: overdue
        await rectification.RegisterAsync("差旅费报销超标准", new DateOnly(2026, 2, 15));
    }

    public Task DisposeAsync() => App.DisposeAsync();

    /// <summary>Runs an independent SQL query against the test database (not through the app's code).</summary>
    public async Task<List<object?[]>> SqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(App.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET search_path TO budgeteval; " + sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The 教育局's 2022 plan form, filled like the demo's sample, submitted, signed off by its head and accepted: a real grade.</summary>
    private async Task AcceptedPlanFormAsync(CaseApi cases)
    {
        var education = await App.OrganisationIdAsync(DemoSeeder.EducationBureau);
        var caseId = await App.DbAsync(async db =>
        {
            var se = await db.SelfEvaluations.SingleAsync(s => s.OrganisationId == education && s.PlanId != null);
            se.FundsBudget = SampleSelfEvaluation.Budget;
            se.FundsExecuted = SampleSelfEvaluation.Executed;
            se.FundsUpperTransfer = SampleSelfEvaluation.UpperTransfer;
            (se.IndependentUnits, se.Functions) = (SampleSelfEvaluation.IndependentUnits, SampleSelfEvaluation.Functions); // required for submission
            se.GoalsPlanned = SampleSelfEvaluation.GoalsPlanned;
            se.GoalsAchieved = SampleSelfEvaluation.GoalsAchieved;
            SampleSelfEvaluation.FillReport(se.Report);
            var lines = IndicatorFile.Read("sample.csv", SampleSelfEvaluation.IndicatorsCsv()).Lines;
            await SelfEvaluationForm.ReplaceIndicatorsAsync(db, se, lines, App.Clock.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
            return se.CaseId!.Value;
        });

        using (var scope = App.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var head = new AppUser { UserName = "eduhead", DisplayName = "教育局负责人", OrganisationId = education };
            Assert.True((await users.CreateAsync(head, AppFixture.DemoPassword)).Succeeded);
            await users.AddToRoleAsync(head, Roles.UnitHead);
        }

        await cases.FireOkAsync("unit2", caseId, "submit");
        await cases.FireOkAsync("eduhead", caseId, "approve");
        await cases.FireOkAsync("finance", caseId, "accept");
    }
}
