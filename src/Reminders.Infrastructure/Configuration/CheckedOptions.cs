using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Reminders.Infrastructure.Configuration;

/// <summary>
/// Options bound from configuration and checked when the app starts (<c>ValidateOnStart</c>). A value that does
/// not convert to its property's type (an unknown enum name, a malformed time span, a number that is not one) is a
/// validation failure naming the key and what is accepted, instead of the binder's exception at first use; such a
/// section is not bound at all, so nothing runs on half-read settings.
/// </summary>
public static class CheckedOptions
{
    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/> and validates it at start.</summary>
    public static OptionsBuilder<T> AddCheckedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(sp => new ConvertibleValues<T>(sp.GetRequiredService<IConfiguration>(), section));
        return services.AddOptions<T>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var values = configuration.GetSection(section);
                if (ConversionFailures(values, typeof(T)).Count == 0)
                {
                    values.Bind(options);
                }
            })
            .ValidateOnStart();
    }

    /// <summary>One line per value under <paramref name="section"/> that does not convert to its property's type.</summary>
    public static IReadOnlyList<string> ConversionFailures(IConfigurationSection section, Type type)
    {
        var failures = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                continue;
            }

            var child = section.GetSection(property.Name);
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (target == typeof(string))
            {
                continue;
            }

            if (child.Value is null)
            {
                // Absent, or a section: nested options classes are checked property by property.
                if (target.IsClass && !typeof(System.Collections.IEnumerable).IsAssignableFrom(target))
                {
                    failures.AddRange(ConversionFailures(child, target));
                }

                continue;
            }

            if (!Converts(child.Value, target))
            {
                failures.Add(Describe(child.Path, child.Value, target));
            }
        }

        return failures;
    }

    private static bool Converts(string value, Type type)
    {
        if (type.IsEnum)
        {
            // Enum.TryParse accepts any number; only a defined name is a provider, a mode, ….
            return Enum.TryParse(type, value.Trim(), ignoreCase: true, out var parsed)
                && Enum.IsDefined(type, parsed!)
                && !value.Trim().All(c => char.IsDigit(c) || c == '-');
        }

        try
        {
            // The same converter the configuration binder uses.
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException
            || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(string key, string value, Type type)
    {
        var accepted = type switch
        {
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ when type == typeof(TimeSpan) => "a time span written hh:mm:ss, e.g. 00:00:30 (or d.hh:mm:ss)",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(Uri) => "an absolute URL",
            _ when typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => $"a list: set {key}:0, {key}:1, …",
            _ => "a " + type.Name,
        };
        return string.Create(CultureInfo.InvariantCulture, $"{key}: '{value}' is not accepted; expected {accepted}.");
    }

    private sealed class ConvertibleValues<T>(IConfiguration configuration, string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = ConversionFailures(configuration.GetSection(section), typeof(T));
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>Collects a validator's failures, each a line naming the key.</summary>
public sealed class OptionsFailures
{
    private readonly List<string> _lines = [];

    /// <summary>Adds <c>{key}: {message}</c> when <paramref name="failed"/>.</summary>
    public OptionsFailures Check(bool failed, string key, string message)
    {
        if (failed)
        {
            _lines.Add($"{key}: {message}");
        }

        return this;
    }

    /// <summary>Adds <c>{key}: {message}</c>.</summary>
    public OptionsFailures Add(string key, string message) => Check(true, key, message);

    /// <summary>True when <paramref name="value"/> is an absolute http(s) URL.</summary>
    public static bool IsHttpUrl(string? value, out Uri? uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>The result for the options validator.</summary>
    public ValidateOptionsResult Result() => _lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_lines);
}
