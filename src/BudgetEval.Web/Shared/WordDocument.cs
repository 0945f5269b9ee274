using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace BudgetEval.Web.Shared;

/// <summary>How a table cell takes part in a vertical merge (a rowspan).</summary>
internal enum RowSpan
{
    None,
    Start,
    Continue,
}

/// <summary>One table cell: its text (line breaks kept), how many grid columns it spans, and how it looks.</summary>
internal sealed record WordCell(string? Text, int Span = 1, bool Bold = false, bool Number = false, RowSpan RowSpan = RowSpan.None);

/// <summary>
/// A .docx written with the OpenXml SDK for users who finish a document in Word or WPS (stamp, 红头, edits):
/// A4 pages in sections (a wide table on landscape pages, the text on portrait ones), 宋体 text, 黑体 headings,
/// tables with borders whose header rows repeat on every page. Only what the exports need.
/// </summary>
internal sealed class WordDocument : IDisposable
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    // A4 in twentieths of a point; margins of 2 cm, 2.8 cm at the sides of a portrait page (the binding side of GB/T 9704).
    private const int A4Short = 11906, A4Long = 16838, Margin = 1134, PortraitSide = 1588;

    private const string Body = "宋体", Heading = "黑体";

    private readonly MemoryStream _stream = new();
    private readonly WordprocessingDocument _document;
    private readonly Body _body;
    private readonly string _footerId;

    public WordDocument(string title)
    {
        _document = WordprocessingDocument.Create(_stream, WordprocessingDocumentType.Document);
        _document.PackageProperties.Title = title;
        var main = _document.AddMainDocumentPart();
        main.Document = new Document(_body = new Body());
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = "Times New Roman", HighAnsi = "Times New Roman", EastAsia = Body },
                new FontSize { Val = "24" }, new FontSizeComplexScript { Val = "24" }, new Languages { EastAsia = "zh-CN" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "0", Line = "360", LineRule = LineSpacingRuleValues.Auto }))));

        // 第 N 页，共 M 页 at the foot of every page, as on the printed views: Word fills the fields in.
        var footer = main.AddNewPart<FooterPart>();
        OpenXmlElement[] line =
            [new ParagraphProperties(new Justification { Val = JustificationValues.Center }), TextRun("第 "), .. Field("PAGE"), TextRun(" 页，共 "), .. Field("NUMPAGES"), TextRun(" 页")];
        footer.Footer = new Footer(new Paragraph(line));
        _footerId = main.GetIdOfPart(footer);
    }

    private static Run[] Field(string code) =>
    [
        new(new FieldChar { FieldCharType = FieldCharValues.Begin }),
        new(new FieldCode($" {code} ") { Space = SpaceProcessingModeValues.Preserve }),
        new(new FieldChar { FieldCharType = FieldCharValues.Separate }),
        new(new Text("1")),
        new(new FieldChar { FieldCharType = FieldCharValues.End }),
    ];

    /// <summary>Width of the text on a page of this orientation, for table column widths.</summary>
    public static int TextWidth(bool landscape) => landscape ? A4Long - (2 * Margin) : A4Short - (2 * PortraitSide);

    public void Title(string text) => _body.Append(Line(text, Heading, size: 36, center: true, spaceAfter: 120));

    public void Centered(string text) => _body.Append(Line(text, null, size: 24, center: true, spaceAfter: 240));

    public void Heading1(string text) => _body.Append(Line(text, Heading, size: 30, center: false, spaceAfter: 120, spaceBefore: 240));

    public void Heading2(string text) => _body.Append(Line(text, Heading, size: 24, center: false, spaceAfter: 60, spaceBefore: 180));

    /// <summary>Each line of <paramref name="text"/> a paragraph indented by two characters, as Chinese prose is set.</summary>
    public void Prose(string? text, string whenEmpty)
    {
        var lines = string.IsNullOrWhiteSpace(text) ? [whenEmpty] : text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        foreach (var line in lines)
        {
            var paragraph = new Paragraph(new ParagraphProperties(new Indentation { FirstLineChars = 200 }));
            paragraph.Append(TextRun(line.Trim()));
            _body.Append(paragraph);
        }
    }

    /// <summary>One paragraph without the first-line indent: a letter's 主送 line, or (right-aligned) its signature and date.</summary>
    public void Plain(string text, bool right = false)
    {
        var properties = new ParagraphProperties();
        if (right)
        {
            properties.Append(new Justification { Val = JustificationValues.Right });
        }

        _body.Append(new Paragraph(properties, TextRun(text)));
    }

    /// <summary>A table over <paramref name="widths"/> (twips); the first <paramref name="headerRows"/> rows repeat on each page.</summary>
    public void Table(IReadOnlyList<int> widths, IEnumerable<IReadOnlyList<WordCell>> rows, int headerRows = 0)
    {
        // In the schema's order (tblW, tblBorders, tblLayout, tblCellMar): Word refuses others as damaged.
        var table = new Table(new TableProperties(
            new TableWidth { Width = Twips(widths.Sum()), Type = TableWidthUnitValues.Dxa },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
            new TableLayout { Type = TableLayoutValues.Fixed },
            new TableCellMarginDefault(
                new TopMargin { Width = "30", Type = TableWidthUnitValues.Dxa }, new TableCellLeftMargin { Width = 80, Type = TableWidthValues.Dxa },
                new BottomMargin { Width = "30", Type = TableWidthUnitValues.Dxa }, new TableCellRightMargin { Width = 80, Type = TableWidthValues.Dxa })));
        table.Append(new TableGrid(widths.Select(w => new GridColumn { Width = Twips(w) })));

        var index = 0;
        foreach (var cells in rows)
        {
            var row = new TableRow();
            if (index++ < headerRows)
            {
                row.Append(new TableRowProperties(new TableHeader(), new CantSplit()));
            }

            var column = 0;
            foreach (var cell in cells)
            {
                var width = widths.Skip(column).Take(cell.Span).Sum();
                column += cell.Span;
                var properties = new TableCellProperties(new TableCellWidth { Width = Twips(width), Type = TableWidthUnitValues.Dxa });
                if (cell.Span > 1)
                {
                    properties.Append(new GridSpan { Val = cell.Span });
                }

                if (cell.RowSpan != RowSpan.None)
                {
                    properties.Append(new VerticalMerge { Val = cell.RowSpan == RowSpan.Start ? MergedCellValues.Restart : MergedCellValues.Continue });
                }

                properties.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
                row.Append(new TableCell(properties, CellParagraph(cell)));
            }

            table.Append(row);
        }

        _body.Append(table);
    }

    /// <summary>Ends the pages so far as one section: what follows starts on a new page.</summary>
    public void EndSection(bool landscape) =>
        _body.Append(new Paragraph(new ParagraphProperties(Section(landscape, nextPage: true))));

    /// <summary>The finished file; the last section's page setup is <paramref name="landscape"/>.</summary>
    public byte[] ToArray(bool landscape)
    {
        _body.Append(Section(landscape, nextPage: false));
        _document.MainDocumentPart!.Document.Save();
        _document.Dispose();
        return _stream.ToArray();
    }

    public void Dispose()
    {
        _document.Dispose();
        _stream.Dispose();
    }

    private SectionProperties Section(bool landscape, bool nextPage)
    {
        var section = new SectionProperties(new FooterReference { Type = HeaderFooterValues.Default, Id = _footerId });
        if (nextPage)
        {
            section.Append(new SectionType { Val = SectionMarkValues.NextPage });
        }

        section.Append(
            landscape
                ? new PageSize { Width = A4Long, Height = A4Short, Orient = PageOrientationValues.Landscape }
                : new PageSize { Width = A4Short, Height = A4Long },
            new PageMargin
            {
                Top = Margin, Bottom = Margin, Header = 567, Footer = 567, Gutter = 0,
                Left = (uint)(landscape ? Margin : PortraitSide), Right = (uint)(landscape ? Margin : PortraitSide),
            });
        return section;
    }

    private static Paragraph Line(string text, string? font, int size, bool center, int spaceAfter, int spaceBefore = 0)
    {
        var properties = new ParagraphProperties(
            new KeepNext(),
            new SpacingBetweenLines { Before = Twips(spaceBefore), After = Twips(spaceAfter) });
        if (center)
        {
            properties.Append(new Justification { Val = JustificationValues.Center });
        }

        var run = TextRun(text);
        run.PrependChild(new RunProperties(
            font is null ? new RunFonts() : new RunFonts { EastAsia = font, Ascii = font, HighAnsi = font },
            new Bold(), new FontSize { Val = Twips(size) }, new FontSizeComplexScript { Val = Twips(size) }));
        return new Paragraph(properties, run);
    }

    private static Paragraph CellParagraph(WordCell cell)
    {
        var properties = new ParagraphProperties(
            new SpacingBetweenLines { Line = "240", LineRule = LineSpacingRuleValues.Auto },
            new Justification { Val = cell.Number ? JustificationValues.Right : cell.Bold ? JustificationValues.Center : JustificationValues.Left });
        var paragraph = new Paragraph(properties);
        var lines = (cell.Text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var run = TextRun(lines[i]);
            // Table text in 五号 (10.5 pt), the size of the official forms.
            run.PrependChild(new RunProperties(cell.Bold ? new Bold() : new BoldComplexScript { Val = false }, new FontSize { Val = "21" }, new FontSizeComplexScript { Val = "21" }));
            if (i > 0)
            {
                run.InsertAfter(new Break(), run.RunProperties);
            }

            paragraph.Append(run);
        }

        return paragraph;
    }

    private static Run TextRun(string text) =>
        new(new Text(XmlText.Safe(text)) { Space = SpaceProcessingModeValues.Preserve });

    private static string Twips(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
