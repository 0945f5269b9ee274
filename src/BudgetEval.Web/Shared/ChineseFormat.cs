using System.Globalization;

namespace BudgetEval.Web.Shared;

/// <summary>How the product writes dates and money for people: 2023年2月24日, 1,412.74 万元.</summary>
internal static class ChineseFormat
{
    public static string Date(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    public static string DateTime(DateTimeOffset local) => $"{local.Year}年{local.Month}月{local.Day}日 {local:HH:mm}";

    /// <summary>15:42:10: when a figure was counted (the day is today's or, rarely, the day before).</summary>
    public static string Time(DateTimeOffset local) => local.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>万元, two decimals, half away from zero.</summary>
    public static string Money(decimal amount) =>
        Math.Round(amount, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);
}

/// <summary>The product's civil time zone (Asia/Shanghai by default) on top of the injected TimeProvider.</summary>
internal sealed class ChinaClock(Microsoft.Extensions.Options.IOptions<Infrastructure.Hosting.AppOptions> options)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public TimeZoneInfo Zone => _zone;

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone);

    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToLocal(clock.GetUtcNow()).DateTime);
}
