namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// Two nodes of the application on one fresh database, with one clock: what several web nodes share must live in
/// PostgreSQL, and a test of it acts on one node and looks on the other. The first node migrates and seeds.
/// </summary>
public class TwoNodes : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;
    private TestDatabase? _database;

    public TwoNodes()
        : this([])
    {
    }

    protected TwoNodes(Dictionary<string, string?> settings) => _settings = settings;

    internal TestClock Clock { get; } = new(AppFactory.DefaultNow);

    internal AppFactory First { get; private set; } = null!;

    internal AppFactory Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        First = new AppFactory(_database.ConnectionString, _settings, Clock);
        _ = First.Server; // migrations and demo seed run here
        Second = new AppFactory(_database.ConnectionString, new Dictionary<string, string?>(_settings) { ["Node:Migrate"] = "false" }, Clock);
        _ = Second.Server;
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
