using System.Security.Claims;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BudgetEval.Web.Auth;

/// <summary>Puts the organisation into the principal so the data scope needs no database read per request.</summary>
internal sealed class AppClaimsPrincipalFactory(
    UserManager<AppUser> users,
    RoleManager<AppRole> roles,
    IOptions<IdentityOptions> options,
    AppDbContext db,
    DataScopeAccessor scope)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        using (scope.RunAsSystem())
        {
            var org = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == user.OrganisationId);
            identity.AddClaim(new Claim(AppClaims.OrganisationId, org.Id.ToString()));
            identity.AddClaim(new Claim(AppClaims.OrganisationKind, org.Kind.ToString()));
            identity.AddClaim(new Claim(AppClaims.OrganisationName, org.Name));
        }

        identity.AddClaim(new Claim(AppClaims.DisplayName, user.DisplayName));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(AppClaims.MustChangePassword, "true"));
        }

        if (user.IsLeadEvaluator)
        {
            identity.AddClaim(new Claim(AppClaims.LeadEvaluator, "true"));
        }

        return identity;
    }
}
