using BudgetEval.Tests.Infrastructure;
using BudgetEval.Web.Workflows;
using Npgsql;

namespace BudgetEval.Tests.Workflows;

public sealed class HistoryChainTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly CaseApi _api = new(app);

    [Fact]
    public async Task Given_a_finished_case_When_its_history_is_verified_Then_the_chain_is_intact()
    {
        var caseId = await _api.CaseInStateAsync("returned");
        Assert.Null(await app.DbAsync(db => HistoryChain.VerifyAsync(db, caseId)));
    }

    [Fact]
    public async Task Given_a_history_row_When_someone_updates_it_Then_the_database_refuses()
    {
        var caseId = await _api.CaseInStateAsync("unit_review");
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            app.Database.ScalarAsync<int>($"UPDATE budgeteval.workflow_history SET \"Comment\" = 'x' WHERE \"InstanceId\" = '{caseId}' RETURNING 1"));
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_tampered_row_When_the_history_is_verified_Then_the_tampered_entry_is_reported()
    {
        var caseId = await _api.CaseInStateAsync("returned");

        // Someone with superuser rights bypasses the trigger and rewrites the finance officer's comment.
        await using (var conn = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "SET session_replication_role = replica; " +
                $"UPDATE budgeteval.workflow_history SET \"Comment\" = '同意' WHERE \"InstanceId\" = '{caseId}' AND \"Seq\" = 4; " +
                "SET session_replication_role = origin;", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        Assert.Equal(4, await app.DbAsync(db => HistoryChain.VerifyAsync(db, caseId)));
    }

    [Fact]
    public async Task Given_a_removed_row_When_the_history_is_verified_Then_the_gap_is_reported()
    {
        var caseId = await _api.CaseInStateAsync("returned");
        await using (var conn = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "SET session_replication_role = replica; " +
                $"DELETE FROM budgeteval.workflow_history WHERE \"InstanceId\" = '{caseId}' AND \"Seq\" = 2; " +
                "SET session_replication_role = origin;", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        Assert.Equal(3, await app.DbAsync(db => HistoryChain.VerifyAsync(db, caseId)));
    }
}
