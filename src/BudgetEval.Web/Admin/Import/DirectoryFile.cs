using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.SelfEvaluations.Import;
using BudgetEval.Web.Users;

namespace BudgetEval.Web.Admin.Import;

/// <summary>An organisation row of the file, its cells already checked one by one.</summary>
internal sealed record OrganisationRow(int Row, string Name, OrganisationKind? Kind, string? ShortName, string? ParentText,
    string? CreditCode, string? ContactPerson, string? ContactPhone);

/// <summary>A user row of the file, its cells already checked one by one.</summary>
internal sealed record UserRow(int Row, string UserName, string? DisplayName, string? OrganisationText, IReadOnlyList<string> Roles,
    string? Email, bool IsLeadEvaluator);

/// <summary>What the workbook holds, and every problem found in its cells (before anything is compared with the database).</summary>
internal sealed record DirectoryRead(
    IReadOnlyList<OrganisationRow> Organisations, IReadOnlyList<UserRow> Users, DirectoryErrors Errors, IReadOnlyList<string> Notes)
{
    /// <summary>Where a cell of the 单位 sheet is, in the words the file's other messages use.</summary>
    public required Func<int, int, string> OrganisationCell { get; init; }

    public required Func<int, int, string> UserCell { get; init; }

    /// <summary>A problem in a cell of the 单位 sheet, named by its place.</summary>
    public void OrganisationError(int row, int column, string message) =>
        Errors.Add(DirectoryFile.OrganisationSheetIndex, row, column, OrganisationCell(row, column) + message);

    public void UserError(int row, int column, string message) =>
        Errors.Add(DirectoryFile.UserSheetIndex, row, column, UserCell(row, column) + message);
}

/// <summary>Every problem of a file, listed sheet by sheet and row by row however they were found (file checks first, then the database's).</summary>
internal sealed class DirectoryErrors
{
    private readonly List<(int Sheet, int Row, int Column, string Message)> _items = [];

    public int Count => _items.Count;

    /// <summary>A problem of the whole file: listed first.</summary>
    public void Add(string message) => _items.Add((-1, 0, 0, message));

    public void Add(int sheet, int row, int column, string message) => _items.Add((sheet, row, column, message));

    /// <summary>In the order of the file; a damaged file, refused by both sheets' reads in the same words, is named once.</summary>
    public IReadOnlyList<string> Messages =>
        _items.OrderBy(e => e.Sheet).ThenBy(e => e.Row).ThenBy(e => e.Column).Select(e => e.Message).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>
/// The 批量导入 workbook: a 单位 sheet and a 用户 sheet with the admin forms' fields under their labels. The
/// file half only: sheets, headers and cells through the shared <see cref="TableFile"/> (size limits, formulas,
/// merged cells, column order); the checks against the database are <see cref="DirectoryImport"/>'s.
/// </summary>
internal static partial class DirectoryFile
{
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>Per sheet; a province is imported district by district (one hashed password per user makes a big file slow).</summary>
    public const int MaxRows = 1000;

    public const string OrganisationSheet = "单位", UserSheet = "用户";

    public const int OrganisationSheetIndex = 0, UserSheetIndex = 1;

    /// <summary>Marks the template's example rows, which must not be imported as real ones.</summary>
    public const string ExampleMark = "（导入前请删除本行）";

    // The first two columns of each sheet must be there; the rest may be left out.
    public static readonly IReadOnlyList<string> OrganisationHeader = ["名称", "类别", "简称", "主管部门", "统一社会信用代码", "联系人", "联系电话"];

    public static readonly IReadOnlyList<string> UserHeader = ["用户名", "姓名", "所属单位", "角色", "电子邮箱", "主评人"];

    private static readonly TableSpec OrganisationSpec = new(OrganisationHeader, 2, [], MaxBytes, MaxRows);

    private static readonly TableSpec UserSpec = new(UserHeader, 4, [], MaxBytes, MaxRows);

    /// <summary>The template: both sheets with their header and one example row, and a sheet of instructions.</summary>
    public static byte[] Template()
    {
        const string exampleUnit = "示例：XX区第一中学" + ExampleMark;
        return SelfEvaluations.Export.FormWorkbook.Tables(
        [
            (OrganisationSheet, [OrganisationHeader, [exampleUnit, "预算单位", "XX一中", "XX区教育局", "", "张三", "0731-88888888"]], [40, 12, 16, 30, 22, 12, 18]),
            (UserSheet, [UserHeader, ["zhangsan", "示例：张三" + ExampleMark, exampleUnit, "单位填报人、单位负责人", "zhangsan@example.com", "否"]], [16, 30, 40, 26, 28, 8]),
            ("填写说明", Instructions.Select(line => new[] { line }), [110]),
        ]);
    }

    private static readonly string[] Instructions =
    [
        "填写说明",
        "1. 「单位」表每行一个机构，「用户」表每行一个账户；只导入其中一张时，另一张可以留空（保留表头）或整张删除。",
        "2. 带“（导入前请删除本行）”的示例行请删除，否则导入会被拒绝。",
        "3. 类别填写：预算单位、财政局 或 第三方机构。",
        "4. 主管部门（只有预算单位可填）：填写系统中已有的预算单位，或本文件「单位」表中的预算单位的全称（或统一社会信用代码）。",
        "5. 系统中已有的单位（名称或统一社会信用代码相同）不会被导入，也不会被修改：请删除这些行；「用户」表的所属单位可以直接填写已有单位的全称。",
        "6. 角色填写：系统管理员、绩效管理员、财政局领导（财政局的用户）；单位填报人、单位负责人（预算单位的用户）；评价人员（第三方机构的用户）。多个角色用顿号（、）分隔。",
        "7. 主评人：评价人员填“是”或“否”，其他角色留空。",
        "8. 文件中只要有一处错误，就不会导入任何数据；页面会列出每一处错误所在的单元格。",
        "9. 导入成功后，每个账户都有一个随机的初始密码，只在导入结果页上显示（并可下载一次），不会保存；用户首次登录后须设置自己的密码。",
    ];

    public static DirectoryRead Read(string fileName, byte[] content)
    {
        var errors = new DirectoryErrors();
        if (!string.Equals(Path.GetExtension(fileName), ".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            // Two tables need two sheets: a CSV cannot hold them.
            errors.Add("只能导入 .xlsx 工作簿（请先点击“下载模板”，在模板中填写后导入）。");
            return new DirectoryRead([], [], errors, []) { OrganisationCell = (_, _) => string.Empty, UserCell = (_, _) => string.Empty };
        }

        var orgTable = TableFile.Read(fileName, content, OrganisationSpec);
        var userTable = TableFile.Read(fileName, content, UserSpec);
        var notes = new List<string>();

        // Importing only accounts (their units exist) or only units, one may delete the other sheet: a sheet left out
        // by name is an empty table, while a sheet that is there without its header is still named as wrong.
        var sheets = SheetNames(content);
        var orgTableGone = orgTable.Errors.Any(e => e.Row == 0) && sheets is not null && !sheets.Contains(OrganisationSheet) && userTable.Errors.Count == 0;
        var userTableGone = userTable.Errors.Any(e => e.Row == 0) && sheets is not null && !sheets.Contains(UserSheet) && orgTable.Errors.Count == 0;
        if (orgTableGone)
        {
            notes.Add($"文件中没有「{OrganisationSheet}」表，只导入了用户。");
        }
        else
        {
            foreach (var e in orgTable.Errors)
            {
                errors.Add(OrganisationSheetIndex, e.Row, OrganisationHeader.ToList().IndexOf(e.Column), e.Message);
            }
        }

        if (userTableGone)
        {
            notes.Add($"文件中没有「{UserSheet}」表，只导入了单位。");
        }
        else
        {
            foreach (var e in userTable.Errors)
            {
                errors.Add(UserSheetIndex, e.Row, UserHeader.ToList().IndexOf(e.Column), e.Message);
            }
        }

        var orgs = orgTable.Errors.Any(e => e.Row == 0) ? [] : ReadOrganisations(orgTable, errors);
        var users = userTable.Errors.Any(e => e.Row == 0) ? [] : ReadUsers(userTable, errors);
        if (errors.Count == 0 && orgs.Count == 0 && users.Count == 0)
        {
            errors.Add("文件中没有要导入的单位或用户：表头下面没有数据行。");
        }

        // The shared reader's notes name an indicator table; only the one about columns of the user's own applies here.
        notes.AddRange(orgTable.Notes.Where(n => n.StartsWith("未导入", StringComparison.Ordinal)).Select(n => $"「{OrganisationSheet}」表{n}")
            .Concat(userTable.Notes.Where(n => n.StartsWith("未导入", StringComparison.Ordinal)).Select(n => $"「{UserSheet}」表{n}")));
        return new DirectoryRead(orgs, users, errors, notes) { OrganisationCell = orgTable.Where, UserCell = userTable.Where };
    }

    /// <summary>The workbook's sheet names, or null when it cannot be read (the table reads then say why).</summary>
    private static HashSet<string>? SheetNames(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, false);
            return doc.WorkbookPart?.Workbook.Sheets?.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>()
                .Select(sheet => sheet.Name?.Value?.Trim() ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is InvalidDataException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or IOException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static List<(int Row, string[] Cells)> DataRows(TableRead table, int width, int sheetIndex, string sheet, DirectoryErrors errors)
    {
        var rows = table.Rows
            .Select(r => (r.Row, Cells: Enumerable.Range(0, width).Select(i => i < r.Cells.Length ? r.Cells[i] : TableCell.Empty).ToArray()))
            .Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c.Text)))
            .ToList();
        if (rows.Count > MaxRows)
        {
            errors.Add(sheetIndex, 0, 0, $"「{sheet}」表有 {rows.Count} 行，超过 {MaxRows} 行的上限，请分批导入。");
            return [];
        }

        var result = new List<(int Row, string[] Cells)>();
        foreach (var (row, cells) in rows)
        {
            if (cells.Any(c => c.Text.Contains(ExampleMark, StringComparison.Ordinal)))
            {
                errors.Add(sheetIndex, row, -1, $"{table.SheetPrefix}第{row}行是模板的示例行，请删除这一行后再导入。");
                continue;
            }

            // A logical value or an error value (#N/A) is never a name: say so rather than import "TRUE".
            for (var c = 0; c < width; c++)
            {
                if (cells[c].Kind is CellKind.Boolean or CellKind.Error)
                {
                    errors.Add(sheetIndex, row, c, table.Where(row, c) + $"是{(cells[c].Kind == CellKind.Boolean ? "逻辑值" : "错误值")}{TableRead.Quote(cells[c].Text)}，应为文字。");
                }
            }

            result.Add((row, cells.Select(c => c.Text).ToArray()));
        }

        return result;
    }

    private static List<OrganisationRow> ReadOrganisations(TableRead table, DirectoryErrors errors)
    {
        var rows = new List<OrganisationRow>();
        foreach (var (row, cells) in DataRows(table, OrganisationHeader.Count, OrganisationSheetIndex, OrganisationSheet, errors))
        {
            void Error(int column, string message) => errors.Add(OrganisationSheetIndex, row, column, table.Where(row, column) + message);

            var name = Text(0, cells[0], 200, required: true, Error);
            OrganisationKind? kind = null;
            if (Shared.TextInput.Line(cells[1]) is not { } kindText)
            {
                Error(1, "未填写。");
            }
            else
            {
                kind = Enum.GetValues<OrganisationKind>().Cast<OrganisationKind?>().FirstOrDefault(k => k!.Value.Label() == kindText);
                if (kind is null)
                {
                    Error(1, $"{TableRead.Quote(kindText)}不是有效的类别，应为「预算单位」「财政局」或「第三方机构」。");
                }
            }

            var code = Shared.TextInput.Narrow(Shared.TextInput.Line(cells[4]))?.ToUpperInvariant();
            if (code is not null && !CreditCodePattern().IsMatch(code))
            {
                Error(4, $"{TableRead.Quote(code)}应为 18 位数字或大写字母。");
            }

            rows.Add(new OrganisationRow(row, name ?? string.Empty, kind,
                Text(2, cells[2], 100, required: false, Error),
                Shared.TextInput.Line(cells[3]),
                code,
                Text(5, cells[5], 50, required: false, Error),
                Shared.TextInput.Narrow(Text(6, cells[6], 30, required: false, Error))));
        }

        return rows;
    }

    private static List<UserRow> ReadUsers(TableRead table, DirectoryErrors errors)
    {
        var rows = new List<UserRow>();
        foreach (var (row, cells) in DataRows(table, UserHeader.Count, UserSheetIndex, UserSheet, errors))
        {
            void Error(int column, string message) => errors.Add(UserSheetIndex, row, column, table.Where(row, column) + message);

            var userName = Shared.TextInput.Narrow(Text(0, cells[0], 256, required: true, Error));
            if (userName is not null && !UserNamePattern().IsMatch(userName))
            {
                Error(0, $"{TableRead.Quote(userName)}只能包含英文字母、数字和 - . _ @。");
            }

            var displayName = Text(1, cells[1], 50, required: true, Error);
            var organisation = Shared.TextInput.Line(cells[2]);
            if (organisation is null)
            {
                Error(2, "未填写。");
            }

            var roles = new List<string>();
            var roleText = Shared.TextInput.Line(cells[3]);
            if (roleText is null)
            {
                Error(3, "未填写。");
            }
            else
            {
                foreach (var label in RoleSeparators().Split(roleText).Where(s => s.Length > 0))
                {
                    var role = Roles.All.FirstOrDefault(r => Roles.Label(r) == label);
                    if (role is null)
                    {
                        Error(3, $"{TableRead.Quote(label)}不是有效的角色，应为：{string.Join("、", Roles.All.Select(Roles.Label))}。");
                    }
                    else if (!roles.Contains(role))
                    {
                        roles.Add(role);
                    }
                }
            }

            var email = Shared.TextInput.Narrow(Shared.TextInput.Line(cells[4]));
            if (email is not null && (email.Length > 256 || !MailAddress.TryCreate(email, out var address) || address.Address != email))
            {
                Error(4, $"{TableRead.Quote(email)}格式不正确。");
            }

            var lead = false;
            switch (Shared.TextInput.Line(cells[5]))
            {
                case null or "否":
                    break;
                case "是":
                    lead = true;
                    if (!roles.Contains(Roles.Evaluator) && roleText is not null)
                    {
                        Error(5, "只有评价人员可以是主评人。");
                    }

                    break;
                case var other:
                    Error(5, $"{TableRead.Quote(other)}应为“是”或“否”（或留空）。");
                    break;
            }

            rows.Add(new UserRow(row, userName ?? string.Empty, displayName, organisation, roles, email, lead));
        }

        return rows;
    }

    private static string? Text(int column, string cell, int max, bool required, Action<int, string> error)
    {
        var text = Shared.TextInput.Line(cell);
        if (text is null)
        {
            if (required)
            {
                error(column, "未填写。");
            }
        }
        else if (text.Length > max)
        {
            error(column, $"不能超过 {max} 个字符（现 {text.Length.ToString(CultureInfo.InvariantCulture)} 个）。");
        }

        return text;
    }

    [GeneratedRegex("^[0-9A-Z]{18}$")]
    private static partial Regex CreditCodePattern();

    /// <summary>The characters Identity is configured to accept in a user name (AppComposition).</summary>
    [GeneratedRegex("^[A-Za-z0-9._@-]+$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex(@"[、,，;；/／\s]+")]
    private static partial Regex RoleSeparators();
}
