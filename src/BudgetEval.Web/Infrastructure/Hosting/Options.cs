namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>Which parts of the application this process runs (same build, different roles).</summary>
internal sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Serve the UI and the JSON API.</summary>
    public bool Web { get; set; } = true;

    /// <summary>Run background jobs (Quartz, clustered over PostgreSQL).</summary>
    public bool Jobs { get; set; } = true;

    /// <summary>Apply pending migrations at start-up (under an advisory lock).</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>This node's name in logs and on /admin/jobs (Quartz instance id prefix); empty = machine name and port.</summary>
    public string? Name { get; set; }

    /// <summary>The configured name, or machine name plus the port of the first URL it listens on (two nodes on one host differ).</summary>
    public static string NameOf(IConfiguration config)
    {
        if (config["Node:Name"] is { Length: > 0 } name)
        {
            return name.Trim();
        }

        var url = (config["urls"] ?? config["ASPNETCORE_URLS"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var port = url?.Replace("://+", "://0", StringComparison.Ordinal).Replace("://*", "://0", StringComparison.Ordinal) is { } u && Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.Port : (int?)null;
        return port is null ? Environment.MachineName : $"{Environment.MachineName}:{port}";
    }
}

internal sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>Where users reach the product; used for links in e-mails.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>IANA time zone for deadlines and display.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Largest request body (uploads, imports) in MB; the reverse proxy's limit should match.</summary>
    public int MaxRequestBodyMegabytes { get; set; } = 30;
}

/// <summary>How many requests one node serves at once; the rest wait their turn (docs/decisions/0017-request-admission.md).</summary>
internal sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Requests served at once; 0 = four per processor, a negative value = no limit.</summary>
    public int MaxConcurrentRequests { get; set; }

    /// <summary>Requests that may wait beyond those served; one more is answered 503 at once.</summary>
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>How long a request may wait for its turn before it is answered 503.</summary>
    public int QueueTimeoutSeconds { get; set; } = 30;

    public int EffectiveMaxConcurrentRequests => MaxConcurrentRequests == 0 ? 4 * Environment.ProcessorCount : MaxConcurrentRequests;
}

/// <summary>Running behind a reverse proxy (nginx) that terminates TLS.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Honour X-Forwarded-For/-Proto/-Host, but only from the proxies and networks listed below.</summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>IP addresses of trusted proxies (loopback is always trusted).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. 172.16.0.0/12 for a container network.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

internal sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Create the demo organisations and logins when the database has none. Refused in Production.</summary>
    public bool Seed { get; set; }

    /// <summary>The password every demo login gets.</summary>
    public string Password { get; set; } = "Demo@2026!";
}

internal sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>"Smtp" sends through a server; "Pickup" writes .eml files into PickupDirectory.</summary>
    public string Mode { get; set; } = "Pickup";

    public string PickupDirectory { get; set; } = ".data/mail";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 25;

    public bool EnableTls { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "budgeteval@localhost";

    public string FromName { get; set; } = "预算绩效管理系统";

    /// <summary>Attempts per message before it is marked failed (shown on /admin/jobs, where it can be retried).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First retry delay; each further one doubles, with up to 50% random jitter, capped at one hour.</summary>
    public int RetryBaseSeconds { get; set; } = 30;

    /// <summary>
    /// Parallel SMTP connections (each on its own thread) per delivery run on one node. Delivery is bound by
    /// the wait per SMTP exchange, not by CPU, so more connections mean proportionally more mails per second.
    /// </summary>
    public int DeliveryWorkers { get; set; } = 16;

    /// <summary>SMTP connect/send timeout.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}

internal sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>The legal floor (等保二级): entries younger than this are never purged, whatever is configured.</summary>
    public const int MinimumRetentionDays = 180;

    /// <summary>How long audit entries are kept; values below 180 are raised to 180.</summary>
    public int RetentionDays { get; set; } = 365;

    public int EffectiveRetentionDays => Math.Max(RetentionDays, MinimumRetentionDays);
}

/// <summary>Headless Chromium for the print views' PDFs (docs/decisions/0008-pdf-rendering.md).</summary>
internal sealed class PdfOptions
{
    public const string Section = "Pdf";

    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>Wall-clock limit for one render, starting the browser included; a hung browser is killed after it.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>The warm browser is closed after this long without a PDF (its memory back); 0 keeps it while the app runs.</summary>
    public int IdleSeconds { get; set; } = 600;
}
