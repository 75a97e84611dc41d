using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Security;

/// <summary><c>DataProtection:Certificate:Path</c> and <c>:Password</c>: the PFX that encrypts the key ring.</summary>
internal sealed class KeyRingOptions
{
    public KeyRingCertificateOptions Certificate { get; set; } = new();
}

/// <summary>The key-ring certificate's file (relative to the content root) and password.</summary>
internal sealed class KeyRingCertificateOptions
{
    public string? Path { get; set; }

    public string? Password { get; set; }
}

/// <summary>
/// The key ring (session cookies, antiforgery tokens) is shared by every instance through the database
/// (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore) and, outside Development, encrypted with a
/// certificate: the keys then do not sit readable beside the security stamps they protect.
/// </summary>
internal static class KeyRing
{
    public static void AddKeyRing(this IServiceCollection services)
    {
        services.AddCheckedOptions<KeyRingOptions>("DataProtection");
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>();
        services.AddSingleton<KeyRingCertificate>();

        services.AddDataProtection()
            .SetApplicationName("Reminders")
            .PersistKeysToDbContext<RemindersDbContext>();

        // Read when the key manager first needs it, so every configuration source (tests' too) is seen. The framework's
        // ProtectKeysWithCertificate wants the certificate while services are registered, and its decryptor looks
        // for the certificate in the user's X.509 store; this one decrypts with the configured file.
        // Whether to encrypt is read from configuration without validating it (a wrong setting is reported by the
        // start-up check, not thrown from here); the certificate itself is loaded at the first key written.
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, IServiceProvider>((o, configuration, provider) =>
        {
            if (!string.IsNullOrWhiteSpace(configuration["DataProtection:Certificate:Path"]))
            {
                o.XmlEncryptor = new KeyRingXmlEncryptor(provider);
            }
        });
    }

    /// <summary>Loads a PFX with its private key; the failure says what is wrong with the file.</summary>
    public static X509Certificate2 Load(string path, string? password)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new CryptographicException("the file holds no RSA private key (the key ring needs one to decrypt its keys)");
        }

        return certificate;
    }

    /// <summary>The full path of the configured file.</summary>
    public static string FullPath(string path, IHostEnvironment environment) => System.IO.Path.GetFullPath(path, environment.ContentRootPath);
}

/// <summary>Encrypts a key with the certificate (XML encryption, as the framework does) and names our decryptor.</summary>
internal sealed class KeyRingXmlEncryptor(IServiceProvider services) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var certificate = services.GetRequiredService<KeyRingCertificate>().Value
            ?? throw new CryptographicException("DataProtection:Certificate:Path is not set.");
        var inner = new CertificateXmlEncryptor(certificate, services.GetRequiredService<ILoggerFactory>());
        return new(inner.Encrypt(plaintextElement).EncryptedElement, typeof(KeyRingXmlDecryptor));
    }
}

/// <summary>Decrypts a key written by <see cref="KeyRingXmlEncryptor"/> with the configured certificate's private key.</summary>
internal sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var certificate = services.GetRequiredService<KeyRingCertificate>().Value
            ?? throw new CryptographicException("The key ring is encrypted, and DataProtection:Certificate:Path is not set.");
        var document = new XmlDocument { PreserveWhitespace = true };
        var root = document.CreateElement("root");
        document.AppendChild(root);
        using (var reader = encryptedElement.CreateReader())
        {
            root.AppendChild(document.ReadNode(reader)!);
        }

        new WithCertificate(document, certificate).DecryptDocument();
        return XElement.Parse(root.InnerXml);
    }

    /// <summary>Finds the content key's certificate by its X.509 data and unwraps the key with its RSA key.</summary>
    private sealed class WithCertificate(XmlDocument document, X509Certificate2 certificate) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            foreach (var clause in encryptedKey.KeyInfo)
            {
                if (clause is KeyInfoX509Data data && data.Certificates?.OfType<X509Certificate>().Any(c => c.GetCertHashString() == certificate.Thumbprint) == true
                    && encryptedKey.CipherData.CipherValue is { } value)
                {
                    using var rsa = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("The key-ring certificate has no RSA private key.");
                    return DecryptKey(value, rsa, encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl);
                }
            }

            throw new CryptographicException("The key ring was encrypted with another certificate than DataProtection:Certificate:Path.");
        }
    }
}

/// <summary>The loaded key-ring certificate, or null where none is configured (Development).</summary>
internal sealed class KeyRingCertificate(IOptions<KeyRingOptions> options, IHostEnvironment environment) : IDisposable
{
    private readonly Lazy<X509Certificate2?> _certificate = new(() => options.Value.Certificate.Path is { Length: > 0 } path
        ? KeyRing.Load(KeyRing.FullPath(path, environment), options.Value.Certificate.Password)
        : null);

    public X509Certificate2? Value => _certificate.Value;

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value?.Dispose();
        }
    }
}

/// <summary>Outside Development the certificate is required; where given, it must open with its password.</summary>
internal sealed class KeyRingOptionsValidator(IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        var failures = new OptionsFailures();
        var path = options.Certificate.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            return failures.Check(!environment.IsDevelopment(), "DataProtection:Certificate:Path",
                "required outside Development: a PFX whose key encrypts the key ring (docs/operations.md shows how to make one with openssl).").Result();
        }

        var full = KeyRing.FullPath(path, environment);
        if (!File.Exists(full))
        {
            return failures.Add("DataProtection:Certificate:Path", $"'{full}' does not exist.").Result();
        }

        try
        {
            KeyRing.Load(full, options.Certificate.Password).Dispose();
        }
        catch (CryptographicException e)
        {
            failures.Add("DataProtection:Certificate:Password", $"'{full}' cannot be opened as a PFX with this password: {e.Message.TrimEnd('.')}.");
        }

        return failures.Result();
    }
}
