namespace BudgetEval.Web.Admin.Users;

/// <summary>
/// The user pages' messages start with the field's label (AdminForms.Field: "姓名：必填。"). These are the fields they
/// link to in the error box, and the messages (by their element ids in _Errors) that describe each field.
/// </summary>
internal static class UserFormFields
{
    public static readonly IReadOnlyDictionary<string, string> ByLabel = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["用户名"] = "Input_UserName", ["姓名"] = "Input_DisplayName", ["电子邮箱"] = "Input_Email", ["所属单位"] = "Input_OrganisationId",
        ["角色"] = "role-0", ["初始密码"] = "Input_Password", ["新密码"] = "newPassword", ["单位"] = "org",
    };

    /// <summary>"true" when a message names the field (for aria-invalid), else null (no attribute).</summary>
    public static string? Invalid(IReadOnlyList<string> errors, string label) => Ids(errors, label) is null ? null : "true";

    /// <summary>The ids of the error box's messages about the field (for aria-describedby), or null.</summary>
    public static string? Ids(IReadOnlyList<string> errors, string label)
    {
        var ids = Enumerable.Range(0, errors.Count).Where(k => errors[k].StartsWith(label + "：", StringComparison.Ordinal)).Select(k => $"admin-error-{k}").ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }
}
