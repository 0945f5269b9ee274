namespace BudgetEval.Web.Shared;

/// <summary>
/// CSV files are opened in Excel, which runs a cell starting with = + - @ (or a tab or CR before one) as a
/// formula. Exports prefix such text with an apostrophe, which Excel shows as plain text; imports take the
/// apostrophe off again, so an exported file reads back unchanged.
/// </summary>
internal static class CsvCells
{
    private const string FormulaStarts = "=+-@\t\r";

    public static string Defuse(string value) =>
        value.Length > 0 && FormulaStarts.Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;

    public static string Restore(string value) =>
        value.Length > 1 && value[0] == '\'' && FormulaStarts.Contains(value[1], StringComparison.Ordinal) ? value[1..] : value;
}
