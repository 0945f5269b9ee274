using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// The text Chromium's (Skia's) PDFs draw, in drawing order, read through each font's ToUnicode map. Enough for
/// "does this text appear in the PDF"; not a general PDF reader (no encryption, object streams or layout).
/// </summary>
internal static partial class PdfText
{
    [GeneratedRegex(@"(\d+) 0 obj(.*?)endobj", RegexOptions.Singleline)]
    private static partial Regex Objects();

    [GeneratedRegex(@"/(\w+) (\d+) 0 R")]
    private static partial Regex NamedReferences();

    [GeneratedRegex(@"/ToUnicode (\d+) 0 R")]
    private static partial Regex ToUnicode();

    [GeneratedRegex(@"beginbf(char|range)(.*?)endbf\1", RegexOptions.Singleline)]
    private static partial Regex CMapSections();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex RangeEntries();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex CharEntries();

    // A font switch (/F4 24 Tf), a span's replacement text (/ActualText <FEFF…>, which stands for the glyphs shown
    // until its EMC), a shown hex string (<0123> Tj, or inside a TJ array), or the end of a span or text object.
    [GeneratedRegex(@"/(\S+)\s+[-\d.]+\s+Tf|/ActualText\s*<([0-9A-Fa-f]*)>|<([0-9A-Fa-f]*)>|\bEMC\b|\bET\b")]
    private static partial Regex ContentTokens();

    public static string Read(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf); // one char per byte, so stream data survives the round trip
        var objects = new Dictionary<string, string>();
        foreach (Match m in Objects().Matches(text))
        {
            objects[m.Groups[1].Value] = m.Groups[2].Value;
        }

        var maps = new Dictionary<string, (Dictionary<string, string> Map, int Width)>();
        var contents = new List<string>();
        foreach (var body in objects.Values)
        {
            if (body.Contains("/Type /Font", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match r in NamedReferences().Matches(body))
            {
                if (!maps.ContainsKey(r.Groups[1].Value) && objects.TryGetValue(r.Groups[2].Value, out var font)
                    && font.Contains("/Type /Font", StringComparison.Ordinal) && ToUnicode().Match(font) is { Success: true } tu
                    && objects.TryGetValue(tu.Groups[1].Value, out var cmapObject))
                {
                    var width = font.Contains("/Type0", StringComparison.Ordinal) ? 4 : 2;
                    maps[r.Groups[1].Value] = (CMap(Stream(cmapObject)), width);
                }
            }

            if (body.Contains("stream", StringComparison.Ordinal) && Stream(body) is { } data && data.Contains(" Tf", StringComparison.Ordinal)
                && !data.Contains("begincmap", StringComparison.Ordinal))
            {
                contents.Add(data);
            }
        }

        var result = new StringBuilder();
        foreach (var content in contents)
        {
            (Dictionary<string, string> Map, int Width)? font = null;
            var replaced = false;
            foreach (Match t in ContentTokens().Matches(content))
            {
                if (t.Groups[1].Success)
                {
                    font = maps.TryGetValue(t.Groups[1].Value, out var f) ? f : null;
                }
                else if (t.Groups[2].Success)
                {
                    result.Append(Utf16(t.Groups[2].Value).TrimStart('\uFEFF'));
                    replaced = true;
                }
                else if (t.Value == "EMC")
                {
                    replaced = false;
                }
                else if (t.Groups[3].Success && !replaced && font is { } current)
                {
                    var hex = t.Groups[3].Value;
                    for (var i = 0; i + current.Width <= hex.Length; i += current.Width)
                    {
                        result.Append(current.Map.GetValueOrDefault(hex.Substring(i, current.Width).ToUpperInvariant(), ""));
                    }
                }
                else if (t.Value == "ET")
                {
                    result.Append('\n');
                }
            }
        }

        return result.ToString();
    }

    private static string Stream(string body)
    {
        var start = body.IndexOf("stream", StringComparison.Ordinal) + "stream".Length;
        if (body[start] == '\r')
        {
            start++;
        }

        if (body[start] == '\n')
        {
            start++;
        }

        var end = body.LastIndexOf("endstream", StringComparison.Ordinal);
        var bytes = Encoding.Latin1.GetBytes(body[start..end]);
        if (!body[..start].Contains("/FlateDecode", StringComparison.Ordinal))
        {
            return Encoding.Latin1.GetString(bytes);
        }

        using var inflate = new ZLibStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflate.CopyTo(output);
        return Encoding.Latin1.GetString(output.ToArray());
    }

    /// <summary>A ToUnicode CMap's bfchar and bfrange lines (ranges given as a start value).</summary>
    private static Dictionary<string, string> CMap(string cmap)
    {
        var map = new Dictionary<string, string>();
        foreach (Match section in CMapSections().Matches(cmap))
        {
            if (section.Groups[1].Value == "range")
            {
                foreach (Match m in RangeEntries().Matches(section.Groups[2].Value))
                {
                    var (low, high) = (Convert.ToInt32(m.Groups[1].Value, 16), Convert.ToInt32(m.Groups[2].Value, 16));
                    var first = Convert.ToInt32(m.Groups[3].Value, 16);
                    for (var code = low; code <= high; code++)
                    {
                        map[code.ToString("X" + m.Groups[1].Value.Length, System.Globalization.CultureInfo.InvariantCulture)] = char.ConvertFromUtf32(first + code - low);
                    }
                }
            }
            else
            {
                foreach (Match m in CharEntries().Matches(section.Groups[2].Value))
                {
                    map[m.Groups[1].Value.ToUpperInvariant()] = Utf16(m.Groups[2].Value);
                }
            }
        }

        return map;
    }

    private static string Utf16(string hex) => Encoding.BigEndianUnicode.GetString(Convert.FromHexString(hex));
}
