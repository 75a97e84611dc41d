namespace Reminders.Web.Hosting;

/// <summary>
/// <c>Logging:Json=true</c>: every sink of the <c>Serilog</c> section writes Serilog's compact JSON (one object per
/// line: <c>@t</c>, <c>@mt</c>, <c>@l</c>, <c>@tr</c> trace id, <c>@sp</c> span id and the event's properties) for
/// the region's log collector, instead of its text template. The sinks, paths and levels stay as configured.
/// </summary>
internal static class JsonLogging
{
    /// <summary>The setting.</summary>
    public const string Key = "Logging:Json";

    /// <summary>Serilog.Formatting.Compact's formatter; it writes the trace and span ids Serilog 4 records.</summary>
    public const string Formatter = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact";

    /// <summary>
    /// The configuration Serilog reads: <paramref name="configuration"/> itself, or with JSON on, a copy of its
    /// <c>Serilog</c> section in which each sink's <c>outputTemplate</c> is replaced by the JSON formatter.
    /// </summary>
    public static IConfiguration Apply(IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>(Key))
        {
            return configuration;
        }

        var copy = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.GetSection("Serilog").AsEnumerable())
        {
            if (key.EndsWith(":Args:outputTemplate", StringComparison.OrdinalIgnoreCase))
            {
                copy[key[..^"outputTemplate".Length] + "formatter"] = Formatter;
            }
            else if (value is not null)
            {
                copy[key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(copy).Build();
    }
}
