using System.Net;
using System.Text;

namespace BudgetEval.Web.Notifications;

/// <summary>What a notification is about; each has its Chinese subject and wording.</summary>
internal enum NotificationEvent
{
    /// <summary>A published plan's self-evaluations of a unit, one mail per person (<see cref="CombinedMails.PlanPublished"/>).</summary>
    PlanPublished,
    TaskAssigned,
    Returned,
    Reminder,
    Overdue,
    Escalation,
    Decision,
    EvaluationAssigned,
    FindingNotice,
    RectificationVerified,
    ManualReminder,
    Digest,
    DeadlineChanged,
    FindingCorrected,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,

    /// <summary>A person's several reminders of one sweep batch in one mail (in-app they stay one per case).</summary>
    ReminderSummary,

    /// <summary>A person's several 整改通知 of one registration (an accepted report, a 批量导入) in one mail (in-app one per finding).</summary>
    FindingNoticeSummary,

    /// <summary>A plan's moved deadline for a person's several self-evaluations in one mail (in-app one per case).</summary>
    DeadlineChangeSummary,
}

/// <summary>One line of a 催办汇总: the notice as the 通知 list shows it, and what kind of reminder it is.</summary>
internal sealed record SummaryItem(NotificationEvent Event, bool DueToday, string Title, string Body, string? Link);

/// <summary>The facts a template may use; all optional except the case title.</summary>
internal sealed record NotificationFacts(string CaseTitle)
{
    public Guid? CaseId { get; init; }

    public string? StateLabel { get; init; }

    public string? ActionLabel { get; init; }

    public string? ActorName { get; init; }

    public string? Comment { get; init; }

    /// <summary>The deadline as people read it, e.g. 2026年9月28日.</summary>
    public string? Due { get; init; }

    public int? OverdueWorkingDays { get; init; }

    /// <summary>The due day was already past when the notice was written (a finding registered late).</summary>
    public bool DuePassed { get; init; }

    /// <summary>What a 整改通知 rests on, e.g. 根据审计发现（望审〔2026〕12号）.</summary>
    public string? Basis { get; init; }

    /// <summary>A reminder sent on the due day itself (今日到期, not 将于…到期).</summary>
    public bool DueToday { get; init; }

    /// <summary>For escalations: whose task is late (a role or a person).</summary>
    public string? Assignee { get; init; }

    /// <summary>For a correction: which fields were corrected, e.g. 问题、来源文号.</summary>
    public string? Corrected { get; init; }

    /// <summary>申请延期: the date the unit asks for and the deadline it would replace (as 2026年6月1日).</summary>
    public string? Asked { get; init; }

    public string? Current { get; init; }
}

internal sealed record RenderedMessage(string Subject, string Summary, string Html, string Text);

/// <summary>
/// Chinese e-mail and in-app texts per event. Kept in code rather than files: they are few, short, and
/// a typo should fail the build or a test, not a mail at 9 a.m.
/// </summary>
internal static class MailTemplates
{
    private const string Prefix = "【预算绩效】";

    /// <summary>
    /// The in-app notice's title: the mail subject without 【预算绩效】, which tells a mail apart in an inbox of other
    /// mail but in the product's own 通知 list only repeats itself on every line.
    /// </summary>
    public static string InAppTitle(string subject) => subject.StartsWith(Prefix, StringComparison.Ordinal) ? subject[Prefix.Length..] : subject;

    /// <summary>Reminders and escalations always go out by mail; users may not turn them off.</summary>
    public static bool IsEssential(NotificationEvent e) =>
        e is NotificationEvent.Reminder or NotificationEvent.Overdue or NotificationEvent.Escalation or NotificationEvent.ManualReminder;

    public static RenderedMessage Render(NotificationEvent e, NotificationFacts f, string recipientName, string? absoluteLink)
    {
        var (subject, lead) = e switch
        {
            NotificationEvent.TaskAssigned => ($"待办：{f.CaseTitle}（{f.StateLabel}）", $"您有一项待办「{f.CaseTitle}」，当前环节：{f.StateLabel}{DueSuffix(f)}。"),
            NotificationEvent.Returned => ($"退回修改：{f.CaseTitle}", $"「{f.CaseTitle}」已被{f.ActorName}退回，请根据意见修改后重新提交{DueSuffix(f)}。"),
            NotificationEvent.Reminder when f.DueToday => ($"催办提醒：{f.CaseTitle} 今日到期", $"您的待办「{f.CaseTitle}」（{f.StateLabel}）今日（{f.Due}）到期，请及时办理。"),
            NotificationEvent.Reminder => ($"催办提醒：{f.CaseTitle} 将于{f.Due}到期", $"您的待办「{f.CaseTitle}」（{f.StateLabel}）将于{f.Due}到期，请及时办理。"),
            NotificationEvent.Overdue => ($"逾期提醒：{f.CaseTitle} 已逾期{f.OverdueWorkingDays}个工作日", $"您的待办「{f.CaseTitle}」（{f.StateLabel}）办理期限为{f.Due}，已逾期{f.OverdueWorkingDays}个工作日，请尽快办理。"),
            NotificationEvent.Escalation => ($"督办：{f.CaseTitle} 已逾期{f.OverdueWorkingDays}个工作日", $"「{f.CaseTitle}」（{f.StateLabel}）由{f.Assignee}办理，期限为{f.Due}，已逾期{f.OverdueWorkingDays}个工作日，请督促办理。"),
            NotificationEvent.Decision => ($"办理结果：{f.CaseTitle}（{f.ActionLabel}）", $"{f.ActorName}对「{f.CaseTitle}」作出了「{f.ActionLabel}」，当前状态：{f.StateLabel}。"),
            NotificationEvent.EvaluationAssigned => ($"评价任务：{f.CaseTitle}", $"贵机构已受托承担「{f.CaseTitle}」的绩效评价工作{DueSuffix(f)}，请确定主评人及评价人员。"),
            NotificationEvent.FindingNotice => ($"整改通知：{Finding(f)}", f.DuePassed
                ? $"{f.Basis ?? "根据绩效评价结果"}，「{Finding(f)}」存在问题需要整改。制定整改方案的期限（{f.Due}）已过，请尽快制定整改方案并报送整改情况。"
                : $"{f.Basis ?? "根据绩效评价结果"}，「{Finding(f)}」存在问题需要整改，请{DueClause(f)}制定整改方案并报送整改情况。"),
            // 部分整改 hands the case back with a new deadline for what remains: the unit reads it here, not only in 待办.
            NotificationEvent.RectificationVerified => ($"整改核验结果：{Finding(f)}", $"财政局已核验「{Finding(f)}」的整改情况：{f.ActionLabel}。"
                + (f.Due is null ? string.Empty : $"请于{f.Due}前完成剩余整改并重新报送整改结果。")),
            NotificationEvent.ManualReminder => ($"催办：{f.CaseTitle}", $"{f.ActorName}对您的待办「{f.CaseTitle}」（{f.StateLabel}）进行了催办{DueSuffix(f)}，请尽快办理。"),
            // The unit asked for more time: the answer says yes or no and the deadline that now holds, not only 待办.
            NotificationEvent.ExtensionGranted => ($"延期申请结果：{Finding(f)}（同意延期）",
                $"{f.ActorName}已同意「{Finding(f)}」的延期申请，整改期限延至{f.Due}，请按新的期限{f.StateLabel}。"),
            NotificationEvent.ExtensionRefused => ($"延期申请结果：{Finding(f)}（不同意延期）",
                $"{f.ActorName}不同意「{Finding(f)}」的延期申请，整改期限仍为{f.Due}，请按期{f.StateLabel}。"),
            // The officer decides on the date asked for: the notice names it, so the decision is not taken blind.
            NotificationEvent.ExtensionRequested => ($"延期申请：{Finding(f)}（申请延至{f.Asked}）",
                $"{f.ActorName}申请将「{Finding(f)}」的整改期限由{f.Current}延至{f.Asked}，请{DueClause(f)}审核（同意延期或不同意延期）。"),
            NotificationEvent.DeadlineChanged => ($"截止日期调整：{f.CaseTitle}", $"财政局已将「{f.CaseTitle}」的截止日期调整为{f.Due}，请按新的期限办理。"),
            NotificationEvent.FindingCorrected => ($"问题更正：{f.CaseTitle}", $"财政局更正了问题「{f.CaseTitle}」的登记内容（{f.Corrected}），请按更正后的内容整改。"),
            NotificationEvent.Digest => ($"每日通知汇总：{f.CaseTitle}", $"以下是您 {f.CaseTitle} 的通知汇总。"),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, null),
        };

        var details = new List<(string Label, string Value)>();
        if (e != NotificationEvent.Digest)
        {
            details.Add(("事项", f.CaseTitle));
            Add(details, "环节", f.StateLabel);
            Add(details, "办理期限", f.Due);
            Add(details, e switch { NotificationEvent.ManualReminder => "催办说明", NotificationEvent.DeadlineChanged => "调整原因", NotificationEvent.FindingCorrected => "更正原因", _ => "意见" }, f.Comment);
        }

        return new RenderedMessage(Prefix + subject, lead + (f.Comment is { } c ? $"（{c}）" : string.Empty),
            Html(recipientName, lead, details, absoluteLink, null), Text(recipientName, lead, details, absoluteLink, null));
    }

    /// <summary>The daily digest: one mail listing what the user received since the last one.</summary>
    public static RenderedMessage Digest(string recipientName, string dayText, IReadOnlyList<(string Title, string Body, string? Link)> items, string baseUrl)
    {
        var subject = $"{Prefix}每日通知汇总（{dayText}，共{items.Count}条）";
        var lead = $"以下是您截至{dayText}尚未通过邮件收到的 {items.Count} 条通知。";
        return Listing(recipientName, subject, lead, items, baseUrl);
    }

    /// <summary>
    /// Several 整改通知 for one person in one mail, in the order given (the findings' numbers): a unit whose report had
    /// eight problems got eight mails in the same second. Each line is the notice as the 通知 list shows it.
    /// </summary>
    public static RenderedMessage FindingNoticeSummary(string recipientName, IReadOnlyList<(string Title, string Body, string? Link)> items, string baseUrl) =>
        Listing(recipientName, $"{Prefix}整改通知：{items.Count}项问题需要整改",
            $"以下 {items.Count} 项问题需要整改，请按各项期限制定整改方案并报送整改情况。", items, baseUrl);

    /// <summary>
    /// A plan's deadline moved for several of a person's self-evaluations (计划变更): one mail naming each with its link.
    /// The reason and the new date are the same for all, so the first item's wording says them.
    /// </summary>
    public static RenderedMessage DeadlineChangeSummary(string recipientName, IReadOnlyList<SummaryItem> items, string baseUrl) =>
        Listing(recipientName, $"{Prefix}截止日期调整：{items.Count}项绩效自评", $"财政局调整了以下 {items.Count} 项绩效自评的截止日期，请按新的期限办理。",
            items.Select(i => (i.Title, i.Body, i.Link)), baseUrl);

    /// <summary>A published plan to one of the unit's people: the plan, its 文号 and deadline, and the unit's self-evaluations in it.</summary>
    public static RenderedMessage PlanPublishedSummary(string recipientName, string planTitle, string? noticeNumber, string due,
        IReadOnlyList<(string Title, string Body, string? Link)> items, string baseUrl) =>
        Listing(recipientName, $"{Prefix}评价工作计划已发布：{planTitle}",
            $"财政局已发布评价工作计划「{planTitle}」{(noticeNumber is null ? string.Empty : $"（{noticeNumber}）")}，本单位以下 {items.Count} 项绩效自评请于{due}前完成。",
            items, baseUrl);

    /// <summary>A mail that lists notices, each with its own link (the 每日汇总, 催办汇总 and 整改通知 summaries).</summary>
    private static RenderedMessage Listing(string recipientName, string subject, string lead, IEnumerable<(string Title, string Body, string? Link)> items, string baseUrl)
    {
        var lines = items.Select(i => (i.Title, i.Body, i.Link is null ? null : baseUrl + i.Link)).ToList();
        return new RenderedMessage(subject, lead, Html(recipientName, lead, [], null, lines), Text(recipientName, lead, [], null, lines));
    }

    /// <summary>督办 0, 已逾期 1, 今日到期 2, 即将到期 3: the order of a 催办汇总, and which cases its first mail takes.</summary>
    public static int Urgency(NotificationEvent e, bool dueToday) => e switch
    {
        NotificationEvent.Escalation => 0,
        NotificationEvent.Overdue => 1,
        NotificationEvent.ManualReminder => 1, // several at once come from 逾期督办, which lists late tasks only
        _ => dueToday ? 2 : 3,
    };

    /// <summary>At most this many lines in one 催办汇总; more make another mail (a list longer than that is not read).</summary>
    public const int SummaryMaxItems = 20;

    /// <summary>
    /// Several reminders for one person in one mail, the most urgent first: 督办, 已逾期, 今日到期, 即将到期.
    /// The subject counts each kind, so the inbox line alone says how bad it is.
    /// </summary>
    public static RenderedMessage ReminderSummary(string recipientName, IReadOnlyList<SummaryItem> items, string baseUrl)
    {
        static int Rank(SummaryItem i) => Urgency(i.Event, i.DueToday);

        string[] kinds = ["督办", "已逾期", "今日到期", "即将到期"];
        var ordered = items.OrderBy(Rank).ToList();
        var counts = string.Join("、", ordered.GroupBy(Rank).Select(g => $"{kinds[g.Key]}{g.Count()}项"));
        var onlyEscalations = ordered.All(i => Rank(i) == 0);
        var subject = $"{Prefix}{(onlyEscalations ? "督办汇总" : "催办汇总")}：{items.Count}项待办（{counts}）";
        var lead = onlyEscalations ? $"以下 {items.Count} 项待办已逾期，请督促办理。"
            : ordered.Any(i => Rank(i) == 0) ? $"以下 {items.Count} 项待办需要关注（{counts}），请及时办理或督促办理。"
            : $"您有 {items.Count} 项待办需要关注（{counts}），请及时办理。";
        return Listing(recipientName, subject, lead, ordered.Select(i => (i.Title, i.Body, i.Link)), baseUrl);
    }

    /// <summary>The finding a rectification case is about: its title without the case's own 「整改：」, which the notice already says.</summary>
    private static string Finding(NotificationFacts f) =>
        f.CaseTitle.StartsWith(Rectifications.RectificationCases.TitlePrefix, StringComparison.Ordinal) ? f.CaseTitle[Rectifications.RectificationCases.TitlePrefix.Length..] : f.CaseTitle;

    private static string DueClause(NotificationFacts f) => f.Due is null ? string.Empty : $"于{f.Due}前";

    private static string DueSuffix(NotificationFacts f) => f.Due is null ? string.Empty : $"，办理期限：{f.Due}";

    private static void Add(List<(string, string)> list, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            list.Add((label, value));
        }
    }

    private static string Html(string name, string lead, IReadOnlyList<(string Label, string Value)> details, string? link,
        IReadOnlyList<(string Title, string Body, string? Link)>? items)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"></head>")
            .Append("<body style=\"font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;color:#222;line-height:1.6\">")
            .Append("<p>").Append(E(name)).Append("，您好：</p><p>").Append(E(lead)).Append("</p>");
        if (details.Count > 0)
        {
            sb.Append("<table style=\"border-collapse:collapse\">");
            foreach (var (label, value) in details)
            {
                sb.Append("<tr><th style=\"text-align:left;padding:4px 12px 4px 0;color:#555\">").Append(E(label))
                    .Append("</th><td style=\"padding:4px 0\">").Append(E(value)).Append("</td></tr>");
            }

            sb.Append("</table>");
        }

        if (items is not null)
        {
            sb.Append("<ol>");
            foreach (var (title, body, itemLink) in items)
            {
                sb.Append("<li><strong>").Append(itemLink is null ? E(title) : $"<a href=\"{E(itemLink)}\">{E(title)}</a>")
                    .Append("</strong><br>").Append(E(body)).Append("</li>");
            }

            sb.Append("</ol>");
        }

        if (link is not null)
        {
            sb.Append("<p><a href=\"").Append(E(link)).Append("\">在系统中查看</a></p>");
        }

        sb.Append("<p style=\"color:#888;font-size:12px\">此邮件由预算绩效管理系统自动发送，请勿直接回复。可在系统“通知设置”中调整邮件接收方式。</p></body></html>");
        return sb.ToString();
    }

    private static string Text(string name, string lead, IReadOnlyList<(string Label, string Value)> details, string? link,
        IReadOnlyList<(string Title, string Body, string? Link)>? items)
    {
        var sb = new StringBuilder();
        sb.Append(name).Append("，您好：\n\n").Append(lead).Append("\n\n");
        foreach (var (label, value) in details)
        {
            sb.Append(label).Append('：').Append(value).Append('\n');
        }

        if (items is not null)
        {
            var n = 1;
            foreach (var (title, body, itemLink) in items)
            {
                sb.Append(n++).Append(". ").Append(title).Append('\n').Append("   ").Append(body).Append('\n');
                if (itemLink is not null)
                {
                    sb.Append("   ").Append(itemLink).Append('\n');
                }
            }
        }

        if (link is not null)
        {
            sb.Append("\n在系统中查看：").Append(link).Append('\n');
        }

        sb.Append("\n——\n此邮件由预算绩效管理系统自动发送，请勿直接回复。可在系统“通知设置”中调整邮件接收方式。\n");
        return sb.ToString();
    }
}
