using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Reminders.Web.Api;

/// <summary>
/// The accepted API keys, from <c>Api:Keys:0..n</c>: either a plain value (the actor is then <c>api-key-{index}</c>)
/// or a section with <c>Key</c> and <c>Name</c>. No key configured means every request is refused.
/// </summary>
public sealed class ApiKeys
{
    private readonly List<(byte[] Hash, string Name)> _keys = [];

    public ApiKeys(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection("Api:Keys").GetChildren())
        {
            var key = child.Value ?? child["Key"];
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            var name = child.Value is null && child["Name"] is { Length: > 0 } named ? named : $"api-key-{child.Key}";
            _keys.Add((Hash(key), name));
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
