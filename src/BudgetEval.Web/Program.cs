using BudgetEval.Web.Infrastructure.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddBudgetEval();

var app = builder.Build();

if (args.Contains("--migrate-only"))
{
    // Deployment step: apply migrations (and the demo seed if enabled), then exit without serving.
    await app.MigrateDatabaseAsync();
    return 0;
}

if (CreateAdminCommand.TryParse(args, out var createAdmin))
{
    await app.MigrateDatabaseAsync();
    return await createAdmin.RunAsync(app.Services);
}

app.UseBudgetEval();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the tests' WebApplicationFactory can find it.</summary>
public partial class Program;
