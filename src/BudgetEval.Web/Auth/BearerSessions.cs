using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Auth;

/// <summary>Why a bearer session was ended before its tokens expired.</summary>
internal enum BearerRevocationReason
{
    /// <summary>A refresh token of the session was exchanged twice: it was copied or stolen.</summary>
    Replay = 1,

    /// <summary>The client signed out (POST /api/auth/logout).</summary>
    Logout = 2,
}

/// <summary>
/// A bearer session (one API login, kept across refreshes: <see cref="RefreshTokens.Session"/>) that was ended:
/// from then on its access tokens answer 401 on every node (<see cref="BearerStampMiddleware"/>) and its refresh
/// tokens buy nothing. Only ended sessions have a row, so the per-request check finds nothing for live ones.
/// </summary>
internal sealed class RevokedBearerSession
{
    public Guid SessionId { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset RevokedAt { get; set; }

    public BearerRevocationReason Reason { get; set; }
}

/// <summary>A refresh token that was exchanged (one-time: a second exchange revokes its session).</summary>
internal sealed class RefreshTokenUse
{
    public Guid TokenId { get; set; }

    public Guid SessionId { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset UsedAt { get; set; }
}

internal sealed class RevokedBearerSessionConfiguration : IEntityTypeConfiguration<RevokedBearerSession>
{
    public void Configure(EntityTypeBuilder<RevokedBearerSession> b)
    {
        b.ToTable("revoked_bearer_sessions");
        b.HasKey(r => r.SessionId); // the per-request lookup of BearerStampMiddleware
        b.HasIndex(r => r.RevokedAt); // the housekeeping's sweep
    }
}

internal sealed class RefreshTokenUseConfiguration : IEntityTypeConfiguration<RefreshTokenUse>
{
    public void Configure(EntityTypeBuilder<RefreshTokenUse> b)
    {
        b.ToTable("refresh_token_uses");
        b.HasKey(u => u.TokenId); // decides which of two exchanges of one token wins
        b.HasIndex(u => u.UsedAt); // the housekeeping's sweep
    }
}
