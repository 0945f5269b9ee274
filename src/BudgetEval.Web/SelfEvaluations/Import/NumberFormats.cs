using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Web.SelfEvaluations.Import;

/// <summary>What a cell stores besides its text: number columns take plain numbers only.</summary>
internal enum CellKind
{
    Text,
    Number,
    Percent,
    Date,
    Boolean,
    Error,
}

/// <summary>A cell as the user sees it (98%, 2022-12-31) and the kind of value behind it.</summary>
internal readonly record struct TableCell(string Text, CellKind Kind = CellKind.Text)
{
    public static readonly TableCell Empty = new(string.Empty);
}

/// <summary>
/// The number formats of a workbook. Excel stores 98% as 0.98 and 2022-12-31 as 44926 and shows them through
/// the cell's format; text columns (目标值, 完成值) must get what the user saw, not the stored number.
/// Only percent and date formats are rendered: for other formats (0.00, #,##0) the stored value is the
/// truer reading and is kept.
/// </summary>
internal sealed class NumberFormats
{
    private readonly (CellKind Kind, string Code)[] _styles;
    private readonly bool _date1904;

    private NumberFormats((CellKind Kind, string Code)[] styles, bool date1904) => (_styles, _date1904) = (styles, date1904);

    public static NumberFormats From(WorkbookPart workbook)
    {
        var stylesheet = workbook.WorkbookStylesPart?.Stylesheet;
        var custom = stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
            .Where(n => n.NumberFormatId?.Value is not null && n.FormatCode?.Value is not null)
            .GroupBy(n => n.NumberFormatId!.Value)
            .ToDictionary(g => g.Key, g => g.First().FormatCode!.Value!) ?? [];
        var styles = stylesheet?.CellFormats?.Elements<CellFormat>()
            .Select(xf => Classify(xf.NumberFormatId?.Value ?? 0, custom))
            .ToArray() ?? [];
        return new NumberFormats(styles, workbook.Workbook.WorkbookProperties?.Date1904?.Value == true);
    }

    /// <summary>A number cell (no type or t="n") through its style's format.</summary>
    public TableCell Number(string raw, uint? style)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return new(raw);
        }

        var (kind, code) = style is { } s && s < _styles.Length ? _styles[s] : (CellKind.Number, "General");
        if (kind == CellKind.Percent && Math.Abs(value) < 1e26)
        {
            return new(Percent((decimal)value, code), CellKind.Percent);
        }

        if (kind == CellKind.Date && FromSerial(value) is { } date)
        {
            return new(Date(date, code), CellKind.Date);
        }

        // Excel stores 2 as "2" but 0.1+0.2-ish binary noise as "0.30000000000000004": read numbers back as decimals.
        return new(Math.Abs(value) < 1e26 ? ((decimal)Math.Round(value, 10)).ToString(CultureInfo.InvariantCulture) : raw, CellKind.Number);
    }

    /// <summary>A t="d" cell: an ISO 8601 date as text (written by some tools instead of a serial number).</summary>
    public TableCell IsoDate(string raw, uint? style)
    {
        if (!DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date))
        {
            return new(raw, CellKind.Date);
        }

        var code = style is { } s && s < _styles.Length && _styles[s].Kind == CellKind.Date ? _styles[s].Code
            : date.TimeOfDay == TimeSpan.Zero ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm:ss";
        return new(Date(date, code), CellKind.Date);
    }

    private DateTime? FromSerial(double serial)
    {
        serial += _date1904 ? 1462 : 0;
        if (serial is < 1 or >= 2958466)
        {
            return null;
        }

        // Excel shows whole seconds; FromOADate keeps milliseconds of binary noise.
        var date = DateTime.FromOADate(serial);
        return new DateTime((date.Ticks + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
    }

    /// <summary>Built-in formats 9–10 are percent; 14–22, 45–47 and the East Asian 27–36, 50–58 are dates and times.</summary>
    private static (CellKind Kind, string Code) Classify(uint id, Dictionary<uint, string> custom)
    {
        if (custom.TryGetValue(id, out var code))
        {
            return (KindOf(code), code);
        }

        return id switch
        {
            9 => (CellKind.Percent, "0%"),
            10 => (CellKind.Percent, "0.00%"),
            14 or 15 or 30 => (CellKind.Date, "yyyy-mm-dd"),
            16 or 28 or 29 or 51 or 53 or 54 or 58 => (CellKind.Date, "m\"月\"d\"日\""),
            17 or 27 or 36 or 50 or 52 or 57 => (CellKind.Date, "yyyy\"年\"m\"月\""),
            31 => (CellKind.Date, "yyyy\"年\"m\"月\"d\"日\""),
            18 or 20 or 45 or 47 => (CellKind.Date, "h:mm"),
            19 or 21 or 46 => (CellKind.Date, "h:mm:ss"),
            22 => (CellKind.Date, "yyyy-mm-dd h:mm"),
            32 or 34 or 55 => (CellKind.Date, "h\"时\"mm\"分\""),
            33 or 35 or 56 => (CellKind.Date, "h\"时\"mm\"分\"ss\"秒\""),
            _ => (CellKind.Number, "General"),
        };
    }

    /// <summary>A custom code is a percent when it has a % outside quotes, a date when it has y, m, d, h or s there.</summary>
    internal static CellKind KindOf(string code)
    {
        var kind = CellKind.Number;
        foreach (var (ch, literal) in Scan(code))
        {
            if (literal)
            {
                continue;
            }

            if (ch == '%')
            {
                return CellKind.Percent;
            }

            if (char.ToLowerInvariant(ch) is 'y' or 'm' or 'd' or 'h' or 's')
            {
                kind = CellKind.Date;
            }
        }

        return kind;
    }

    /// <summary>
    /// A percent as Excel shows it: value × 100 with as many decimals as the format has after its point,
    /// rounded half away from zero, with thousands separators when the format has them.
    /// </summary>
    internal static string Percent(decimal value, string code)
    {
        var section = FirstSection(code);
        var point = section.IndexOf('.', StringComparison.Ordinal);
        var decimals = point < 0 ? 0 : section[(point + 1)..].TakeWhile(c => c is '0' or '#' or '?').Count();
        var grouping = section.Contains(',', StringComparison.Ordinal);
        var shown = Math.Round(Math.Abs(value) * 100, decimals, MidpointRounding.AwayFromZero);
        var sign = value < 0 && shown != 0 ? "-" : string.Empty;
        return sign + shown.ToString((grouping ? "N" : "F") + decimals, CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>A date through a format code: y, m, d, h, s tokens (m is minutes next to h or s), quoted and escaped literals, AM/PM.</summary>
    internal static string Date(DateTime value, string code)
    {
        var section = FirstSection(code);
        var tokens = new List<(char Letter, int Count, string Literal)>();
        var twelveHour = false;
        for (var i = 0; i < section.Length; i++)
        {
            var c = section[i];
            if (c == '"')
            {
                var end = section.IndexOf('"', i + 1);
                end = end < 0 ? section.Length : end;
                tokens.Add(('\0', 0, section[(i + 1)..end]));
                i = end;
            }
            else if (c == '\\' && i + 1 < section.Length)
            {
                tokens.Add(('\0', 0, section[++i].ToString()));
            }
            else if (c == '[')
            {
                var end = section.IndexOf(']', i);
                i = end < 0 ? section.Length : end;
            }
            else if (c is '_' or '*')
            {
                i++;
            }
            else if (section.AsSpan(i).StartsWith("AM/PM", StringComparison.OrdinalIgnoreCase) || section.AsSpan(i).StartsWith("上午/下午", StringComparison.Ordinal))
            {
                tokens.Add(('a', 0, string.Empty));
                twelveHour = true;
                i += 4;
            }
            else if (char.ToLowerInvariant(c) is 'y' or 'm' or 'd' or 'h' or 's' or 'e')
            {
                var count = 1;
                while (i + 1 < section.Length && char.ToLowerInvariant(section[i + 1]) == char.ToLowerInvariant(c))
                {
                    count++;
                    i++;
                }

                tokens.Add((char.ToLowerInvariant(c), count, string.Empty));
            }
            else if (c == '0' && tokens.Count > 0 && tokens[^1].Literal == ".")
            {
                // Fractions of a second (ss.0): whole seconds are shown instead, so drop the point too.
                tokens.RemoveAt(tokens.Count - 1);
                while (i + 1 < section.Length && section[i + 1] == '0')
                {
                    i++;
                }
            }
            else
            {
                tokens.Add(('\0', 0, c.ToString()));
            }
        }

        var text = new StringBuilder();
        for (var t = 0; t < tokens.Count; t++)
        {
            var (letter, count, literal) = tokens[t];
            text.Append(letter switch
            {
                '\0' => literal,
                'y' or 'e' => count <= 2 && letter == 'y' ? (value.Year % 100).ToString("00", CultureInfo.InvariantCulture) : value.Year.ToString(CultureInfo.InvariantCulture),
                'm' when IsMinute(tokens, t) => Pad(value.Minute, count),
                'm' => count <= 2 ? Pad(value.Month, count) : value.Month.ToString(CultureInfo.InvariantCulture) + "月",
                'd' => count <= 2 ? Pad(value.Day, count) : (count == 3 ? "周" : "星期") + "日一二三四五六"[(int)value.DayOfWeek],
                'h' => Pad(twelveHour ? ((value.Hour + 11) % 12) + 1 : value.Hour, count),
                's' => Pad(value.Second, count),
                'a' => value.Hour < 12 ? "上午" : "下午",
                _ => string.Empty,
            });
        }

        return text.ToString();
    }

    private static bool IsMinute(List<(char Letter, int Count, string Literal)> tokens, int at)
    {
        var before = tokens.Take(at).LastOrDefault(x => x.Letter != '\0').Letter;
        var after = tokens.Skip(at + 1).FirstOrDefault(x => x.Letter != '\0').Letter;
        return before == 'h' || after == 's';
    }

    private static string Pad(int value, int count) => value.ToString(count >= 2 ? "00" : "0", CultureInfo.InvariantCulture);

    /// <summary>The code up to its first unquoted ; (the positive section).</summary>
    private static string FirstSection(string code)
    {
        var end = Scan(code).Select((x, i) => (x, i)).FirstOrDefault(p => !p.x.Literal && p.x.Ch == ';', (default, -1)).Item2;
        return end < 0 ? code : code[..end];
    }

    /// <summary>Each character of a code and whether it is literal (quoted, escaped, in brackets, or after _ and *).</summary>
    private static IEnumerable<(char Ch, bool Literal)> Scan(string code)
    {
        var quoted = false;
        var bracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (quoted)
            {
                quoted = c != '"';
                yield return (c, true);
            }
            else if (bracket)
            {
                bracket = c != ']';
                yield return (c, true);
            }
            else if (c is '"' or '[')
            {
                quoted = c == '"';
                bracket = c == '[';
                yield return (c, true);
            }
            else if (c is '\\' or '_' or '*' && i + 1 < code.Length)
            {
                yield return (c, true);
                yield return (code[++i], true);
            }
            else
            {
                yield return (c, false);
            }
        }
    }
}
