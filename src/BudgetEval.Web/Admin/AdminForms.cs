using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Npgsql;

namespace BudgetEval.Web.Admin;

/// <summary>Small helpers shared by the admin forms: Chinese messages that name the field.</summary>
internal static class AdminForms
{
    /// <summary>"名称：必填。" — every message names the field it is about.</summary>
    public static string Field(string label, string message) => $"{label}：{message}";

    /// <summary>
    /// Model binding reports values it cannot convert (a bad GUID, an unknown kind) in English; the
    /// forms use their own Chinese messages instead, naming the field by its label.
    /// </summary>
    public static void AddBindingErrors(ModelStateDictionary modelState, IReadOnlyDictionary<string, string> labels, List<string> errors)
    {
        foreach (var (key, entry) in modelState)
        {
            if (entry.Errors.Count > 0)
            {
                errors.Add(Field(labels.TryGetValue(key, out var label) ? label : key, "填写的值无效。"));
            }
        }
    }

    /// <summary>
    /// Identity's errors, field-prefixed. Identity's built-in password validator and the product's
    /// three-class validator both report a short password under the same code; the Chinese one wins.
    /// </summary>
    public static IEnumerable<string> Describe(IdentityResult result, string passwordLabel = "密码") =>
        result.Errors
            .GroupBy(e => e.Code)
            .Select(g => g.FirstOrDefault(e => HasChinese(e.Description)) ?? g.First())
            .Select(e => e.Code switch
            {
                _ when e.Code.StartsWith("Password", StringComparison.Ordinal) => Field(passwordLabel, e.Description),
                _ when e.Code.EndsWith("UserName", StringComparison.Ordinal) => Field("用户名", e.Description),
                _ when e.Code.EndsWith("Email", StringComparison.Ordinal) => Field("电子邮箱", e.Description),
                _ => e.Description,
            });

    public static bool IsUniqueViolation(Exception ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');
}
