using System.Globalization;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Users;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BudgetEval.Web.Workflows.Definitions;

/// <summary>
/// Reads workflow files into <see cref="WorkflowDefinition"/>s and refuses anything the engine could
/// trip over later. The YAML is walked node by node (not deserialised into classes) so that every
/// complaint can name the line it is about.
/// </summary>
internal sealed class WorkflowLoader(IReadOnlySet<string> guardNames, IReadOnlySet<string> effectNames)
{
    public WorkflowDefinition LoadFile(string path)
    {
        // The path as configured, folder included: with several Workflows:Directories the file name alone does not say
        // which copy is broken (a district's variant or the shipped one).
        var name = path;
        YamlStream stream = [];
        try
        {
            using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new WorkflowDefinitionException(name, (int)e.Start.Line, "YAML 语法错误 (invalid YAML): " + e.Message);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new WorkflowDefinitionException(name, 1, "expected exactly one YAML document whose top level is a mapping");
        }

        return new FileParser(name, guardNames, effectNames).Parse(root);
    }

    /// <summary>Loads every *.yaml file of the given directories; (id, version) must be unique across all of them.</summary>
    public IReadOnlyList<WorkflowDefinition> LoadDirectories(IEnumerable<string> directories)
    {
        var result = new List<WorkflowDefinition>();
        foreach (var dir in directories)
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
            {
                var def = LoadFile(file);
                if (result.FirstOrDefault(d => d.Id == def.Id && d.Version == def.Version) is { } twin)
                {
                    throw new WorkflowDefinitionException(file, 1,
                        $"workflow '{def.Id}' version {def.Version} is also defined in {twin.SourceFile}");
                }

                result.Add(def);
            }
        }

        return result;
    }

    private sealed class FileParser(string file, IReadOnlySet<string> guards, IReadOnlySet<string> effects)
    {
        public WorkflowDefinition Parse(YamlMappingNode root)
        {
            var id = RequiredScalar(root, "id");
            var version = Int(RequiredNode(root, "version"));
            var title = RequiredScalar(root, "title");
            var subject = RequiredScalar(root, "subject");
            var initialNode = RequiredNode(root, "initial");
            var initial = Scalar(initialNode);
            if (RequiredNode(root, "states") is not YamlMappingNode statesNode || statesNode.Children.Count == 0)
            {
                throw Fail(root, "'states' must be a non-empty mapping of state id to state");
            }

            var states = statesNode.Children.Select(kv => ParseState(Scalar(kv.Key), kv.Key, kv.Value)).ToList();
            var byId = states.ToDictionary(s => s.Id);
            if (!byId.ContainsKey(initial))
            {
                throw Fail(initialNode, $"unknown state '{initial}' as initial state");
            }

            foreach (var state in states)
            {
                foreach (var action in state.Actions)
                {
                    if (!byId.ContainsKey(action.Target))
                    {
                        throw new WorkflowDefinitionException(file, action.Line, $"action '{action.Id}' of state '{state.Id}' targets unknown state '{action.Target}'");
                    }
                }

                if (state.Kind != StateKind.End && state.Actions.Count == 0)
                {
                    throw new WorkflowDefinitionException(file, state.Line, $"state '{state.Id}' is not an end state but has no action leading out of it");
                }

                if (state.Kind == StateKind.End && state.Actions.Count > 0)
                {
                    throw new WorkflowDefinitionException(file, state.Line, $"end state '{state.Id}' must not have actions");
                }
            }

            // Every state must be reachable from the initial one, or it is dead text that misleads readers.
            var seen = new HashSet<string> { initial };
            var queue = new Queue<string>([initial]);
            while (queue.TryDequeue(out var current))
            {
                foreach (var next in byId[current].Actions.Select(a => a.Target).Where(seen.Add))
                {
                    queue.Enqueue(next);
                }
            }

            if (states.FirstOrDefault(s => !seen.Contains(s.Id)) is { } unreachable)
            {
                throw new WorkflowDefinitionException(file, unreachable.Line, $"state '{unreachable.Id}' is unreachable from the initial state '{initial}'");
            }

            if (!states.Any(s => s.Kind == StateKind.End))
            {
                throw Fail(statesNode, "the workflow has no end state");
            }

            return new WorkflowDefinition(id, version, title, subject, initial, states, file);
        }

        private StateDefinition ParseState(string id, YamlNode keyNode, YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                throw Fail(keyNode, $"state '{id}' must be a mapping");
            }

            CheckKeys(map, "label", "kind", "actor", "due", "reminders", "actions");
            var label = RequiredScalar(map, "label");
            var kindNode = RequiredNode(map, "kind");
            var kind = Scalar(kindNode) switch
            {
                "task" => StateKind.Task,
                "wait" => StateKind.Wait,
                "end" => StateKind.End,
                var other => throw Fail(kindNode, $"unknown state kind '{other}' (expected task, wait or end)"),
            };

            ActorRule? actor = null;
            if (Optional(map, "actor") is { } actorNode)
            {
                actor = ParseActor(actorNode);
            }
            else if (kind == StateKind.Task)
            {
                throw Fail(keyNode, $"task state '{id}' needs an 'actor' (role and scope)");
            }

            var due = Optional(map, "due") is { } dueNode ? ParseDue(dueNode) : null;
            var reminders = Optional(map, "reminders") is { } remNode ? ParseReminders(remNode) : null;
            var actions = new List<ActionDefinition>();
            if (Optional(map, "actions") is { } actionsNode)
            {
                if (actionsNode is not YamlMappingNode actionsMap)
                {
                    throw Fail(actionsNode, "'actions' must be a mapping of action id to action");
                }

                actions.AddRange(actionsMap.Children.Select(kv => ParseAction(Scalar(kv.Key), kv.Key, kv.Value)));
            }

            return new StateDefinition(id, label, kind, actor, due, reminders, actions, Line(keyNode));
        }

        private ActorRule ParseActor(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                throw Fail(node, "'actor' must be a mapping { role: ..., scope: unit | bureau | firm }");
            }

            CheckKeys(map, "role", "scope");
            var roleNode = RequiredNode(map, "role");
            var role = KnownRole(roleNode);
            var scopeNode = RequiredNode(map, "scope");
            var scope = Scalar(scopeNode) switch
            {
                "unit" => ActorScope.Unit,
                "bureau" => ActorScope.Bureau,
                "firm" => ActorScope.Firm,
                var other => throw Fail(scopeNode, $"unknown scope '{other}' (expected unit, bureau or firm)"),
            };
            if (ScopeOf(role) != scope)
            {
                throw Fail(scopeNode, $"role '{role}' does not belong to scope '{Scalar(scopeNode)}'");
            }

            return new ActorRule(role, scope);
        }

        private DueRule ParseDue(YamlNode node)
        {
            if (node is YamlScalarNode { Value: "planDeadline" })
            {
                return new DueRule(DueRuleKind.PlanDeadline, 0);
            }

            if (node is YamlScalarNode { Value: "subjectDeadline" })
            {
                return new DueRule(DueRuleKind.SubjectDeadline, 0);
            }

            if (node is YamlMappingNode map && map.Children.Count == 1 && Optional(map, "workingDaysAfterEntry") is { } days)
            {
                var n = Int(days);
                return n > 0 ? new DueRule(DueRuleKind.WorkingDaysAfterEntry, n) : throw Fail(days, "workingDaysAfterEntry must be positive");
            }

            throw Fail(node, "'due' must be 'planDeadline', 'subjectDeadline' or { workingDaysAfterEntry: N }");
        }

        private ReminderPolicy ParseReminders(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                throw Fail(node, "'reminders' must be a mapping");
            }

            CheckKeys(map, "daysBefore", "overdueEvery", "escalate");
            var daysBefore = Optional(map, "daysBefore") is { } db ? Sequence(db).Select(Int).ToList() : [];
            string? overdue = null;
            if (Optional(map, "overdueEvery") is { } overdueNode)
            {
                overdue = Scalar(overdueNode);
                if (overdue is not ("workingDay" or "day"))
                {
                    throw Fail(overdueNode, $"unknown overdueEvery '{overdue}' (expected workingDay or day)");
                }
            }

            var escalate = new List<Escalation>();
            if (Optional(map, "escalate") is { } escNode)
            {
                foreach (var item in Sequence(escNode))
                {
                    if (item is not YamlMappingNode e)
                    {
                        throw Fail(item, "each escalation must be { afterWorkingDays: N, to: Role }");
                    }

                    CheckKeys(e, "afterWorkingDays", "to");
                    escalate.Add(new Escalation(Int(RequiredNode(e, "afterWorkingDays")), KnownRole(RequiredNode(e, "to"))));
                }
            }

            return new ReminderPolicy(daysBefore, overdue, escalate);
        }

        private ActionDefinition ParseAction(string id, YamlNode keyNode, YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                throw Fail(keyNode, $"action '{id}' must be a mapping");
            }

            CheckKeys(map, "label", "target", "roles", "requires", "then", "commentRequired");
            var label = RequiredScalar(map, "label");
            var target = RequiredScalar(map, "target");
            var roles = Sequence(RequiredNode(map, "roles")).Select(KnownRole).ToList();
            if (roles.Count == 0)
            {
                throw Fail(keyNode, $"action '{id}' names no role that may take it");
            }

            var requires = Optional(map, "requires") is { } r ? Sequence(r).Select(n => Known(n, guards, "guard")).ToList() : [];
            var then = Optional(map, "then") is { } t ? Sequence(t).Select(n => Known(n, effects, "effect")).ToList() : [];
            var comment = false;
            if (Optional(map, "commentRequired") is { } c)
            {
                comment = Scalar(c) switch
                {
                    "true" => true,
                    "false" => false,
                    var other => throw Fail(c, $"commentRequired must be true or false, not '{other}'"),
                };
            }

            return new ActionDefinition(id, label, target, roles, requires, then, comment, Line(keyNode));
        }

        private string KnownRole(YamlNode node)
        {
            var role = Scalar(node);
            return Roles.All.Contains(role) ? role : throw Fail(node, $"unknown role '{role}' (known: {string.Join(", ", Roles.All)})");
        }

        private string Known(YamlNode node, IReadOnlySet<string> names, string what)
        {
            var name = Scalar(node);
            return names.Contains(name) ? name : throw Fail(node, $"unknown {what} '{name}' (no C# class implements it; known: {string.Join(", ", names.Order())})");
        }

        private void CheckKeys(YamlMappingNode map, params string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                if (!allowed.Contains(Scalar(key)))
                {
                    throw Fail(key, $"unknown key '{Scalar(key)}' (allowed here: {string.Join(", ", allowed)})");
                }
            }
        }

        private static YamlNode? Optional(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private YamlNode RequiredNode(YamlMappingNode map, string key) =>
            Optional(map, key) ?? throw Fail(map, $"missing '{key}'");

        private string RequiredScalar(YamlMappingNode map, string key) => Scalar(RequiredNode(map, key));

        private string Scalar(YamlNode node) =>
            node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Fail(node, "expected a non-empty text value");

        private int Int(YamlNode node) =>
            int.TryParse(Scalar(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Fail(node, $"expected a whole number, not '{Scalar(node)}'");

        private IEnumerable<YamlNode> Sequence(YamlNode node) =>
            node as YamlSequenceNode ?? throw Fail(node, "expected a list, e.g. [A, B]");

        private WorkflowDefinitionException Fail(YamlNode node, string problem) => new(file, Line(node), problem);

        private static int Line(YamlNode node) => (int)node.Start.Line;
    }

    /// <summary>The scope a role acts in follows from the kind of organisation the role belongs to.</summary>
    public static ActorScope ScopeOf(string role) => Roles.KindFor(role) switch
    {
        OrganisationKind.BudgetUnit => ActorScope.Unit,
        OrganisationKind.EvaluationFirm => ActorScope.Firm,
        _ => ActorScope.Bureau,
    };
}
