using BudgetEval.Tests.Workflows;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Tests.Accessibility;

/// <summary>The flow diagram is an image to screen readers: its name says where the case is, not only the flow's title.</summary>
public sealed class WorkflowDiagramTextTests
{
    [Fact]
    public void Given_a_case_part_way_through_When_the_diagram_is_drawn_Then_its_name_says_the_current_state_the_states_passed_and_the_next_actions()
    {
        var def = DefinitionLoaderTests.Loader.LoadDirectories([WorkflowFiles.ShippedDirectory]).First(d => d.Id == "rectification");
        var current = def.States.First(s => s.Actions.Count > 0 && s.Id != def.States[0].Id);
        var visited = new HashSet<string> { def.States[0].Id, current.Id };

        var svg = WorkflowDiagram.Render(def, current.Id, visited).ToString()!;
        var name = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(svg, "role=\"img\" aria-label=\"([^\"]*)\"").Groups[1].Value);

        Assert.StartsWith($"{def.Title}流程图。当前：{current.Label}；已经过：{def.States[0].Label}；下一步可：", name, StringComparison.Ordinal);
        Assert.All(current.Actions, a => Assert.Contains(a.Label, name, StringComparison.Ordinal));
    }
}
