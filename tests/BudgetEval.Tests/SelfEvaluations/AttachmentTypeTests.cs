using System.IO.Compression;
using BudgetEval.Web.SelfEvaluations;

namespace BudgetEval.Tests.SelfEvaluations;

/// <summary>An attachment's content must be what its extension says (pure rule, no database).</summary>
public sealed class AttachmentTypeTests
{
    [Fact]
    public void Given_an_ofd_that_is_only_a_zip_signature_When_checked_Then_refused_and_a_real_ofd_package_is_accepted()
    {
        var fake = "PK\u0003\u0004garbage"u8.ToArray();
        Assert.Contains("不符", Attachments.Check("z.ofd", fake), StringComparison.Ordinal);

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("OFD.xml").Open());
            writer.Write("<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\"/>");
        }

        Assert.Null(Attachments.Check("整改报告.ofd", buffer.ToArray()));

        using var other = new MemoryStream();
        using (var zip = new ZipArchive(other, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("readme.txt");
        }

        Assert.NotNull(Attachments.Check("z.ofd", other.ToArray())); // a zip, but not an OFD document
    }
}
