using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Foundation;

/// <summary>
/// DataProtection:CertificatePath: the key ring in PostgreSQL is encrypted at rest, and a second node with the
/// same certificate still honours the first node's cookies. A bad path stops start-up naming the setting.
/// </summary>
public sealed class DataProtectionCertificateTests : IDisposable
{
    private const string Password = "测试证书口令";

    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"budgeteval-dp-{Guid.NewGuid():N}.pfx");

    public DataProtectionCertificateTests()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=BudgetEval data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(_pfx, certificate.Export(X509ContentType.Pfx, Password));
    }

    public void Dispose() => File.Delete(_pfx);

    [Fact]
    public async Task Given_a_certificate_When_keys_are_made_Then_they_are_stored_encrypted_and_both_nodes_read_them()
    {
        await using var database = await TestDatabase.CreateAsync();
        var settings = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = _pfx, ["DataProtection:CertificatePassword"] = Password };
        await using var nodeA = new AppFactory(database.ConnectionString, settings);
        await using var nodeB = new AppFactory(database.ConnectionString, new Dictionary<string, string?>(settings) { ["Node:Migrate"] = "false" });
        _ = nodeA.Server;
        _ = nodeB.Server;

        await MultiNodeTests.AssertSignInOnOneWorksOnTheOtherAsync(nodeA, nodeB);

        var xml = await database.ScalarAsync<string>("SELECT string_agg(\"Xml\", '') FROM budgeteval.data_protection_keys");
        Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal); // the key material in clear
    }

    [Fact]
    public async Task Given_a_wrong_password_When_the_node_starts_Then_start_up_fails_naming_the_setting()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var node = new AppFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = _pfx, ["DataProtection:CertificatePassword"] = "wrong",
        });

        var failure = Assert.ThrowsAny<Exception>(() => node.Server);
        Assert.Contains("DataProtection:CertificatePath", failure.ToString(), StringComparison.Ordinal);
    }
}
