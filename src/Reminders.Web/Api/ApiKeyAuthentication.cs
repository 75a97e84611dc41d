using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Reminders.Web.Api;

/// <summary>One configured key: its value, the actor name, and the configuration key it came from.</summary>
public sealed record ConfiguredApiKey(string Key, string Name, string ConfigurationKey);

/// <summary>
/// <c>Api:Keys:0..n</c>, read from configuration: a plain value or a section with <c>Key</c> and <c>Name</c>.
/// Outside Development every key has at least <see cref="MinimumLength"/> characters.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>The shortest key accepted outside Development (a guessable key opens the whole API).</summary>
    public const int MinimumLength = 32;

    /// <summary>The configured keys.</summary>
    public List<ConfiguredApiKey> Keys { get; } = [];

    /// <summary>Reads the keys from <c>Api:Keys</c>.</summary>
    public void Read(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection("Api:Keys").GetChildren())
        {
            var key = child.Value ?? child["Key"];
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            var name = child.Value is null && child["Name"] is { Length: > 0 } named ? named : $"api-key-{child.Key}";
            Keys.Add(new ConfiguredApiKey(key, name, child.Value is null ? child.Path + ":Key" : child.Path));
        }
    }
}

/// <summary>Outside Development each API key is long enough not to be guessed; the failure never shows the key.</summary>
public sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new Reminders.Infrastructure.Configuration.OptionsFailures();
        foreach (var key in options.Keys)
        {
            failures.Check(!environment.IsDevelopment() && key.Key.Length < ApiKeyOptions.MinimumLength, key.ConfigurationKey,
                $"an API key must have at least {ApiKeyOptions.MinimumLength} characters (this one has {key.Key.Length}); e.g. openssl rand -base64 32.");
        }

        return failures.Result();
    }
}

/// <summary>
/// The accepted API keys, from <c>Api:Keys:0..n</c>: either a plain value (the actor is then <c>api-key-{index}</c>)
/// or a section with <c>Key</c> and <c>Name</c>. No key configured means every request is refused.
/// </summary>
public sealed class ApiKeys
{
    private readonly List<(byte[] Hash, string Name)> _keys = [];

    public ApiKeys(IOptions<ApiKeyOptions> options)
    {
        foreach (var key in options.Value.Keys)
        {
            _keys.Add((Hash(key.Key), key.Name));
        }
    }

    /// <summary>The configured name of the presented key, or null. Compares hashes in constant time over every key.</summary>
    public string? Match(string presented)
    {
        var hash = Hash(presented);
        string? found = null;
        foreach (var (keyHash, name) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found ??= name;
            }
        }

        return found;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

/// <summary>Authenticates <c>X-Api-Key</c>; the principal's name is the key's configured name, never the key.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Policy = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var name = keys.Match(values[0]!);
        if (name is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiResults.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "API-nyckel saknas eller är ogiltig.",
            $"Ange en giltig nyckel i huvudet {Header}.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiResults.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Åtkomst nekad.", null);
}
