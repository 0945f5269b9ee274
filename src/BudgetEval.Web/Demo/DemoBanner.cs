using System.Text;
using BudgetEval.Web.Infrastructure.Hosting;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Demo;

/// <summary>In demo mode, prints where the app listens and the demo logins once it has started.</summary>
internal sealed class DemoBanner(IHostApplicationLifetime lifetime, IServer server, IOptions<DemoOptions> demo, IOptions<NodeOptions> node) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (demo.Value.Seed && node.Value.Web)
        {
            lifetime.ApplicationStarted.Register(() => Console.Out.Write(Render()));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Render()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(unknown)";
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("==================== 预算绩效管理系统 (demo) ====================");
        text.AppendLine($"  Open {address}  — every demo login's password is {demo.Value.Password}");
        foreach (var login in DemoSeeder.Logins)
        {
            text.AppendLine($"  {login.UserName,-12} {Roles.Label(login.Role),-6} {login.DisplayName}  {login.Organisation}{(login.LeadEvaluator ? "（主评人）" : string.Empty)}");
        }

        text.AppendLine("================================================================");
        return text.ToString();
    }
}
