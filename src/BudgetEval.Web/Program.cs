using BudgetEval.Web.Infrastructure.Hosting;

var migrateOnly = args.Contains("--migrate-only");
var createAdmin = args.Contains(CreateAdminCommand.Option);
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddBudgetEval(serving: !migrateOnly && !createAdmin);

    var app = builder.Build();

    if (migrateOnly)
    {
        // Deployment step: apply migrations (and the demo seed if enabled), then exit without serving.
        await app.MigrateDatabaseAsync();
        return 0;
    }

    if (createAdmin)
    {
        if (!CreateAdminCommand.TryParse(args, out var command))
        {
            await Console.Error.WriteLineAsync(CreateAdminCommand.Usage);
            return 2;
        }

        await app.MigrateDatabaseAsync();
        return await command.RunAsync(app.Services);
    }

    app.CheckWorkflows();
    await app.PrepareDatabaseAsync();
    app.UseBudgetEval();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupRefusal.Find(e) is { } refused && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // (Only when this app is the process: inside the tests' WebApplicationFactory the exception reaches the test.)
    // An expected configuration problem: one line naming the setting, no stack trace (docs/operations.md).
    return StartupRefusal.Report(refused);
}

/// <summary>Entry point; public so the tests' WebApplicationFactory can find it.</summary>
public partial class Program;
