using System.Text.Encodings.Web;

namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// An expected reason not to start (a missing or wrong setting, an un-migrated database). The message names
/// the setting or the command to run; Program reports it as one log line and one stderr line, without a stack
/// trace, and exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class StartupRefusedException(string message, int exitCode = StartupRefusal.ConfigurationExitCode, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode => exitCode;
}

/// <summary>How a refused start-up is reported (docs/operations.md, "Start-up refusals").</summary>
internal static class StartupRefusal
{
    /// <summary>EX_CONFIG of sysexits.h: a setting is wrong. The systemd units do not restart on it (RestartPreventExitStatus).</summary>
    public const int ConfigurationExitCode = 78;

    /// <summary>The settings are fine but something outside is not ready yet (migrations pending, database unreachable): a restart may succeed.</summary>
    public const int NotReadyExitCode = 1;

    /// <summary>The refusal, or null when the exception (or one inside it) is not one.</summary>
    public static StartupRefusedException? Find(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is StartupRefusedException refused)
            {
                return refused;
            }

            // A broken workflow file is a setting the operator deployed: its message is already "file:line: problem".
            if (inner is Workflows.Definitions.WorkflowDefinitionException definition)
            {
                return new StartupRefusedException($"workflow definition {definition.Message} (fix the file, or remove it from the folders of Workflows:Directories)", inner: definition);
            }

            if (inner is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Find(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }

    /// <summary>One log line (JSON in Production, like every other line there) and one stderr line; returns the exit code.</summary>
    public static int Report(StartupRefusedException refused)
    {
        var production = string.Equals(
            Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
            Environments.Production, StringComparison.OrdinalIgnoreCase);
        // Its own logger of the same shape as the app's (the host may not exist yet), disposed to flush it before exit.
        using (var factory = LoggerFactory.Create(b =>
        {
            if (production)
            {
                b.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                });
            }
            else
            {
                b.AddSimpleConsole(o => o.SingleLine = true);
            }
        }))
        {
            factory.CreateLogger("BudgetEval.Startup").LogCritical("Start-up refused: {Reason}", refused.Message);
        }

        Console.Error.WriteLine($"BudgetEval: start-up refused: {refused.Message}");
        return refused.ExitCode;
    }
}
