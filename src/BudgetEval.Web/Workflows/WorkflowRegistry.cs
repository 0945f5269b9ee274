using BudgetEval.Web.Workflows.Definitions;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Workflows;

internal sealed class WorkflowOptions
{
    public const string Section = "Workflows";

    /// <summary>Directories with *.yaml definitions; empty means "next to the binaries, else ../../workflows from the content root".</summary>
    public List<string> Directories { get; set; } = [];
}

/// <summary>
/// Every loaded definition, keyed by (id, version). Built once at start-up; the engine never reads
/// files while serving. Old versions stay here as long as their file does, so running cases keep them.
/// </summary>
internal sealed class WorkflowRegistry
{
    private readonly Dictionary<(string Id, int Version), WorkflowDefinition> _definitions;

    public WorkflowRegistry(IEnumerable<WorkflowDefinition> definitions)
    {
        _definitions = definitions.ToDictionary(d => (d.Id, d.Version));
    }

    public IReadOnlyCollection<WorkflowDefinition> All => _definitions.Values;

    public WorkflowDefinition Get(string id, int version) =>
        _definitions.TryGetValue((id, version), out var def)
            ? def
            : throw new InvalidOperationException($"workflow '{id}' version {version} is not loaded; a running case needs it, so its file must stay in workflows/");

    /// <summary>New cases start on the newest version.</summary>
    public WorkflowDefinition Latest(string id) =>
        _definitions.Values.Where(d => d.Id == id).MaxBy(d => d.Version)
            ?? throw new InvalidOperationException($"no workflow '{id}' is loaded");

    public static WorkflowRegistry Load(IEnumerable<string> directories, IEnumerable<IGuard> guards, IEnumerable<IEffect> effects)
    {
        var loader = new WorkflowLoader(guards.Select(g => g.Name).ToHashSet(), effects.Select(e => e.Name).ToHashSet());
        return new WorkflowRegistry(loader.LoadDirectories(directories));
    }

    public static IReadOnlyList<string> DefaultDirectories(IOptions<WorkflowOptions> options, IHostEnvironment env)
    {
        if (options.Value.Directories.Count > 0)
        {
            return options.Value.Directories;
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
        if (Directory.Exists(shipped) && Directory.EnumerateFiles(shipped, "*.yaml").Any())
        {
            return [shipped];
        }

        var source = Path.GetFullPath(Path.Combine(env.ContentRootPath, "..", "..", "workflows"));
        return Directory.Exists(source)
            ? [source]
            : throw new InvalidOperationException($"no workflow definitions found in {shipped} or {source}");
    }
}

/// <summary>Loads the definitions before anything else starts, so a broken file stops start-up with its name and line.</summary>
internal sealed class WorkflowRegistryStartup(WorkflowRegistry registry, ILogger<WorkflowRegistryStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Workflow definitions loaded: {Definitions}", string.Join(", ", registry.All.Select(d => d.Key)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
