using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace BudgetEval.Tests.Infrastructure;

/// <summary>
/// Writes small workbooks as raw XML, the way other tools write them (number formats, shared strings with
/// phonetic guides, rows without <c>r</c>, several sheets), so the importer meets files the export never makes.
/// </summary>
internal sealed class XlsxBuilder
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private readonly List<(string Name, string Xml)> _sheets = [];
    private readonly List<string> _numFmts = [];
    private readonly List<int> _xfs = [];
    private string? _shared;

    /// <summary>A cell whose XML depends on its reference (A1, G3…).</summary>
    internal sealed record XCell(Func<string, string> Xml);

    public static IReadOnlyList<string> IndicatorHeader => BudgetEval.Web.SelfEvaluations.Import.IndicatorFile.Header;

    /// <summary>Adds a sheet of rows (see <see cref="Row"/>) with optional merged ranges.</summary>
    public XlsxBuilder Sheet(string name, IEnumerable<string> rows, params string[] merges)
    {
        var mergeXml = merges.Length == 0 ? string.Empty
            : $"<mergeCells count=\"{merges.Length}\">{string.Concat(merges.Select(m => $"<mergeCell ref=\"{m}\"/>"))}</mergeCells>";
        _sheets.Add((name, $"<worksheet xmlns=\"{Main}\"><sheetData>{string.Concat(rows)}</sheetData>{mergeXml}</worksheet>"));
        return this;
    }

    /// <summary>The shared string table, each item the inner XML of an <c>si</c>.</summary>
    public XlsxBuilder SharedStrings(params string[] items)
    {
        _shared = $"<sst xmlns=\"{Main}\" count=\"{items.Length}\" uniqueCount=\"{items.Length}\">{string.Concat(items.Select(i => $"<si>{i}</si>"))}</sst>";
        return this;
    }

    /// <summary>Cell styles 1, 2, … with these number formats: an int is a built-in id, a string a custom code.</summary>
    public XlsxBuilder Styles(params object[] formats)
    {
        foreach (var format in formats)
        {
            if (format is string code)
            {
                var id = 164 + _numFmts.Count;
                _numFmts.Add($"<numFmt numFmtId=\"{id}\" formatCode=\"{SecurityElement.Escape(code)}\"/>");
                _xfs.Add(id);
            }
            else
            {
                _xfs.Add((int)format);
            }
        }

        return this;
    }

    public byte[] Build()
    {
        var files = new Dictionary<string, string>
        {
            ["[Content_Types].xml"] = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + string.Concat(_sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
                + (_shared is null ? string.Empty : "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>")
                + (_xfs.Count == 0 ? string.Empty : "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>")
                + "</Types>",
            ["_rels/.rels"] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
            ["xl/workbook.xml"] = $"<workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                + string.Concat(_sheets.Select((s, i) => $"<sheet name=\"{SecurityElement.Escape(s.Name)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>")) + "</sheets></workbook>",
            ["xl/_rels/workbook.xml.rels"] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + string.Concat(_sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))
                + (_shared is null ? string.Empty : "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>")
                + (_xfs.Count == 0 ? string.Empty : "<Relationship Id=\"rIdY\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>")
                + "</Relationships>",
        };
        for (var i = 0; i < _sheets.Count; i++)
        {
            files[$"xl/worksheets/sheet{i + 1}.xml"] = _sheets[i].Xml;
        }

        if (_shared is not null)
        {
            files["xl/sharedStrings.xml"] = _shared;
        }

        if (_xfs.Count > 0)
        {
            files["xl/styles.xml"] = $"<styleSheet xmlns=\"{Main}\">"
                + (_numFmts.Count == 0 ? string.Empty : $"<numFmts count=\"{_numFmts.Count}\">{string.Concat(_numFmts)}</numFmts>")
                + "<fonts count=\"1\"><font/></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
                + "<borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
                + $"<cellXfs count=\"{_xfs.Count + 1}\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
                + string.Concat(_xfs.Select(id => $"<xf numFmtId=\"{id}\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"))
                + "</cellXfs></styleSheet>";
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, xml) in files)
            {
                using var part = zip.CreateEntry(name).Open();
                part.Write(Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" + xml));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Row <paramref name="r"/> with cells from column A: a string is an inline string, a number a number cell,
    /// null no cell, an <see cref="XCell"/> whatever it writes.
    /// </summary>
    public static string Row(int r, params object?[] values) =>
        $"<row r=\"{r}\">{string.Concat(values.Select((v, i) => v is null ? string.Empty : CellXml(v, $"{(char)('A' + i)}{r}")))}</row>";

    /// <summary>The indicator header in row <paramref name="r"/>.</summary>
    public static string HeaderRow(int r = 1) => Row(r, [.. IndicatorHeader]);

    /// <summary>An indicator row whose cells can be replaced by column name (e.g. ("分值", Bool(true))).</summary>
    public static string IndicatorRow(int r, params (string Column, object? Value)[] changes)
    {
        object?[] values = ["产出指标", "数量指标", $"指标{r}", "内容", "≥95%", "96%", 5, 5, null, null];
        foreach (var (column, value) in changes)
        {
            values[IndicatorHeader.ToList().IndexOf(column)] = value;
        }

        return Row(r, values);
    }

    public static XCell Styled(double value, int style) => new(r => $"<c r=\"{r}\" s=\"{style}\"><v>{value.ToString("R", CultureInfo.InvariantCulture)}</v></c>");

    public static XCell Bool(bool value) => new(r => $"<c r=\"{r}\" t=\"b\"><v>{(value ? 1 : 0)}</v></c>");

    public static XCell Shared(int index) => new(r => $"<c r=\"{r}\" t=\"s\"><v>{index}</v></c>");

    public static XCell Raw(string inner, string attributes = "") => new(r => $"<c r=\"{r}\" {attributes}>{inner}</c>");

    private static string CellXml(object value, string reference) => value switch
    {
        XCell cell => cell.Xml(reference),
        string s => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(s)}</t></is></c>",
        _ => $"<c r=\"{reference}\"><v>{Convert.ToString(value, CultureInfo.InvariantCulture)}</v></c>",
    };
}
