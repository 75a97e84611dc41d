using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Reminders.Domain.Units;

namespace Reminders.Web.Features.Units;

/// <summary>
/// The <c>&lt;optgroup&gt;</c>/<c>&lt;option&gt;</c> list of every unit by clinic, for the patient page's block form.
/// With the region's ~200 units, encoding each name and id on every view was a large share of the page's CPU; the
/// encoded options are kept per unit list of <see cref="Infrastructure.Units.UnitDirectory"/> (a new list, a new
/// rendering), and the whole list once more for the common case: nothing blocked, nothing chosen.
/// </summary>
public static class UnitOptionsHtml
{
    private static readonly ConditionalWeakTable<IReadOnlyList<CareUnit>, Rendered> Cache = [];

    /// <summary>
    /// The options of the units not <paramref name="isBlocked"/>, grouped by clinic (a clinic with none left is
    /// left out), with <paramref name="selected"/> (an HSA-id, after a refused post) marked selected.
    /// </summary>
    public static IHtmlContent Render(IReadOnlyList<CareUnit> units, Func<HsaId, bool> isBlocked, string? selected)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(isBlocked);
        var rendered = Cache.GetValue(units, Build);
        if (string.IsNullOrEmpty(selected) && !units.Any(u => isBlocked(u.HsaId)))
        {
            return rendered.All;
        }

        return Compose(rendered.Groups, isBlocked, selected);
    }

    private static Rendered Build(IReadOnlyList<CareUnit> units)
    {
        var encoder = HtmlEncoder.Default;
        var groups = units.GroupBy(u => u.Clinic).Select(clinic => new Group(
            $"<optgroup label=\"{encoder.Encode(clinic.Key)}\">",
            clinic.Select(u =>
            {
                var value = encoder.Encode(u.HsaId.Value);
                var name = encoder.Encode(u.Name);
                return new Option(u.HsaId, $"<option value=\"{value}\">{name}</option>", $"<option value=\"{value}\" selected=\"selected\">{name}</option>");
            }).ToList())).ToList();
        return new Rendered(groups, Compose(groups, _ => false, null));
    }

    private static HtmlString Compose(IReadOnlyList<Group> groups, Func<HsaId, bool> isBlocked, string? selected)
    {
        var html = new StringBuilder();
        foreach (var group in groups)
        {
            var open = false;
            foreach (var option in group.Options.Where(o => !isBlocked(o.Unit)))
            {
                if (!open)
                {
                    html.Append(group.Open);
                    open = true;
                }

                html.Append(option.Unit.Value == selected ? option.Selected : option.Html);
            }

            if (open)
            {
                html.Append("</optgroup>");
            }
        }

        return new HtmlString(html.ToString());
    }

    private sealed record Option(HsaId Unit, string Html, string Selected);

    private sealed record Group(string Open, IReadOnlyList<Option> Options);

    private sealed record Rendered(IReadOnlyList<Group> Groups, HtmlString All);
}
