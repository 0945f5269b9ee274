using System.Security.Cryptography.X509Certificates;

namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>
/// The optional certificate that encrypts the data-protection keys at rest: a .pfx with its private key and
/// its password. Without it the keys are stored unencrypted, as before (ADR 0002).
/// </summary>
internal sealed class KeyProtectionOptions
{
    public const string Section = "DataProtection";

    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>Loads the <see cref="KeyProtectionOptions"/> certificate; a wrong path or password stops start-up with the setting named.</summary>
internal static class DataProtectionCertificate
{
    private const string PathKey = KeyProtectionOptions.Section + ":" + nameof(KeyProtectionOptions.CertificatePath);

    private const string PasswordKey = KeyProtectionOptions.Section + ":" + nameof(KeyProtectionOptions.CertificatePassword);

    public static X509Certificate2? Load(IConfiguration config)
    {
        var options = config.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new();
        var path = options.CertificatePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new StartupRefusedException($"{PathKey}: the file '{path}' does not exist.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new StartupRefusedException($"{PathKey}: '{path}' could not be read as a .pfx with {PasswordKey} ({e.Message}).", inner: e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new StartupRefusedException($"{PathKey}: '{path}' holds no private key; the keys could not be decrypted.");
        }

        return certificate;
    }
}
