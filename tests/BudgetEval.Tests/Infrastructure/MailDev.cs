using System.Net.Sockets;
using System.Text.Json;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// The real SMTP server tests/run.sh starts (maildev): its SMTP port from BUDGETEVAL_TEST_SMTP, its HTTP API
/// from BUDGETEVAL_TEST_MAILDEV. Missing variables fail the test with a message; mail tests never skip.
/// </summary>
internal static class MailDev
{
    public const string SmtpVariable = "BUDGETEVAL_TEST_SMTP";
    public const string ApiVariable = "BUDGETEVAL_TEST_MAILDEV";

    private static readonly HttpClient Http = new();

    public static (string Host, int Port) Smtp
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(SmtpVariable);
            if (string.IsNullOrEmpty(value) || value.Split(':') is not [var host, var port])
            {
                throw new InvalidOperationException(
                    $"{SmtpVariable} is not set (expected host:port of a running maildev). Run the tests with tests/run.sh, which starts maildev and sets it.");
            }

            return (host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static string Api => Environment.GetEnvironmentVariable(ApiVariable) is { Length: > 0 } url
        ? url.TrimEnd('/')
        : throw new InvalidOperationException($"{ApiVariable} is not set (expected http://host:port of maildev's web API). Run the tests with tests/run.sh.");

    public static async Task ClearAsync() => (await Http.DeleteAsync(Api + "/email/all")).EnsureSuccessStatusCode();

    /// <summary>Every received mail as (to, subject, text), decoded by maildev.</summary>
    public static async Task<IReadOnlyList<(string To, string Subject, string Text, string Html)>> EmailsAsync()
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync(Api + "/email"));
        return json.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("to").EnumerateArray().First().GetProperty("address").GetString() ?? string.Empty,
            e.GetProperty("subject").GetString() ?? string.Empty,
            e.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty,
            e.TryGetProperty("html", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : string.Empty)).ToList();
    }

    /// <summary>A port nothing listens on: "the mail server is down".</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Tests that read maildev's mailbox run one at a time (they clear it).</summary>
[CollectionDefinition(Name)]
public sealed class MailDevCollection
{
    public const string Name = "maildev";
}
