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
}

internal sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>Where users reach the product; used for links in e-mails.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>IANA time zone for deadlines and display.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
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

    /// <summary>Parallel SMTP connections per delivery run on one node.</summary>
    public int DeliveryWorkers { get; set; } = 4;

    /// <summary>SMTP connect/send timeout.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}
