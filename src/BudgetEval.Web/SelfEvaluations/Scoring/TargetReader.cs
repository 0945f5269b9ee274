using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BudgetEval.Web.SelfEvaluations.Scoring;

internal enum TargetOutcome
{
    Met,
    NotMet,
    NotComparable,
}

/// <summary>The reading of one 目标值/完成值 pair, with the reason in Chinese for the form.</summary>
internal sealed record TargetReading(TargetOutcome Outcome, string Note)
{
    public string Label => Outcome switch
    {
        TargetOutcome.Met => "达成",
        TargetOutcome.NotMet => "未达成",
        _ => "不可比",
    };
}

internal enum ValueShape
{
    Empty,
    Text,
    Yes,
    No,
    Exact,
    Range,
    AtLeast,
    GreaterThan,
    AtMost,
    LessThan,
}

/// <summary>A 目标值 or 完成值 as a human reads it: a number (or bound, or range) with a unit, or text.</summary>
internal sealed record ParsedValue(ValueShape Shape, decimal Low, decimal High, string Unit)
{
    public bool IsNumeric => Shape is not (ValueShape.Empty or ValueShape.Text or ValueShape.Yes or ValueShape.No);
}

/// <summary>
/// Reads targets and actuals of the indicator table and decides met / not met / not comparable.
/// The rules (ranges read as "at least the lower end", exact non-zero targets as floors, 0 as a
/// ceiling, an actual bound met when it lies wholly inside the target) are in docs/decisions/0005.
/// </summary>
internal static partial class TargetReader
{
    private const string Units = "万元|元|小时|分钟|人次|人|套|份|件|个|次|天|日|月|年|台|项|家|户|条|%";

    // Longest phrases first: 不低于 must win over 低于.
    private static readonly (string Phrase, string Op)[] Operators =
    [
        ("大于等于", "≥"), ("大于或等于", "≥"), ("小于等于", "≤"), ("小于或等于", "≤"),
        ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), (">=", "≥"), ("≧", "≥"), ("⩾", "≥"),
        ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("不大于", "≤"), ("至多", "≤"), ("<=", "≤"), ("≦", "≤"), ("⩽", "≤"),
        ("高于", ">"), ("大于", ">"), ("超过", ">"), ("多于", ">"),
        ("低于", "<"), ("小于", "<"), ("少于", "<"),
    ];

    private static readonly HashSet<string> YesWords = ["是", "已完成", "完成", "达到", "已达到", "达标", "已达标", "满足", "符合"];

    private static readonly HashSet<string> NoWords = ["否", "未完成", "未达到", "未达标", "不满足", "不符合"];

    public static ParsedValue Parse(string? raw)
    {
        var s = Normalize(raw);
        if (s.Length == 0)
        {
            return new(ValueShape.Empty, 0, 0, string.Empty);
        }

        if (YesWords.Contains(s))
        {
            return new(ValueShape.Yes, 0, 0, string.Empty);
        }

        if (NoWords.Contains(s))
        {
            return new(ValueShape.No, 0, 0, string.Empty);
        }

        if (RangePattern().Match(s) is { Success: true } r
            && Number(r.Groups["a"].Value) is { } lo && Number(r.Groups["b"].Value) is { } hi && lo <= hi
            && UnitOf(r.Groups["ua"].Value, r.Groups["ub"].Value) is { } rangeUnit)
        {
            return new(ValueShape.Range, lo, hi, rangeUnit);
        }

        if (BoundPattern().Match(s) is { Success: true } m && Number(m.Groups["n"].Value) is { } v)
        {
            var shape = m.Groups["op"].Value switch
            {
                "≥" => ValueShape.AtLeast,
                ">" => ValueShape.GreaterThan,
                "≤" => ValueShape.AtMost,
                "<" => ValueShape.LessThan,
                _ => m.Groups["sfx"].Value switch
                {
                    "" => ValueShape.Exact,
                    "以上" or "及以上" => ValueShape.AtLeast,
                    _ => ValueShape.AtMost,
                },
            };
            return new(shape, v, v, m.Groups["u"].Value);
        }

        return new(ValueShape.Text, 0, 0, string.Empty);
    }

    public static TargetReading Read(string? target, string? actual)
    {
        var t = Parse(target);
        var a = Parse(actual);
        if (t.Shape == ValueShape.Empty)
        {
            return new(TargetOutcome.NotComparable, "未设目标值");
        }

        // An actual written as a plain yes/no is the filler's own judgement; a human reads it as such.
        if (a.Shape == ValueShape.Yes)
        {
            return new(TargetOutcome.Met, "填报人确认已达成");
        }

        if (a.Shape == ValueShape.No)
        {
            return new(TargetOutcome.NotMet, "填报人确认未达成");
        }

        if (!t.IsNumeric)
        {
            return new(TargetOutcome.NotComparable, "定性目标，由填报人判断");
        }

        if (!a.IsNumeric)
        {
            return new(TargetOutcome.NotComparable, a.Shape == ValueShape.Empty ? "未填完成值" : "完成值不是数值，由填报人判断");
        }

        if (t.Unit.Length > 0 && a.Unit.Length > 0 && t.Unit != a.Unit)
        {
            return new(TargetOutcome.NotComparable, $"单位不一致（{t.Unit} / {a.Unit}）");
        }

        var goal = GoalInterval(t);
        var done = ActualInterval(a);
        if (goal.Contains(done))
        {
            return new(TargetOutcome.Met, t.Shape == ValueShape.Range && done.Low > t.High ? "超出目标区间上限（超额完成）" : "达成目标");
        }

        return goal.Disjoint(done)
            ? new(TargetOutcome.NotMet, "未达到目标值")
            : new(TargetOutcome.NotComparable, "完成值为区间，与目标部分重叠，请人工判断");
    }

    /// <summary>What counts as reaching the target. Ranges and non-zero exact values are floors; zero is a ceiling.</summary>
    private static Interval GoalInterval(ParsedValue t) => t.Shape switch
    {
        ValueShape.Range => new(t.Low, true, null, false),
        ValueShape.AtLeast => new(t.Low, true, null, false),
        ValueShape.GreaterThan => new(t.Low, false, null, false),
        ValueShape.AtMost => new(null, false, t.High, true),
        ValueShape.LessThan => new(null, false, t.High, false),
        _ when t.Low == 0 => new(null, false, 0, true),
        _ => new(t.Low, true, null, false),
    };

    /// <summary>Where the actual value may lie: a point, or the whole stretch a bound or range allows.</summary>
    private static Interval ActualInterval(ParsedValue a) => a.Shape switch
    {
        ValueShape.Range => new(a.Low, true, a.High, true),
        ValueShape.AtLeast => new(a.Low, true, null, false),
        ValueShape.GreaterThan => new(a.Low, false, null, false),
        ValueShape.AtMost => new(null, false, a.High, true),
        ValueShape.LessThan => new(null, false, a.High, false),
        _ => new(a.Low, true, a.High, true),
    };

    private static string Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return string.Empty;
        }

        // Full-width digits and signs (０-９，＞，％ …) become ASCII; spaces and quotes go.
        var s = raw.Normalize(NormalizationForm.FormKC);
        s = WhitespacePattern().Replace(s, string.Empty).Replace("×", "*").Replace("～", "~").Replace("—", "-").Replace("－", "-");
        s = s.TrimEnd('。', '.', '；', ';');
        if (s.StartsWith('均') || s.StartsWith('约'))
        {
            s = s[1..];
        }

        foreach (var (phrase, op) in Operators)
        {
            if (s.StartsWith(phrase, StringComparison.Ordinal))
            {
                return op + s[phrase.Length..];
            }
        }

        return s;
    }

    private static string? UnitOf(string a, string b) => a.Length == 0 ? b : b.Length == 0 || a == b ? a : null;

    /// <summary>Digits (with products such as 7*24) or a small Chinese numeral (一年, 两套).</summary>
    private static decimal? Number(string s)
    {
        if (s.Contains('*'))
        {
            decimal product = 1;
            foreach (var part in s.Split('*'))
            {
                if (Number(part) is not { } f)
                {
                    return null;
                }

                product *= f;
            }

            return product;
        }

        if (decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return ChineseNumber(s);
    }

    private static decimal? ChineseNumber(string s)
    {
        const string Digits = "零一二三四五六七八九";
        if (s.Length == 0)
        {
            return null;
        }

        if (s == "两")
        {
            return 2;
        }

        var ten = s.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0)
        {
            return s.Length == 1 && Digits.IndexOf(s[0], StringComparison.Ordinal) is >= 0 and var digit ? digit : null;
        }

        var tens = ten == 0 ? 1 : Digits.IndexOf(s[0], StringComparison.Ordinal);
        var ones = ten == s.Length - 1 ? 0 : Digits.IndexOf(s[^1], StringComparison.Ordinal);
        return tens < 0 || ones < 0 || s.Length > 3 ? null : (tens * 10) + ones;
    }

    private const string NumberExpr = @"(?:\d[\d,]*(?:\.\d+)?(?:\*\d+(?:\.\d+)?)*|[零一二两三四五六七八九十]{1,3})";

    [GeneratedRegex(@"^(?<a>" + NumberExpr + @")(?<ua>" + Units + @")?(?:-|~|至|到)(?<b>" + NumberExpr + @")(?<ub>" + Units + @")?$")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^(?<op>≥|≤|>|<|=)?(?<n>" + NumberExpr + @")(?<u>" + Units + @")?(?<sfx>及以上|以上|及以下|以下|以内)?$")]
    private static partial Regex BoundPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    private sealed record Interval(decimal? Low, bool LowInclusive, decimal? High, bool HighInclusive)
    {
        public bool Contains(Interval other) =>
            (Low is null || (other.Low is { } ol && (ol > Low || (ol == Low && (LowInclusive || !other.LowInclusive)))))
            && (High is null || (other.High is { } oh && (oh < High || (oh == High && (HighInclusive || !other.HighInclusive)))));

        public bool Disjoint(Interval other) => Below(other) || other.Below(this);

        // True when every value of this lies below every value of other.
        private bool Below(Interval other) =>
            High is { } h && other.Low is { } l && (h < l || (h == l && !(HighInclusive && other.LowInclusive)));
    }
}
