using Npgsql;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// Row count and content hash of every application table, to prove a refused request saved nothing:
/// take one before, one after, compare. Each table is hashed as md5 of its rows' text, ordered by that
/// text (no key needed, so a new table is covered without touching this class).
/// Left out on purpose, because they are logs or machinery and not the data a request changes:
/// <c>audit_entries</c> (append-only; a refusal may be recorded there and that is not "partly saved"),
/// <c>job_runs</c>, <c>data_protection_keys</c>, <c>login_attempts</c> (the sign-in throttle's counts),
/// <c>qrtz_*</c> (Quartz) and the migrations history.
/// </summary>
internal static class DbFingerprint
{
    public static readonly string[] Excluded = ["audit_entries", "job_runs", "data_protection_keys", "login_attempts", "__ef_migrations_history"];

    /// <summary>"table: rows md5", one line per table in name order: an assertion failure shows which table changed.</summary>
    public static async Task<string> TakeAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'budgeteval' AND table_type = 'BASE TABLE' " +
            "AND table_name NOT LIKE 'qrtz%' AND NOT (table_name = ANY(@excluded)) ORDER BY table_name", conn))
        {
            list.Parameters.AddWithValue("excluded", Excluded);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var lines = new List<string>(tables.Count);
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand(
                $"SELECT count(*)::text || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM budgeteval.\"{table}\" t", conn);
            lines.Add($"{table}: {await cmd.ExecuteScalarAsync()}");
        }

        return string.Join('\n', lines);
    }
}
