namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// Settings checked before anything is registered, each refusal naming its setting. The demo defaults
/// (mail as .eml files in the install folder, links to http://127.0.0.1:5080) suit the local start script
/// (environment "Demo"), Development and the tests ("Testing"); in Production they would silently lose
/// every mail, so there the operator must say what they want.
/// </summary>
internal static class StartupSettings
{
    /// <summary>Every options class: a class of this assembly with a public const string Section (as the configuration reference test finds them).</summary>
    private static readonly Type[] OptionsTypes = [.. typeof(StartupSettings).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null
            && t.GetField("Section", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static) is { IsLiteral: true })];

    /// <param name="serving">False for --migrate-only and --create-admin, which neither send mail nor build links.</param>
    public static void Validate(IConfiguration config, IHostEnvironment environment, bool serving = true)
    {
        var production = environment.IsProduction();
        if (production && config.GetValue<bool>("Demo:Seed"))
        {
            Refuse("Demo:Seed is true in the Production environment; demo logins must never exist in production. Set Demo:Seed to false.");
        }

        if (string.IsNullOrWhiteSpace(config.GetConnectionString("Default")))
        {
            Refuse("ConnectionStrings:Default is not set (see appsettings.sample.json).");
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(config.GetConnectionString("Default"));
        }
        catch (ArgumentException e)
        {
            // Only the parser's own words: they name the keyword (a typo such as Databse, Port=abc), never the password.
            Refuse($"ConnectionStrings:Default cannot be read: {e.Message}. Npgsql syntax is expected: Host=…;Port=5432;Database=budgeteval;Username=…;Password=… (not a postgres:// URL).");
        }

        BindEverySection(config);
        CheckValues(config);

        var zone = config["App:TimeZone"];
        if (zone is not null)
        {
            try
            {
                TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Refuse($"App:TimeZone: '{zone}' is not a time zone this machine knows; give an IANA name such as Asia/Shanghai.");
            }
        }

        if (!production || !serving)
        {
            return;
        }

        var mode = config["Email:Mode"];
        if (string.IsNullOrWhiteSpace(mode))
        {
            Refuse("Email:Mode is not set; in Production set Email:Mode=Smtp with Email:Host (docs/operations.md, E-mail). Without it mail would be written as files and never sent.");
        }

        if (string.Equals(mode, "Smtp", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(config["Email:Host"]))
            {
                Refuse("Email:Host is not set; Email:Mode=Smtp needs the SMTP server's host name.");
            }
        }
        else if (!string.Equals(mode, "Pickup", StringComparison.OrdinalIgnoreCase))
        {
            Refuse($"Email:Mode: '{mode}' is neither Smtp nor Pickup.");
        }

        var baseUrl = config["App:PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            Refuse("App:PublicBaseUrl is not set; in Production set it to the address users open (e.g. https://jixiao.example.gov.cn), which e-mails link to.");
        }

        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Refuse($"App:PublicBaseUrl: '{baseUrl}' is not an absolute http(s) address.");
        }
    }

    /// <summary>
    /// Binds every options section once, now: a value of the wrong type (Node:Jobs=yes, Email:Port=abc) would otherwise
    /// surface later as a stack trace, or only when a job first uses it while the node looks healthy.
    /// </summary>
    private static void BindEverySection(IConfiguration config)
    {
        foreach (var type in OptionsTypes)
        {
            var section = (string)type.GetField("Section")!.GetValue(null)!;
            try
            {
                config.GetSection(section).Get(type);
            }
            catch (InvalidOperationException e)
            {
                // The framework's message names the key and the value: "Failed to convert configuration value 'yes' at 'Node:Jobs' to type 'System.Boolean'."
                Refuse($"{e.Message} Correct the setting (appsettings.sample.json describes each one).");
            }
        }
    }

    /// <summary>Values of the right type that still cannot work; each would fail later, far from the setting that caused it.</summary>
    private static void CheckValues(IConfiguration config)
    {
        var proxies = config.GetSection("Proxy:KnownProxies").GetChildren().ToList();
        foreach (var proxy in proxies.Where(p => !System.Net.IPAddress.TryParse(p.Value, out _)))
        {
            Refuse($"{proxy.Path}: '{proxy.Value}' is not an IP address (e.g. 10.0.0.5; a network goes into Proxy:KnownNetworks).");
        }

        foreach (var network in config.GetSection("Proxy:KnownNetworks").GetChildren().Where(n => !System.Net.IPNetwork.TryParse(n.Value, out _)))
        {
            Refuse($"{network.Path}: '{network.Value}' is not a network in CIDR form (e.g. 172.16.0.0/12).");
        }

        var app = config.GetSection(AppOptions.Section).Get<AppOptions>() ?? new AppOptions();
        if (app.MaxRequestBodyMegabytes < 1)
        {
            Refuse($"App:MaxRequestBodyMegabytes: {app.MaxRequestBodyMegabytes} is not a size; give the largest upload in MB (default 30, the same as nginx's client_max_body_size).");
        }

        var admission = config.GetSection(AdmissionOptions.Section).Get<AdmissionOptions>() ?? new AdmissionOptions();
        if (admission.QueueLimit < 0)
        {
            Refuse($"Admission:QueueLimit: {admission.QueueLimit} is negative; give how many requests may wait (0 or more, default 10000).");
        }

        if (admission.QueueTimeoutSeconds < 1)
        {
            Refuse($"Admission:QueueTimeoutSeconds: {admission.QueueTimeoutSeconds} is too small; give how long a request may wait for its turn (1 or more, default 30).");
        }

        var email = config.GetSection(EmailOptions.Section).Get<EmailOptions>() ?? new EmailOptions();
        if (email.Port is < 1 or > 65535)
        {
            Refuse($"Email:Port: {email.Port} is not a TCP port (587 with Email:EnableTls, or 25).");
        }

        if (email.TimeoutSeconds < 1)
        {
            Refuse($"Email:TimeoutSeconds: {email.TimeoutSeconds} is too small; give the SMTP timeout in seconds (default 30).");
        }

        // A listed folder replaces the shipped workflows/ folder; one that does not exist would otherwise stop start-up with a bare path.
        foreach (var dir in config.GetSection("Workflows:Directories").GetChildren().Where(d => !Directory.Exists(d.Value)))
        {
            Refuse($"{dir.Path}: the folder '{dir.Value}' does not exist or cannot be read by this user.");
        }
    }

    private static void Refuse(string message) => throw new StartupRefusedException(message);
}
