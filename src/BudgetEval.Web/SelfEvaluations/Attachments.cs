using System.Security.Cryptography;
using BudgetEval.Web.Workflows;

namespace BudgetEval.Web.SelfEvaluations;

/// <summary>Supporting files: what may be uploaded (by extension and by content, so a renamed file is refused) and how it is stored.</summary>
internal static class Attachments
{
    public const long MaxBytes = 20 * 1024 * 1024;

    private static readonly Dictionary<string, (string ContentType, Func<byte[], bool> Looks)> Allowed = new()
    {
        [".pdf"] = ("application/pdf", b => Starts(b, "%PDF"u8)),
        [".png"] = ("image/png", b => Starts(b, [0x89, 0x50, 0x4E, 0x47])),
        [".jpg"] = ("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".jpeg"] = ("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".docx"] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b => Starts(b, "PK\u0003\u0004"u8)),
        [".xlsx"] = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b => Starts(b, "PK\u0003\u0004"u8)),
        [".doc"] = ("application/msword", b => Starts(b, [0xD0, 0xCF, 0x11, 0xE0])),
        [".xls"] = ("application/vnd.ms-excel", b => Starts(b, [0xD0, 0xCF, 0x11, 0xE0])),
        [".ofd"] = ("application/ofd", b => Starts(b, "PK\u0003\u0004"u8)),
    };

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

        if (fileName.Length > 200)
        {
            return "文件名过长。";
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
}
