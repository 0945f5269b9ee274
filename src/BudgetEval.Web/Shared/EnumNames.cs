using System.Text.Json.Serialization;

namespace BudgetEval.Web.Shared;

/// <summary>
/// Enum values from user input by name only. Enum.TryParse also takes numbers ("99", "5"), which made up
/// kinds that are neither 部门整体 nor 项目 and slipped past the one-per-unit/kind/year rules.
/// </summary>
internal static class EnumNames
{
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        var trimmed = text?.Trim();
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>A JSON enum by its name only: integers (and numeric strings) are refused, as are undefined values.</summary>
internal sealed class StrictEnumConverter<T>() : JsonStringEnumConverter<T>(namingPolicy: null, allowIntegerValues: false)
    where T : struct, Enum;
