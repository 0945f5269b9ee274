using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// The pages' model-binding messages in Chinese, naming the field: MVC's own are English ("The value 'abc' is
/// not valid for FiscalYear.") and show on a page whose query string was typed or cut short.
/// </summary>
internal static class ChineseBindingMessages
{
    // The bound names of the pages' query parameters; a name not listed is shown as it is.
    private static readonly Dictionary<string, string> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FiscalYear"] = "年度",
        ["Year"] = "年度",
        ["PageNumber"] = "页码",
        ["TargetPage"] = "页码",
        ["CandidatePage"] = "页码",
        ["From"] = "开始日期",
        ["To"] = "结束日期",
    };

    public static string Label(string field) => Labels.GetValueOrDefault(field, field);

    public static void Apply(DefaultModelBindingMessageProvider p)
    {
        p.SetAttemptedValueIsInvalidAccessor((value, field) => $"「{Label(field)}」的值「{value}」无效。");
        p.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"「{value}」不是有效的值。");
        p.SetUnknownValueIsInvalidAccessor(field => $"「{Label(field)}」的值无效。");
        p.SetNonPropertyUnknownValueIsInvalidAccessor(() => "填写的值无效。");
        p.SetValueIsInvalidAccessor(value => $"「{value}」不是有效的值。");
        p.SetValueMustBeANumberAccessor(field => $"「{Label(field)}」须为数字。");
        p.SetNonPropertyValueMustBeANumberAccessor(() => "须为数字。");
        p.SetValueMustNotBeNullAccessor(value => $"「{value}」不能为空。");
        p.SetMissingBindRequiredValueAccessor(field => $"缺少「{Label(field)}」。");
        p.SetMissingKeyOrValueAccessor(() => "缺少必填的值。");
        p.SetMissingRequestBodyRequiredValueAccessor(() => "请求内容不能为空。");
    }
}
