using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Reminders.Testing;

/// <summary>
/// A self-signed key-ring certificate (RSA 2048, a PFX with a password), made once per test process, as
/// docs/operations.md tells operators to make one with openssl.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<string> File = new(Create);

    /// <summary>The PFX's password.</summary>
    public const string Password = "test-keyring-password";

    /// <summary>The PFX file.</summary>
    public static string Path => File.Value;

    /// <summary>Writes a new self-signed PFX to <paramref name="path"/>.</summary>
    public static void Write(string path, string password, string subject = "CN=Reminders key ring (test)")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
    }

    private static string Create()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reminders-tests", "keyring-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, "keyring.pfx");
        Write(path, Password);
        return path;
    }
}
