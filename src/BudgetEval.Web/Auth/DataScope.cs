using System.Security.Claims;
using BudgetEval.Web.Organisations;

namespace BudgetEval.Web.Auth;

/// <summary>
/// What the current caller may see. Written once here and applied by the DbContext's query filters,
/// so no endpoint has to remember it: the bureau sees everything, a unit its own organisation, a firm
/// its own organisation and what it is assigned to.
/// </summary>
internal sealed record DataScope(DataScopeKind Kind, Guid? OrganisationId)
{
    /// <summary>Background work and start-up tasks: no user, no restriction.</summary>
    public static readonly DataScope System = new(DataScopeKind.All, null);

    /// <summary>An anonymous request sees no organisation data at all.</summary>
    public static readonly DataScope Nobody = new(DataScopeKind.Nothing, null);

    public bool SeesAll => Kind == DataScopeKind.All;

    public bool CanSee(Guid organisationId) => SeesAll || (Kind != DataScopeKind.Nothing && OrganisationId == organisationId);

    public static DataScope For(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return Nobody;
        }

        var orgId = user.OrganisationId();
        return user.OrganisationKind() switch
        {
            OrganisationKind.FinanceBureau => new DataScope(DataScopeKind.All, orgId),
            OrganisationKind.BudgetUnit => new DataScope(DataScopeKind.Unit, orgId),
            OrganisationKind.EvaluationFirm => new DataScope(DataScopeKind.Firm, orgId),
            _ => Nobody,
        };
    }
}

internal enum DataScopeKind
{
    Nothing,
    All,
    Unit,
    Firm,
}

/// <summary>Resolves the scope of the current request; outside a request (jobs, start-up) it is <see cref="DataScope.System"/>.</summary>
internal sealed class DataScopeAccessor(IHttpContextAccessor http)
{
    private DataScope? _override;

    // The query filters read the scope several times per query; the claims are parsed once per principal.
    private Parsed? _last; // one reference, so a read never pairs one principal with another's scope

    public DataScope Current => _override ?? (http.HttpContext is { } ctx ? For(ctx.User) : DataScope.System);

    private DataScope For(ClaimsPrincipal user)
    {
        if (_last is { } last && ReferenceEquals(last.User, user))
        {
            return last.Scope;
        }

        var scope = DataScope.For(user);
        _last = new Parsed(user, scope);
        return scope;
    }

    /// <summary>For code that acts on behalf of the system inside a request (e.g. login bookkeeping).</summary>
    public IDisposable RunAsSystem()
    {
        var previous = _override;
        _override = DataScope.System;
        return new Restore(() => _override = previous);
    }

    private sealed record Parsed(ClaimsPrincipal User, DataScope Scope);

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
