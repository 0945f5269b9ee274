using System.Net;
using System.Text.RegularExpressions;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.Admin;

/// <summary>Posts the admin forms the way a browser without JavaScript would.</summary>
internal static partial class AdminForms
{
    public const string StrongPassword = "Test@2026-Pw";

    /// <summary>Loads <paramref name="pageUrl"/> for its antiforgery token, then posts the fields to <paramref name="postUrl"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pageUrl, IEnumerable<KeyValuePair<string, string>> fields, string? postUrl = null)
    {
        var html = await client.GetStringAsync(pageUrl);
        var all = fields.Append(new("__RequestVerificationToken", AppFixture.AntiforgeryToken(html)));
        return await client.PostAsync(postUrl ?? pageUrl, new FormUrlEncodedContent(all));
    }

    public static Dictionary<string, string> Organisation(string name, string kind = "BudgetUnit", uint? rowVersion = null, string? parentId = null, string? creditCode = null) =>
        new()
        {
            ["Input.Name"] = name,
            ["Input.ShortName"] = "",
            ["Input.Kind"] = kind,
            ["Input.ParentId"] = parentId ?? "",
            ["Input.CreditCode"] = creditCode ?? "",
            ["Input.ContactPerson"] = "测试联系人",
            ["Input.ContactPhone"] = "0731-88888888",
            ["Input.IsActive"] = "true",
            ["Input.RowVersion"] = (rowVersion ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>Creates an organisation through the page and returns its id (from the redirect).</summary>
    public static async Task<Guid> CreateOrganisationAsync(this HttpClient admin, string name, string kind = "BudgetUnit")
    {
        var response = await admin.PostFormAsync("/admin/organisations/new", Organisation(name, kind));
        return IdFromRedirect(response, "/admin/organisations/");
    }

    public static List<KeyValuePair<string, string>> User(string userName, string displayName, Guid organisationId, string password, params string[] roles)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Input.UserName", userName),
            new("Input.DisplayName", displayName),
            new("Input.Email", ""),
            new("Input.OrganisationId", organisationId.ToString()),
            new("Input.Password", password),
        };
        fields.AddRange(roles.Select(r => new KeyValuePair<string, string>("Input.Roles", r)));
        return fields;
    }

    /// <summary>Creates a user through the page and returns its id (from the redirect).</summary>
    public static async Task<Guid> CreateUserAsync(this HttpClient admin, string userName, Guid organisationId, string role, string password = StrongPassword)
    {
        var response = await admin.PostFormAsync("/admin/users/new", User(userName, "测试用户" + userName, organisationId, password, role));
        return IdFromRedirect(response, "/admin/users/");
    }

    public static Guid IdFromRedirect(HttpResponseMessage response, string prefix)
    {
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            var errors = ErrorsPattern().Match(body);
            throw new InvalidOperationException($"expected a redirect, got {(int)response.StatusCode}: {(errors.Success ? errors.Value : body[..Math.Min(body.Length, 500)])}");
        }

        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(prefix, location, StringComparison.Ordinal);
        return Guid.Parse(location[prefix.Length..]);
    }

    public static string HiddenValue(string html, string name) =>
        Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"") is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"no hidden field {name} in page");

    /// <summary>A password the user chooses in place of the one the administrator set.</summary>
    public const string OwnPassword = "Own@2026-Choice";

    /// <summary>
    /// A user the administrator created must replace the initial password before any other page opens:
    /// does that through 修改密码 as the user would, and returns the answer.
    /// </summary>
    public static async Task<HttpResponseMessage> ChooseOwnPasswordAsync(this HttpClient user, string current = StrongPassword, string next = OwnPassword)
    {
        var page = await user.GetStringAsync("/account/password");
        return await user.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CurrentPassword"] = current,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = next,
            ["__RequestVerificationToken"] = AppFixture.AntiforgeryToken(page),
        }));
    }

    public static async Task<bool> CanLogInAsync(this AppFixture app, string userName, string password)
    {
        using var client = app.Anonymous();
        var response = await AppFixture.PostLoginFormAsync(client, userName, password);
        return response.StatusCode == HttpStatusCode.Redirect;
    }

    [GeneratedRegex("<div class=\"errors\"[\\s\\S]*?</div>")]
    private static partial Regex ErrorsPattern();
}
