using BudgetEval.Web.Audit;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.SelfEvaluations.Export;
using BudgetEval.Web.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BudgetEval.Web.Admin.Import;

/// <summary>
/// 批量导入: organisations and users from one workbook, all or nothing. The initial passwords exist only in the
/// answer to the import (listed on the page and as a workbook embedded in it): nothing stores them, so there is
/// no second request that could hand them out again.
/// </summary>
[RequestSizeLimit(DirectoryFile.MaxBytes + (64 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = DirectoryFile.MaxBytes + (64 * 1024))]
internal sealed class IndexModel(AppDbContext db, UserManager<AppUser> accounts, TimeProvider clock) : PageModel
{
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public DirectoryImportResult? Result { get; private set; }

    /// <summary>The 初始密码 workbook as a data: address for the download link (made in this answer, kept nowhere).</summary>
    public string? PasswordWorkbook { get; private set; }

    public string PasswordFileName => $"初始密码清单（{clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)):yyyyMMdd-HHmm}）.xlsx";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnGetTemplateAsync(CancellationToken ct)
    {
        await AuditTrail.ExportedAsync(db, HttpContext, clock, "批量导入模板", "单位和用户导入模板（空白）", ct);
        return File(DirectoryFile.Template(), FormWorkbook.ContentType, "单位和用户导入模板.xlsx");
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Refused(["文件：请选择要导入的 .xlsx 文件。"]);
        }

        if (file.Length > DirectoryFile.MaxBytes)
        {
            return Refused([$"文件：超过 {DirectoryFile.MaxBytes / 1024 / 1024} MB，请拆分后分批导入。"]);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var result = await DirectoryImport.RunAsync(db, accounts, HttpContext, clock, Path.GetFileName(file.FileName), buffer.ToArray(), ct);
        if (!result.Succeeded)
        {
            return Refused(result.Errors);
        }

        Result = result;
        if (result.Users.Count > 0)
        {
            var table = new List<IEnumerable<string?>> { new[] { "用户名", "姓名", "所属单位", "初始密码" } };
            table.AddRange(result.Users.Select(u => new[] { u.UserName, u.DisplayName, u.OrganisationName, u.Password }));
            PasswordWorkbook = "data:" + FormWorkbook.ContentType + ";base64,"
                + Convert.ToBase64String(FormWorkbook.Table("初始密码", table, [18, 14, 40, 16]));
        }

        // The answer carries passwords: no cache (the browser's back button or a shared proxy) may keep it.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
        return Page();
    }

    private PageResult Refused(IReadOnlyList<string> errors)
    {
        Errors = errors;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
