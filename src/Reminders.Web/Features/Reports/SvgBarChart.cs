using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Reminders.Web.Features.Reports;

/// <summary>One bar: its value (null = no data) and the text read out for it.</summary>
public sealed record Bar(double? Value, string Text);

/// <summary>A group of bars under one label (a month, a clinic).</summary>
public sealed record BarGroup(string Label, IReadOnlyList<Bar> Bars);

/// <summary>
/// A server-rendered SVG bar chart (the CSP forbids inline script and the region's machines may have no
/// internet, so no chart library). It is an image with a title and a description; each bar carries a
/// &lt;title&gt; with its value, and the page shows the same numbers as a table beside it.
/// </summary>
public static class SvgBarChart
{
    private static readonly string[] Fills = ["#0b4f8a", "#c26a00", "#1b6e2e"];

    /// <summary>Renders the chart; <paramref name="max"/> is the value at the top (e.g. 1 for rates).</summary>
    public static IHtmlContent Render(string id, string title, string description, IReadOnlyList<string> seriesNames, IReadOnlyList<BarGroup> groups, double max, Func<double, string> axisText)
    {
        var enc = HtmlEncoder.Default;
        const int height = 220, top = 10, left = 56, barWidth = 22, gap = 18;
        var bars = Math.Max(1, seriesNames.Count);
        var groupWidth = (bars * barWidth) + gap;
        var width = Math.Max(left + (Math.Max(1, groups.Count) * groupWidth) + 10, left + (seriesNames.Count * 190));
        var bottom = top + height;
        // Labels wider than their group (clinic names) are turned 40° so they never overlap; the legend moves down.
        var longest = groups.Select(g => g.Label.Length).DefaultIfEmpty(0).Max();
        var turned = longest * 6.2 > groupWidth;
        var labelSpace = turned ? (int)Math.Ceiling(longest * 6.2 * 0.65) + 8 : 0;
        max = max <= 0 ? 1 : max;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {bottom + 60 + labelSpace}\" width=\"{width}\" height=\"{bottom + 60 + labelSpace}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{enc.Encode(title)}</title><desc id=\"{id}-desc\">{enc.Encode(description)}</desc>");
        for (var i = 0; i <= 4; i++)
        {
            var value = max * i / 4;
            var y = bottom - (height * i / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - 5}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#c9c9d1\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#1d1d1f\">{enc.Encode(axisText(value))}</text>");
        }

        for (var g = 0; g < groups.Count; g++)
        {
            var x0 = left + (g * groupWidth) + (gap / 2);
            for (var b = 0; b < groups[g].Bars.Count && b < bars; b++)
            {
                var bar = groups[g].Bars[b];
                var h = bar.Value is { } v ? Math.Max(1, height * Math.Min(v, max) / max) : 0;
                var x = x0 + (b * barWidth);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{bottom - h:0.#}\" width=\"{barWidth - 2}\" height=\"{h:0.#}\" fill=\"{Fills[b % Fills.Length]}\"><title>{enc.Encode(groups[g].Label + ", " + seriesNames[b] + ": " + bar.Text)}</title></rect>");
            }

            var labelX = x0 + (bars * barWidth / 2.0);
            svg.Append(turned
                ? string.Create(CultureInfo.InvariantCulture, $"<text x=\"{labelX:0.#}\" y=\"{bottom + 14}\" text-anchor=\"end\" transform=\"rotate(-40 {labelX:0.#} {bottom + 14})\" font-size=\"11\" fill=\"#1d1d1f\">{enc.Encode(groups[g].Label)}</text>")
                : string.Create(CultureInfo.InvariantCulture, $"<text x=\"{labelX:0.#}\" y=\"{bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1d1d1f\">{enc.Encode(groups[g].Label)}</text>"));
        }

        for (var s = 0; s < seriesNames.Count; s++)
        {
            var x = left + (s * 190);
            var legend = bottom + labelSpace;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{legend + 34}\" width=\"12\" height=\"12\" fill=\"{Fills[s % Fills.Length]}\" /><text x=\"{x + 16}\" y=\"{legend + 45}\" font-size=\"12\" fill=\"#1d1d1f\">{enc.Encode(seriesNames[s])}</text>");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
