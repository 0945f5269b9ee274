namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// Settings checked before anything is registered, each refusal naming its setting. The demo defaults
/// (mail as .eml files in the install folder, links to http://127.0.0.1:5080) suit the local start script
/// (environment "Demo"), Development and the tests ("Testing"); in Production they would silently lose
/// every mail, so there the operator must say what they want.
/// </summary>
internal static class StartupSettings
{
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

    private static void Refuse(string message) => throw new StartupRefusedException(message);
}
