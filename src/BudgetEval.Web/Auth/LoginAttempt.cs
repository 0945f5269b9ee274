using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BudgetEval.Web.Auth;

/// <summary>
/// One sign-in attempt counted against a client address by <see cref="LoginThrottle"/>: a failure, or an attempt
/// still in flight (<see cref="Pending"/>). Rows live one minute; the address's older ones go when it is next
/// touched, the rest with the nightly housekeeping.
/// </summary>
internal sealed class LoginAttempt
{
    public Guid Id { get; set; }

    /// <summary>The key of <see cref="LoginThrottle.AddressOf"/>: an IPv4 address, an IPv6 /64, "unknown".</summary>
    public required string Address { get; set; }

    /// <summary>When the attempt began (pending) or failed, on the application's clock.</summary>
    public DateTimeOffset At { get; set; }

    public bool Pending { get; set; }
}

internal sealed class LoginAttemptConfiguration : IEntityTypeConfiguration<LoginAttempt>
{
    public const int AddressLength = 64;

    public void Configure(EntityTypeBuilder<LoginAttempt> b)
    {
        b.ToTable("login_attempts");
        b.Property(a => a.Address).HasMaxLength(AddressLength);
        b.HasIndex(a => new { a.Address, a.At });
        b.HasIndex(a => a.At); // the housekeeping's sweep of addresses that never came back
    }
}
