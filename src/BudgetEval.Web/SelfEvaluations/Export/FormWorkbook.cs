using System.Globalization;
using BudgetEval.Web.Plans;
using BudgetEval.Web.SelfEvaluations.Import;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetEval.Web.SelfEvaluations.Export;

/// <summary>
/// The 自评表 as .xlsx in the official layout: title, unit, funds block, goals, then the indicator table
/// whose header row is exactly the import header, so an exported file can be edited and imported again.
/// </summary>
internal static class FormWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const uint Plain = 0, Boxed = 1, BoxedNumber = 2, Title = 3, BoxedBold = 4;

    public static byte[] Build(LoadedForm form)
    {
        var se = form.Record;
        var sheet = form.Sheet();
        var rows = new List<Row>();
        var merges = new List<string>();
        uint r = 0;
        Row Next() { var row = new Row { RowIndex = ++r }; rows.Add(row); return row; }

        var title = Next();
        Text(title, "A", $"{EvaluationKinds.Label(se.Kind).Replace("绩效自评", "自评表", StringComparison.Ordinal)}", Title);
        merges.Add($"A{r}:J{r}");
        Text(Next(), "A", $"（{se.FiscalYear}年）", Title);
        merges.Add($"A{r}:J{r}");

        var unit = Next();
        Text(unit, "A", "部门(单位)名称", BoxedBold);
        Text(unit, "B", form.UnitName + (se.ProjectName is { } p ? $"　项目：{p}" : string.Empty), Boxed);
        merges.Add($"B{r}:J{r}");

        var fundsHead = Next();
        string[] heads = ["资金情况（万元）", "资金来源", "全年预算数(A)", "全年执行数(B)", "上级财政转移支付(C)", "分值", "执行率((B-C)/A)", "得分"];
        for (var i = 0; i < heads.Length; i++)
        {
            Text(fundsHead, Col(i), heads[i], BoxedBold);
        }

        foreach (var sub in se.FundsRows)
        {
            var row = Next();
            var rate = new Scoring.FundsFigures(sub.Budget, sub.Executed, sub.UpperTransfer).ExecutionRate;
            Text(row, "B", sub.Name, Boxed);
            Number(row, "C", sub.Budget);
            Number(row, "D", sub.Executed);
            Number(row, "E", sub.UpperTransfer);
            Text(row, "F", "--", Boxed);
            Text(row, "G", rate is { } x ? Money.Percent(x) : string.Empty, Boxed);
            Text(row, "H", "--", Boxed);
        }

        var total = Next();
        Text(total, "B", "年度资金总额", Boxed);
        Number(total, "C", se.FundsBudget);
        Number(total, "D", se.FundsExecuted);
        Number(total, "E", se.FundsUpperTransfer);
        Number(total, "F", form.Rules.FundsWeight);
        Text(total, "G", sheet.ExecutionRate is { } er ? Money.Percent(er) : string.Empty, Boxed);
        Number(total, "H", sheet.FundsScore);

        var goalsHead = Next();
        Text(goalsHead, "A", "年度总体目标", BoxedBold);
        Text(goalsHead, "B", "年初设定目标", BoxedBold);
        Text(goalsHead, "F", "全年完成情况", BoxedBold);
        merges.Add($"B{r}:E{r}");
        merges.Add($"F{r}:J{r}");
        var goals = Next();
        Text(goals, "B", se.GoalsPlanned ?? string.Empty, Boxed);
        Text(goals, "F", se.GoalsAchieved ?? string.Empty, Boxed);
        merges.Add($"B{r}:E{r}");
        merges.Add($"F{r}:J{r}");

        Next();
        var head = Next();
        for (var i = 0; i < IndicatorFile.Header.Count; i++)
        {
            Text(head, Col(i), IndicatorFile.Header[i], BoxedBold);
        }

        foreach (var line in form.Rows)
        {
            var row = Next();
            string?[] texts = [line.Level1, line.Level2, line.Level3, line.Content, line.Target, line.Actual];
            for (var i = 0; i < texts.Length; i++)
            {
                Text(row, Col(i), texts[i] ?? string.Empty, Boxed);
            }

            Number(row, "G", line.Weight);
            Number(row, "H", line.Score);
            Text(row, "I", line.Reason ?? string.Empty, Boxed);
            Text(row, "J", line.Measure ?? string.Empty, Boxed);
        }

        var sum = Next();
        Text(sum, "A", "总分", BoxedBold);
        merges.Add($"A{r}:F{r}");
        Number(sum, "G", form.Rules.FundsWeight + sheet.IndicatorWeightTotal);
        Number(sum, "H", sheet.TotalScore);
        Text(sum, "I", "等级：" + sheet.Grade, BoxedBold);
        merges.Add($"I{r}:J{r}");

        return Write([("自评表", rows, merges, [14, 14, 16, 24, 14, 14, 9, 9, 18, 18])]);
    }

    /// <summary>
    /// A plain ruled table: the first row as the bold header, numbers (e.g. 分值, 得分) as number cells so
    /// Excel can sum them. Used for tables that are also imported back, such as the evaluation scores.
    /// </summary>
    public static byte[] Table(string sheetName, IEnumerable<IEnumerable<string?>> table, double[] widths) =>
        Write([(sheetName, TableRows(table), [], widths)]);

    /// <summary>Several plain tables in one workbook, a sheet each (the dashboards' export: a sheet per chart).</summary>
    public static byte[] Tables(IEnumerable<(string SheetName, IEnumerable<IEnumerable<string?>> Table, double[] Widths)> sheets) =>
        Write(sheets.Select(s => (s.SheetName, TableRows(s.Table), new List<string>(), s.Widths)).ToList());

    private static List<Row> TableRows(IEnumerable<IEnumerable<string?>> table)
    {
        var rows = new List<Row>();
        uint r = 0;
        foreach (var cells in table)
        {
            var row = new Row { RowIndex = ++r };
            rows.Add(row);
            var i = 0;
            foreach (var cell in cells)
            {
                if (r > 1 && decimal.TryParse(cell, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var d))
                {
                    Number(row, Col(i), d);
                }
                else
                {
                    Text(row, Col(i), cell ?? string.Empty, r == 1 ? BoxedBold : Boxed);
                }

                i++;
            }
        }

        return rows;
    }

    /// <summary>The import header alone, for units that fill offline.</summary>
    public static byte[] BlankTemplate()
    {
        var head = new Row { RowIndex = 1 };
        for (var i = 0; i < IndicatorFile.Header.Count; i++)
        {
            Text(head, Col(i), IndicatorFile.Header[i], BoxedBold);
        }

        return Write([("绩效指标", [head], [], [14, 14, 16, 24, 14, 14, 9, 9, 18, 18])]);
    }

    private static byte[] Write(IReadOnlyList<(string SheetName, List<Row> Rows, List<string> Merges, double[] Widths)> sheets)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            wb.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var list = wb.Workbook.AppendChild(new Sheets());
            uint sheetId = 0;
            foreach (var (sheetName, rows, merges, widths) in sheets)
            {
                var ws = wb.AddNewPart<WorksheetPart>();
                var columns = new Columns(widths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true }));
                var worksheet = new Worksheet(columns, new SheetData(rows));
                if (merges.Count > 0)
                {
                    worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
                }

                // A4 landscape, one page wide, as the paper form is printed.
                worksheet.Append(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
                worksheet.Append(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
                worksheet.InsertAt(new SheetProperties(new PageSetupProperties { FitToPage = true }), 0);
                ws.Worksheet = worksheet;
                list.Append(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = ++sheetId, Name = sheetName });
            }

            wb.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static Stylesheet Styles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "0.00" }) { Count = 1 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
            new Font(new Bold(), new FontSize { Val = 16 }, new FontName { Val = "宋体" })) { Count = 3 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(
            new Border(),
            new Border(
                new LeftBorder { Style = BorderStyleValues.Thin },
                new RightBorder { Style = BorderStyleValues.Thin },
                new TopBorder { Style = BorderStyleValues.Thin },
                new BottomBorder { Style = BorderStyleValues.Thin },
                new DiagonalBorder())) { Count = 2 },
        new CellFormats(
            new CellFormat(),
            new CellFormat(Wrap()) { BorderId = 1, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { BorderId = 1, NumberFormatId = 164, ApplyNumberFormat = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center }) { FontId = 2, ApplyFont = true, ApplyAlignment = true },
            new CellFormat(Wrap()) { FontId = 1, BorderId = 1, ApplyFont = true, ApplyBorder = true, ApplyAlignment = true }) { Count = 5 });

    private static Alignment Wrap() => new() { WrapText = true, Vertical = VerticalAlignmentValues.Center };

    private static string Col(int index) => ((char)('A' + index)).ToString();

    private static void Text(Row row, string column, string text, uint style) =>
        row.Append(new Cell(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }))
        {
            CellReference = column + row.RowIndex!.Value,
            DataType = CellValues.InlineString,
            StyleIndex = style,
        });

    private static void Number(Row row, string column, decimal? value) =>
        row.Append(value is { } v
            ? new Cell(new CellValue(v.ToString(CultureInfo.InvariantCulture))) { CellReference = column + row.RowIndex!.Value, StyleIndex = BoxedNumber }
            : new Cell { CellReference = column + row.RowIndex!.Value, StyleIndex = Boxed });
}
