using System.IO.Compression;
using System.Security.Cryptography;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>Supporting files: what may be uploaded (by extension and by content, so a renamed file is refused) and how it is stored.</summary>
internal static class Attachments
{
    public const long MaxBytes = 20 * 1024 * 1024;

    public const int MaxNameLength = 200;

    /// <summary>
    /// The name to keep for an uploaded file: only its last segment whatever separator the client used
    /// (a Windows browser may send <c>C:\dir\a.pdf</c>, a crafted request <c>../../a.pdf</c>), as one line
    /// without control characters. Chinese names are kept as they are.
    /// </summary>
    public static string CleanName(string? clientName)
    {
        var name = (clientName ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = Shared.TextInput.LineOrEmpty(name); // one line: it is a Content-Disposition file name later
        return name is "." or ".." ? string.Empty : name;
    }

    private static readonly Dictionary<string, (string ContentType, Func<byte[], bool> Looks)> Allowed = new()
    {
        [".pdf"] = ("application/pdf", b => Starts(b, "%PDF"u8)),
        [".png"] = ("image/png", b => Starts(b, [0x89, 0x50, 0x4E, 0x47])),
        [".jpg"] = ("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".jpeg"] = ("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".docx"] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b => IsOfficeZip(b, "word/")),
        [".xlsx"] = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b => IsOfficeZip(b, "xl/")),
        [".doc"] = ("application/msword", b => Starts(b, [0xD0, 0xCF, 0x11, 0xE0])),
        [".xls"] = ("application/vnd.ms-excel", b => Starts(b, [0xD0, 0xCF, 0x11, 0xE0])),
        // GB/T 33190: a zip whose root holds OFD.xml, the document's entry point.
        [".ofd"] = ("application/ofd", b => IsZip(b, zip => zip.GetEntry("OFD.xml") is not null)),
    };

    /// <summary>Every content type an attachment can be served with (the OpenAPI document lists them for downloads).</summary>
    public static string[] ContentTypes => Allowed.Values.Select(v => v.ContentType).Distinct().ToArray();

    public static string AllowedText => "PDF、图片（PNG/JPG）、Word、Excel、OFD";

    public static string? Check(string fileName, byte[] content)
    {
        if (content.Length == 0)
        {
            return "文件是空的。";
        }

        if (content.LongLength > MaxBytes)
        {
            return "附件不能超过 20 MB。";
        }

        if (fileName.Length > MaxNameLength)
        {
            return $"文件名过长（不超过 {MaxNameLength} 个字符），请改短后上传。";
        }

        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        if (!Allowed.TryGetValue(ext, out var kind))
        {
            return $"只能上传 {AllowedText} 文件。";
        }

        return kind.Looks(content) ? null : $"文件内容与扩展名 {ext} 不符。";
    }

    /// <summary>The content type of a file <see cref="Check"/> accepted.</summary>
    public static string ContentTypeOf(string fileName) => Allowed[Path.GetExtension(fileName).ToLowerInvariant()].ContentType;

    public static SelfEvaluationAttachment Create(SelfEvaluation se, string fileName, byte[] content, WorkflowActor actor, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SelfEvaluationId = se.Id,
        OrganisationId = se.OrganisationId,
        FileName = fileName,
        ContentType = ContentTypeOf(fileName),
        Size = content.LongLength,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Content = content,
        UploadedAt = now,
        UploadedBy = actor.UserId,
        UploadedByName = actor.DisplayName,
    };

    private static bool Starts(byte[] content, ReadOnlySpan<byte> magic) => content.AsSpan().StartsWith(magic);

    // A zip of anything starts with PK too: an Office file must be a readable zip with its content-type
    // list and its own part folder, so a renamed archive is refused instead of served as a workbook.
    private static bool IsOfficeZip(byte[] content, string partFolder) =>
        IsZip(content, zip => zip.GetEntry("[Content_Types].xml") is not null
            && zip.Entries.Any(e => e.FullName.StartsWith(partFolder, StringComparison.Ordinal)));

    private static bool IsZip(byte[] content, Func<ZipArchive, bool> holds)
    {
        if (!Starts(content, "PK\u0003\u0004"u8))
        {
            return false;
        }

        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            return holds(zip);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
