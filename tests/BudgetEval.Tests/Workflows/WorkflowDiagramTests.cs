using System.Globalization;
using System.Text.RegularExpressions;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Tests.Workflows;

/// <summary>The case page's flow diagram: every action's label can be read, none printed over another.</summary>
public sealed partial class WorkflowDiagramTests
{
    [Fact]
    public void Given_every_shipped_flow_When_drawn_Then_no_two_action_labels_overlap()
    {
        var definitions = DefinitionLoaderTests.Loader.LoadDirectories([WorkflowFiles.ShippedDirectory]);
        Assert.Contains(definitions, d => d.Id == "rectification"); // 同意延期 and 不同意延期 join the same two states

        foreach (var def in definitions)
        {
            var svg = WorkflowDiagram.Render(def, def.States[0].Id, new HashSet<string>()).ToString()!;
            var labels = Label().Matches(svg).Select(m => (X: Number(m.Groups[1].Value), Y: Number(m.Groups[2].Value), Text: m.Groups[3].Value)).ToList();
            Assert.Equal(def.States.Sum(s => s.Actions.Count), labels.Count);
            foreach (var (a, i) in labels.Select((l, i) => (l, i)))
            {
                foreach (var b in labels.Skip(i + 1))
                {
                    // 12px text, about 13px per character, centred on x: the boxes must not intersect.
                    var apart = Math.Abs(a.X - b.X) >= ((a.Text.Length + b.Text.Length) * 13 / 2.0) || Math.Abs(a.Y - b.Y) >= 14;
                    Assert.True(apart, $"{def.Id} v{def.Version}: 「{a.Text}」 at ({a.X},{a.Y}) and 「{b.Text}」 at ({b.X},{b.Y}) overlap");
                }
            }
        }
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex("<text x=\"(-?[0-9.]+)\" y=\"(-?[0-9.]+)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#344054\">([^<]*)</text>")]
    private static partial Regex Label();
}
