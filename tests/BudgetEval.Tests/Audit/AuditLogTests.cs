using System.Net;
using System.Net.Http.Json;
using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BudgetEval.Tests.Audit;

public sealed class AuditLogTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Given_logins_that_succeed_and_fail_When_the_log_is_read_Then_both_are_there_with_the_name_typed()
    {
        using var client = app.Anonymous();
        await AppFixture.PostLoginFormAsync(client, "financelead", "Wrong@2026!x");
        await AppFixture.PostLoginFormAsync(client, "nosuchuser", "Wrong@2026!x");
        await AppFixture.TokenAsync(client, "financelead");

        var entries = await Entries(a => a.Target == "financelead" || a.Target == "nosuchuser");
        Assert.Contains(entries, a => a.Action == AuditActions.LoginFailed && a.Target == "financelead" && a.ActorId != null);
        Assert.Contains(entries, a => a.Action == AuditActions.LoginFailed && a.Target == "nosuchuser" && a.ActorId == null && a.Detail == "用户名不存在");
        Assert.Contains(entries, a => a.Action == AuditActions.LoginSucceeded && a.Target == "financelead" && a.ActorName == "王建国（financelead）");
        Assert.Contains(entries, a => a.Action == AuditActions.LoginFailed && a.ActorName == "nosuchuser"); // only the name typed is known
    }

    [Fact]
    public async Task Given_five_wrong_passwords_When_the_account_locks_Then_the_lockout_is_logged_once()
    {
        using var admin = await app.SignInAsync("admin");
        using var client = app.Anonymous();
        for (var i = 0; i < 6; i++)
        {
            await AppFixture.PostLoginFormAsync(client, "unit2", "Wrong@2026!x");
        }

        var lockouts = await Entries(a => a.Action == AuditActions.LockedOut && a.Target == "unit2");
        Assert.Single(lockouts);
    }

    [Fact]
    public async Task Given_a_case_transition_When_it_happens_Then_the_audit_log_has_it_with_the_states()
    {
        using var unit = await app.ApiAsync("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "审计测试自评", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        created.EnsureSuccessStatusCode();
        var caseId = (await created.Content.ReadFromJsonAsync<CaseRef>())!.CaseId;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/actions/submit") { Content = JsonContent.Create(new { expectedVersion = 1 }) };
        Assert.Equal(HttpStatusCode.OK, (await unit.SendAsync(request)).StatusCode);

        var entry = Assert.Single(await Entries(a => a.Action == AuditActions.CaseTransition && a.Target == caseId.ToString()));
        Assert.Contains("审计测试自评", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("草稿 → 单位审核", entry.Detail, StringComparison.Ordinal);
        Assert.Equal("张晓燕（unit）", entry.ActorName); // as logins and exports name their actor: person and login
    }

    [Fact]
    public async Task Given_the_administrator_When_trying_to_change_or_delete_audit_entries_Then_neither_the_app_nor_its_database_login_can()
    {
        using var admin = await app.SignInAsync("admin");
        var page = await admin.GetStringAsync("/admin/audit");
        Assert.Contains("审计日志", page, StringComparison.Ordinal);
        var token = AppFixture.AntiforgeryToken(page);

        // No page handler or endpoint changes the log.
        foreach (var handler in new[] { "Delete", "Update", "Clear" })
        {
            var response = await admin.PostAsync($"/admin/audit?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.NotEqual(HttpStatusCode.OK, (await admin.DeleteAsync("/admin/audit")).StatusCode);

        // And the database itself refuses, even to the application's own login.
        var count = await app.DbAsync(db => db.AuditEntries.CountAsync());
        Assert.True(count > 0);
        await using var conn = new NpgsqlConnection(app.Database.ConnectionString);
        await conn.OpenAsync();
        foreach (var sql in new[] { "UPDATE budgeteval.audit_entries SET \"Detail\" = 'x'", "DELETE FROM budgeteval.audit_entries", "TRUNCATE budgeteval.audit_entries" })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
            Assert.Contains("审计日志只能追加", error.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(count, await app.DbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task Given_entries_older_and_younger_than_the_retention_When_housekeeping_purges_Then_only_the_old_ones_go_and_never_younger_than_180_days()
    {
        var now = DateTimeOffset.UtcNow;
        await app.DbAsync(async db =>
        {
            AuditTrail.Add(db, null, now.AddDays(-400), AuditActions.Export, "retention-old", null);
            AuditTrail.Add(db, null, now.AddDays(-200), AuditActions.Export, "retention-200", null);
            AuditTrail.Add(db, null, now.AddDays(-10), AuditActions.Export, "retention-young", null);
            return await db.SaveChangesAsync();
        });

        // Configured below the legal floor: 30 days still keeps everything younger than 180.
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var job = ActivatorUtilities.CreateInstance<HousekeepingJob>(scope.ServiceProvider, db, TimeProvider.System, Options.Create(new AuditOptions { RetentionDays = 30 }), NullLogger<HousekeepingJob>.Instance);
        await job.PurgeAuditAsync(CancellationToken.None);

        var left = await db.AuditEntries.Where(a => a.Target!.StartsWith("retention-")).Select(a => a.Target).ToListAsync();
        Assert.DoesNotContain("retention-old", left);
        Assert.DoesNotContain("retention-200", left);
        Assert.Contains("retention-young", left);
    }

    [Fact]
    public async Task Given_the_audit_page_When_exported_Then_a_UTF8_CSV_with_the_entries_comes_back_and_the_export_is_logged()
    {
        using var admin = await app.SignInAsync("admin");
        var response = await admin.GetAsync("/admin/audit?handler=Export&action=login.success");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("时间,用户,操作,对象,说明,IP", csv, StringComparison.Ordinal);
        Assert.Contains("\"登录成功\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\"登录失败\"", csv, StringComparison.Ordinal);
        Assert.NotEmpty(await Entries(a => a.Action == AuditActions.Export && a.Target == "审计日志"));
    }

    [Fact]
    public async Task Given_more_entries_than_a_page_When_browsed_and_exported_Then_pages_of_50_newest_first_and_the_csv_has_every_line_and_its_count()
    {
        var now = DateTimeOffset.UtcNow;
        await app.DbAsync(async db =>
        {
            for (var i = 1; i <= 120; i++)
            {
                AuditTrail.Add(db, null, now.AddMinutes(-i), AuditActions.Export, $"paging-{i:D3}", "分页测试", actorName: "分页测试员");
            }

            return await db.SaveChangesAsync();
        });
        using var admin = await app.SignInAsync("admin");
        static List<string> Targets(string page) => [.. System.Text.RegularExpressions.Regex.Matches(page, "paging-(\\d{3})").Select(m => m.Groups[1].Value)];

        var first = Targets(await admin.GetStringAsync("/admin/audit?user=分页测试员"));
        var third = Targets(await admin.GetStringAsync("/admin/audit?user=分页测试员&p=3"));
        var newestFirst = (await app.DbAsync(db => db.AuditEntries.Where(a => a.ActorName == "分页测试员").OrderByDescending(a => a.Id).Select(a => a.Target!).ToListAsync()))
            .Select(t => t["paging-".Length..]).ToList();
        Assert.Equal(newestFirst.Take(50), first);
        Assert.Equal(newestFirst.Skip(100), third);

        var response = await admin.GetAsync("/admin/audit?handler=Export&user=分页测试员");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.StartsWith("审计日志-", response.Content.Headers.ContentDisposition.FileNameStar, StringComparison.Ordinal);
        var lines = System.Text.Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(121, lines.Length); // the header and 120 entries, oldest first
        Assert.Contains($"paging-{newestFirst[^1]}", lines[1], StringComparison.Ordinal);
        Assert.Single(await Entries(a => a.Action == AuditActions.Export && a.Target == "审计日志" && a.Detail == "120 条"));
    }

    [Fact]
    public async Task Given_a_non_admin_When_opening_the_audit_log_Then_it_is_refused()
    {
        using var finance = await app.SignInAsync("finance");
        var response = await finance.GetAsync("/admin/audit");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // a refused read looks like a missing page
    }

    [Fact]
    public async Task Given_a_self_evaluation_When_its_table_is_exported_from_the_api_and_the_page_Then_each_export_is_logged()
    {
        using var unit = await app.ApiAsync("unit");
        var created = await unit.PostAsJsonAsync("/api/self-evaluations", new { title = "导出审计测试", fiscalYear = 2025, deadline = "2026-12-31", summary = "概述", totalBudget = 10m });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<Created>())!.Id;

        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync($"/api/self-evaluations/{id}/export.xlsx")).StatusCode);
        using var browser = await app.SignInAsync("unit");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/self-evaluations/{id}/print?handler=xlsx")).StatusCode);
        using var other = await app.ApiAsync("unit2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/self-evaluations/{id}/export.xlsx")).StatusCode);

        var entries = await Entries(a => a.Action == AuditActions.Export && a.Target == "导出审计测试");
        Assert.Equal(2, entries.Count);
        Assert.All(entries, a => Assert.Equal("自评表（Excel）", a.Detail));
        Assert.All(entries, a => Assert.Equal("张晓燕（unit）", a.ActorName));
    }

    private Task<List<AuditEntry>> Entries(System.Linq.Expressions.Expression<Func<AuditEntry, bool>> filter) =>
        app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(filter).ToListAsync());

    private sealed record CaseRef(Guid CaseId);

    private sealed record Created(Guid Id);
}
