using System.Reflection;
using System.Text.Json;
using BudgetEval.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace BudgetEval.Tests.Deployment;

/// <summary>
/// Keeps the documented settings, the code's options classes and the deployment files in step: a
/// setting added in code but not documented, or a variable in compose/systemd that the app never
/// reads (a typo that would silently do nothing), fails here.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    // Settings the framework reads itself rather than an options class of ours.
    private static readonly string[] FrameworkPrefixes = ["ASPNETCORE_", "DOTNET_", "Logging", "AllowedHosts", "TZ"];

    private static readonly string[] Required = ["ConnectionStrings:Default"];

    [Fact]
    public void Given_the_options_classes_Then_every_setting_is_documented_in_the_sample_and_nothing_else_is()
    {
        var documented = SampleKeys();
        var known = KnownSettings();

        Assert.Empty(known.Except(documented).Order());
        Assert.Empty(documented.Where(k => !known.Contains(k) && !IsFrameworkSetting(k)).Order());
    }

    [Fact]
    public void Given_docker_compose_Then_every_app_variable_is_a_real_setting_and_the_required_ones_are_set()
    {
        using var reader = new StreamReader(RepositoryFiles.PathOf("deploy/docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var appServices = services.Children
            .Select(s => (Name: s.Key.ToString(), Service: Merged((YamlMappingNode)s.Value)))
            .Where(s => s.Service.TryGetValue("image", out var image) && image.ToString().StartsWith("budgeteval", StringComparison.Ordinal))
            .ToList();
        Assert.True(appServices.Count >= 4, "migrate, two web nodes and a jobs node are expected");

        var known = KnownSettings();
        foreach (var (name, service) in appServices)
        {
            var env = Environment(service);
            Assert.All(env.Keys, key => Assert.True(IsFrameworkSetting(key) || known.Contains(ToConfigKey(key)), $"{name}: {key} is not a setting the app reads"));
            Assert.All(Required, r => Assert.Contains(r, env.Keys.Select(ToConfigKey)));
        }

        var web = appServices.Where(s => s.Name.StartsWith("web", StringComparison.Ordinal)).Select(s => Environment(s.Service)).ToList();
        Assert.Equal(2, web.Count);
        Assert.All(web, e => Assert.Equal("false", e["Node__Jobs"]));
        Assert.Equal("false", Environment(appServices.Single(s => s.Name == "jobs").Service)["Node__Web"]);

        // The proxy network trusted for X-Forwarded-For is the compose network's own, pinned subnet (a range that Docker
        // might not use would leave the real client addresses unread, or trust other hosts).
        var subnets = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)root.Children[new YamlScalarNode("networks")])
            .Children[new YamlScalarNode("default")]).Children[new YamlScalarNode("ipam")]).Children[new YamlScalarNode("config")])
            .Select(c => ((YamlMappingNode)c).Children[new YamlScalarNode("subnet")].ToString()).ToList();
        Assert.All(appServices, s => Assert.Equal(subnets, [Environment(s.Service)["Proxy__KnownNetworks__0"]]));
        Assert.Equal(["${BUDGETEVAL_SUBNET:-172.28.0.0/16}"], subnets);
    }

    [Fact]
    public void Given_the_systemd_environment_example_Then_every_variable_is_a_real_setting()
    {
        var known = KnownSettings();
        var keys = File.ReadAllLines(RepositoryFiles.PathOf("deploy/systemd/budgeteval.env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)])
            .ToList();
        Assert.All(keys, key => Assert.True(IsFrameworkSetting(key) || known.Contains(ToConfigKey(key)), $"{key} is not a setting the app reads"));
        Assert.All(Required, r => Assert.Contains(r, keys.Select(ToConfigKey)));
    }

    [Fact]
    public void Given_nginx_Then_its_upload_limit_matches_the_app_default()
    {
        var conf = File.ReadAllText(RepositoryFiles.PathOf("deploy/nginx/budgeteval.conf"));
        var appDefault = new BudgetEval.Web.Infrastructure.Hosting.AppOptions().MaxRequestBodyMegabytes;
        Assert.Contains($"client_max_body_size {appDefault}m;", conf, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_nginx_Then_it_waits_longer_than_the_app_takes_to_answer_a_pdf_after_waiting_its_turn()
    {
        var conf = File.ReadAllText(RepositoryFiles.PathOf("deploy/nginx/budgeteval.conf"));
        var timeouts = System.Text.RegularExpressions.Regex.Matches(conf, @"proxy_read_timeout (\d+)s;").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var slowest = new BudgetEval.Web.Infrastructure.Hosting.PdfOptions().TimeoutSeconds + new BudgetEval.Web.Infrastructure.Hosting.AdmissionOptions().QueueTimeoutSeconds;

        Assert.NotEmpty(timeouts);
        Assert.All(timeouts, t => Assert.True(t > slowest, $"nginx gives up after {t} s; a PDF may take {slowest} s with its wait"));
    }

    /// <summary>Section:Property for every options class (a class with a const Section), plus the connection string.</summary>
    private static HashSet<string> KnownSettings()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ConnectionStrings:Default" };
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetValue(null) is string section)
            {
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                {
                    keys.Add($"{section}:{p.Name}");
                }
            }
        }

        return keys;
    }

    private static HashSet<string> SampleKeys()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("appsettings.sample.json")));
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Walk(JsonElement e, string prefix)
        {
            foreach (var p in e.EnumerateObject().Where(p => p.Name != "_help"))
            {
                var key = prefix.Length == 0 ? p.Name : $"{prefix}:{p.Name}";
                if (p.Value.ValueKind == JsonValueKind.Object && !key.StartsWith("Logging", StringComparison.Ordinal))
                {
                    Walk(p.Value, key);
                }
                else
                {
                    keys.Add(key);
                }
            }
        }

        Walk(json.RootElement, string.Empty);
        return keys;
    }

    // YamlDotNet's representation model keeps "<<" merge keys as they are; resolve them by hand
    // (own keys win over merged ones, as in YAML).
    private static Dictionary<string, YamlNode> Merged(YamlMappingNode node)
    {
        var result = new Dictionary<string, YamlNode>();
        foreach (var (k, v) in node.Children.Where(c => c.Key.ToString() != "<<"))
        {
            result[k.ToString()] = v;
        }

        if (node.Children.TryGetValue(new YamlScalarNode("<<"), out var merge))
        {
            foreach (var (k, v) in Merged((YamlMappingNode)merge))
            {
                result.TryAdd(k, v);
            }
        }

        return result;
    }

    private static Dictionary<string, string> Environment(Dictionary<string, YamlNode> service) =>
        service.TryGetValue("environment", out var env)
            ? Merged((YamlMappingNode)env).ToDictionary(e => e.Key, e => e.Value.ToString())
            : [];

    // Section__Key__0 (an array element) reads the Section:Key setting.
    private static string ToConfigKey(string variable)
    {
        var parts = variable.Split("__");
        return string.Join(':', parts.Where(p => !p.All(char.IsDigit)));
    }

    private static bool IsFrameworkSetting(string key) => FrameworkPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));
}
