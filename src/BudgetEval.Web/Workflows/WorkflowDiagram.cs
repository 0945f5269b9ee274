using System.Globalization;
using System.Text;
using BudgetEval.Web.Workflows.Definitions;
using Microsoft.AspNetCore.Html;
using static System.Net.WebUtility;

namespace BudgetEval.Web.Workflows;

/// <summary>
/// Draws a definition as inline SVG on the server: states in file order from left to right, forward
/// transitions as arcs above the row, returns as arcs below. No script, so it prints and screenshots as seen.
/// </summary>
internal static class WorkflowDiagram
{
    private const int BoxW = 112;
    private const int BoxH = 44;
    private const int Gap = 56;
    private const int Top = 90;
    private const int LabelAscent = 12;
    private const int LabelDescent = 4;
    private const int Margin = 6;

    // A long flow (重点评价's eight states, 1,328 px) shrinks to fit a desktop page down to this share of its size,
    // where its 12 px labels still read; below that (a phone) it keeps this size and scrolls inside its card.
    private const double MinScale = 0.8;

    public static IHtmlContent Render(WorkflowDefinition def, string current, IReadOnlySet<string> visited)
    {
        var index = def.States.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var width = (def.States.Count * (BoxW + Gap)) - Gap + 40;

        // Arcs first, so the viewBox can be cut around everything drawn: a long forward jump (待审批 → 不予评价)
        // bends and labels above y = 0, and a cut-off label is worse than a taller picture.
        var arcs = new StringBuilder();
        double top = Top, bottom = Top + BoxH;
        var lane = 0;
        var between = new Dictionary<(int, int), (int Count, int FirstOffset)>(); // arcs already drawn between the same two states
        foreach (var state in def.States)
        {
            foreach (var action in state.Actions)
            {
                int from = index[state.Id], to = index[action.Target];
                double x1 = CenterX(from), x2 = CenterX(to);
                var forward = to > from;
                var span = Math.Abs(to - from);
                lane++;

                // Two actions between the same states (同意延期 / 不同意延期) would share a curve and their labels
                // would print over each other: each further one bends a label's height (18) further out.
                var offset = 22 + (span * 14) + (lane % 2 * 10);
                if (between.TryGetValue((from, to), out var drawn))
                {
                    offset = drawn.FirstOffset + (drawn.Count * 18);
                    between[(from, to)] = (drawn.Count + 1, drawn.FirstOffset);
                }
                else
                {
                    between[(from, to)] = (1, offset);
                }

                double y = forward ? Top : Top + BoxH;
                double bend = forward ? y - offset : y + offset;
                double sx = x1 + (forward ? 10 : -10), ex = x2 + (forward ? -10 : 10);
                arcs.Append(CultureInfo.InvariantCulture, $"<path d=\"M{sx:0.#},{y} C{sx:0.#},{bend:0.#} {ex:0.#},{bend:0.#} {ex:0.#},{y}\" fill=\"none\" stroke=\"#475467\" stroke-width=\"1.4\" marker-end=\"url(#wf-arrow)\"/>");
                var ly = forward ? bend + 4 : bend - 2;
                arcs.Append(CultureInfo.InvariantCulture, $"<text x=\"{(sx + ex) / 2:0.#}\" y=\"{ly:0.#}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#344054\">{HtmlEncode(action.Label)}</text>");

                // The curve stays between y and bend; a 12px label reaches about 12 above its baseline and 4 below.
                top = Math.Min(top, Math.Min(bend, ly - LabelAscent));
                bottom = Math.Max(bottom, Math.Max(bend, ly + LabelDescent));
            }
        }

        var minY = Math.Floor(Math.Min(0, top - Margin));
        var height = Math.Ceiling(Math.Max(Top + BoxH + 110, bottom + Margin) - minY);
        var svg = new StringBuilder();

        // The floor under shrinking is no inline style (the CSP allows none): an empty, zero-high canvas of that width
        // after the picture makes the box (.wf-fit, min-width: min-content) at least that wide, and the picture fills
        // at most its box. A canvas, not a second svg: "the diagram's svg" stays one element.
        svg.Append("<div class=\"wf-fit\">");
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"wf-diagram\" role=\"img\" aria-label=\"{HtmlEncode(Describe(def, current, visited))}\" viewBox=\"0 {minY} {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append("<defs><marker id=\"wf-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#475467\"/></marker></defs>");
        svg.Append(arcs);

        foreach (var state in def.States)
        {
            var x = 20 + (index[state.Id] * (BoxW + Gap));
            var isCurrent = state.Id == current;
            var wasVisited = visited.Contains(state.Id);
            var (fill, stroke) = isCurrent ? ("#1f4e8c", "#1f4e8c") : wasVisited ? ("#d1fadf", "#067647") : ("#ffffff", "#98a2b3");
            var text = isCurrent ? "#ffffff" : "#1d2939";
            var rx = state.Kind == StateKind.End ? 22 : 6;
            var css = isCurrent ? "wf-state current" : wasVisited ? "wf-state visited" : "wf-state";
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"{css}\" data-state=\"{HtmlEncode(state.Id)}\"><rect x=\"{x}\" y=\"{Top}\" width=\"{BoxW}\" height=\"{BoxH}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{(isCurrent ? 2.5 : 1.5)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (BoxW / 2)}\" y=\"{Top + 27}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"{text}\">{HtmlEncode(state.Label)}{(wasVisited && !isCurrent ? " ✓" : string.Empty)}</text></g>");
        }

        svg.Append("</svg>");
        svg.Append(CultureInfo.InvariantCulture, $"<canvas class=\"wf-floor\" width=\"{Math.Round(width * MinScale)}\" height=\"0\" aria-hidden=\"true\"></canvas></div>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>
    /// The picture in words, for screen readers (role=img takes its name from here): the current state, the states
    /// already passed (in the flow's order) and what can be done next — 当前：制定整改方案；已经过：登记、…；下一步可：提交方案。
    /// </summary>
    public static string Describe(WorkflowDefinition def, string current, IReadOnlySet<string> visited)
    {
        var text = new StringBuilder($"{def.Title}流程图。");
        var state = def.States.FirstOrDefault(s => s.Id == current);
        if (state is not null)
        {
            text.Append(state.Kind == StateKind.End ? $"已办结：{state.Label}" : $"当前：{state.Label}");
        }

        var passed = def.States.Where(s => s.Id != current && visited.Contains(s.Id)).Select(s => s.Label).ToList();
        if (passed.Count > 0)
        {
            text.Append($"；已经过：{string.Join("、", passed)}");
        }

        var next = state?.Actions.Select(a => $"{a.Label}（至{def.States.FirstOrDefault(s => s.Id == a.Target)?.Label ?? a.Target}）").ToList() ?? [];
        if (next.Count > 0)
        {
            text.Append($"；下一步可：{string.Join("、", next)}");
        }

        return text.Append('。').ToString();
    }

    private static double CenterX(int i) => 20 + (i * (BoxW + Gap)) + (BoxW / 2.0);
}
