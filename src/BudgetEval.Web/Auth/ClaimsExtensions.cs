using System.Security.Claims;
using BudgetEval.Web.Organisations;

namespace BudgetEval.Web.Auth;

internal static class AppClaims
{
    public const string OrganisationId = "be:org";
    public const string OrganisationKind = "be:org_kind";
    public const string OrganisationName = "be:org_name";
    public const string DisplayName = "be:display_name";
    public const string LeadEvaluator = "be:lead_evaluator";
    public const string MustChangePassword = "be:must_change_password";
}

internal static class ClaimsExtensions
{
    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Guid? OrganisationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(AppClaims.OrganisationId), out var id) ? id : null;

    public static OrganisationKind? OrganisationKind(this ClaimsPrincipal user) =>
        Enum.TryParse<OrganisationKind>(user.FindFirstValue(AppClaims.OrganisationKind), out var kind) ? kind : null;

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(AppClaims.DisplayName) ?? user.Identity?.Name ?? string.Empty;

    public static string OrganisationName(this ClaimsPrincipal user) =>
        user.FindFirstValue(AppClaims.OrganisationName) ?? string.Empty;
}
