using BudgetEval.Web.Auth;
using BudgetEval.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Audit;

/// <summary>
/// One line of the audit log (审计日志): who did what, when, from where. Append-only: the database
/// refuses updates and deletes, except the retention purge of entries past the retention period.
/// </summary>
internal sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public Guid? ActorId { get; set; }

    /// <summary>The user name typed at login (kept for unknown names too), or the acting person's name.</summary>
    public string? ActorName { get; set; }

    public Guid? OrganisationId { get; set; }

    public required string Action { get; set; }

    /// <summary>What it was done to, e.g. a user name or a case id.</summary>
    public string? Target { get; set; }

    public string? Detail { get; set; }

    public string? IpAddress { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.Property(a => a.Id).UseIdentityAlwaysColumn();
        b.Property(a => a.ActorName).HasMaxLength(256);
        b.Property(a => a.Action).HasMaxLength(50);
        b.Property(a => a.Target).HasMaxLength(300);
        b.Property(a => a.Detail).HasMaxLength(2000);
        b.Property(a => a.IpAddress).HasMaxLength(64);
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.Action, a.At });
        b.HasIndex(a => new { a.ActorId, a.At });
    }
}

/// <summary>The audited actions and their Chinese labels.</summary>
internal static class AuditActions
{
    public const string LoginSucceeded = "login.success";
    public const string LoginFailed = "login.failure";
    public const string LoginRefused = "login.refused";
    public const string LockedOut = "account.lockout";
    public const string LoginThrottled = "login.throttle";
    public const string Logout = "logout";
    public const string SessionRevoked = "login.revoked";
    public const string UserCreated = "user.create";
    public const string UserChanged = "user.update";
    public const string UserLocked = "user.lock";
    public const string UserUnlocked = "user.unlock";
    public const string PasswordReset = "user.password-reset";
    public const string PasswordChanged = "user.password-change";
    public const string PasswordChangeFailed = "user.password-change-failure";
    public const string OrganisationCreated = "organisation.create";
    public const string OrganisationChanged = "organisation.update";
    public const string DirectoryImported = "directory.import";
    public const string FindingsImported = "finding.import";
    public const string CategoryChanged = "finding-category";
    public const string TemplateChanged = "indicator-template";
    public const string CaseTransition = "case.transition";
    public const string FirmReplaced = "evaluation.firm-replace";
    public const string FindingCorrected = "finding.correct";
    public const string EvidenceDeleted = "finding.evidence-delete";
    public const string Export = "export";
    public const string ResultsPublication = "results.publication";
    public const string ResultsApproval = "results.approval";
    public const string ResultsRules = "results.rules";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [LoginSucceeded] = "登录成功",
        [LoginFailed] = "登录失败",
        [LoginRefused] = "拒绝登录（已锁定、单位停用等）",
        [LockedOut] = "账户被锁定",
        [LoginThrottled] = "暂停某地址的登录尝试（失败过多）",
        [Logout] = "退出登录",
        [SessionRevoked] = "撤销接口登录（刷新令牌被重复使用）",
        [UserCreated] = "新增用户",
        [UserChanged] = "修改用户（含角色）",
        [UserLocked] = "锁定用户",
        [UserUnlocked] = "解锁用户",
        [PasswordReset] = "重置密码",
        [PasswordChanged] = "本人修改密码",
        [PasswordChangeFailed] = "本人修改密码失败（当前密码错误）",
        [OrganisationCreated] = "新增机构",
        [OrganisationChanged] = "修改机构",
        [DirectoryImported] = "批量导入单位和用户",
        [FindingsImported] = "问题台账批量登记",
        [CategoryChanged] = "问题类别变更",
        [TemplateChanged] = "指标模板变更",
        [CaseTransition] = "事项流转",
        [FirmReplaced] = "更换评价机构（原评价组及其声明）",
        [FindingCorrected] = "问题更正",
        [EvidenceDeleted] = "删除佐证材料",
        [Export] = "导出",
        [ResultsPublication] = "公开清单调整",
        [ResultsApproval] = "评价结果审定",
        [ResultsRules] = "结果应用规则修改",
    };

    public static string Label(string action) => Labels.GetValueOrDefault(action, action);
}

/// <summary>
/// Adds audit lines to the DbContext: they are saved by the same SaveChanges (and transaction) as the
/// change they describe, so there is no audited change without its line and no line without its change.
/// </summary>
internal static class AuditTrail
{
    public static void Add(AppDbContext db, HttpContext? http, DateTimeOffset at, string action, string? target, string? detail,
        Guid? actorId = null, string? actorName = null, Guid? organisationId = null)
    {
        var user = http?.User;
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            ActorId = actorId ?? user?.UserId(),
            ActorName = Truncate(actorName ?? (user?.Identity?.Name is { } login ? ActorName(user.DisplayName(), login) : null), 256),
            OrganisationId = organisationId ?? user?.OrganisationId(),
            Action = action,
            Target = Truncate(target, 300),
            Detail = Truncate(detail, 2000),
            IpAddress = http?.Connection.RemoteIpAddress?.ToString(),
        });
    }

    /// <summary>An export or download of a document (Excel, CSV, PDF): its own line, saved before the file goes out.</summary>
    public static Task ExportedAsync(AppDbContext db, HttpContext http, TimeProvider clock, string target, string detail, CancellationToken ct)
    {
        Add(db, http, clock.GetUtcNow(), AuditActions.Export, target, detail);
        return db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// How every entry names its actor, 李敏（finance）: the person as colleagues know them and the login, so a
    /// search by either finds logins, exports and transitions alike.
    /// </summary>
    public static string ActorName(string? displayName, string? userName) =>
        string.IsNullOrEmpty(userName) ? displayName ?? string.Empty
        : string.IsNullOrEmpty(displayName) || displayName == userName ? userName
        : $"{displayName}（{userName}）";

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
