using System.Globalization;
using System.Text;
using BudgetEval.Web.Shared;

namespace BudgetEval.Web.Calendar;

/// <summary>
/// The exchange format of one year's calendar: UTF-8 CSV <c>日期,类型,名称</c>, e.g.
/// <c>2026-10-01,放假,国庆节</c> and <c>2026-10-10,调休上班,国庆节调休</c>, in the words of the State Council
/// notice that the administrator copies from. Other spellings (休, 班/调休/补班) and the English kinds
/// (holiday/workday) of files exported before are read too.
/// </summary>
internal static class CalendarCsv
{
    public const string Header = "日期,类型,名称";

    public sealed record ParseResult(IReadOnlyList<CalendarDay> Days, IReadOnlyList<string> Errors);

    public static string Write(IEnumerable<CalendarDay> days)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var d in days.OrderBy(d => d.Date))
        {
            sb.Append(d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(d.Kind == CalendarDayKind.Holiday ? "放假" : "调休上班").Append(',')
                .Append(Quote(d.Name)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Every line is checked and every problem reported; the caller saves nothing unless Errors is empty.</summary>
    public static ParseResult Parse(string text, int year)
    {
        var days = new List<CalendarDay>();
        var errors = new List<string>();
        var seen = new Dictionary<DateOnly, int>();
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || (i == 0 && (line.StartsWith("date", StringComparison.OrdinalIgnoreCase) || line.StartsWith("日期", StringComparison.Ordinal))))
            {
                continue;
            }

            var fields = SplitFields(line);
            if (fields.Count != 3)
            {
                errors.Add($"第 {lineNo} 行：应有 3 列（日期,类型,名称），实际 {fields.Count} 列。");
                continue;
            }

            var problems = new List<string>();
            if (!DateOnly.TryParseExact(fields[0].Trim(), ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                problems.Add($"日期「{fields[0]}」无效，应为 YYYY-MM-DD");
            }
            else if (date.Year != year)
            {
                problems.Add($"日期 {date:yyyy-MM-dd} 不属于 {year} 年");
            }
            else if (seen.TryGetValue(date, out var first))
            {
                problems.Add($"日期 {date:yyyy-MM-dd} 与第 {first} 行重复");
            }

            var kind = ParseKind(fields[1].Trim());
            if (kind is null)
            {
                problems.Add($"类型「{fields[1]}」无效，应为 holiday（放假）或 workday（调休上班）");
            }
            else if (kind == CalendarDayKind.Workday && date != default && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                problems.Add($"{date:yyyy-MM-dd} 是工作日，无须登记为调休上班");
            }

            var name = TextInput.LineOrEmpty(CsvCells.Restore(fields[2].Trim())); // a holiday's name is one line, as every name
            if (name.Length == 0)
            {
                problems.Add("名称不能为空");
            }
            else if (name.Length > 50)
            {
                problems.Add("名称不能超过 50 个字");
            }

            if (problems.Count > 0)
            {
                errors.Add($"第 {lineNo} 行：{string.Join("；", problems)}。");
                continue;
            }

            seen[date] = lineNo;
            days.Add(new CalendarDay { Date = date, Kind = kind!.Value, Name = name });
        }

        return new ParseResult(days, errors);
    }

    private static CalendarDayKind? ParseKind(string kind) => kind.ToLowerInvariant() switch
    {
        "holiday" or "放假" or "休" or "节假日" => CalendarDayKind.Holiday,
        "workday" or "上班" or "班" or "调休" or "调休上班" or "补班" => CalendarDayKind.Workday,
        _ => null,
    };

    private static string Quote(string value)
    {
        value = CsvCells.Defuse(value);
        return value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    // Names may be quoted (they may contain commas); nothing else in this format needs it.
    private static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
