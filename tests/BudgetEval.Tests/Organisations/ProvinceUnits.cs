using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Tests.Organisations;

/// <summary>
/// More budget units than a drop-down holds (<see cref="OrganisationPicker.ListLimit"/>), added to a test's
/// own database so the bureau's forms switch to search fields: 省测试单位0001…, short names 测试0001…,
/// credit codes 12430100T00010000…; 0007 and 0008 share the short name 同简称单位, 0009 is inactive.
/// </summary>
internal static class ProvinceUnits
{
    public const int Count = OrganisationPicker.ListLimit + 50;

    public static string Name(int i) => $"省测试单位{i:D4}";

    public static async Task<int> EnsureAsync(AppDbContext db)
    {
        if (await db.Organisations.AnyAsync(o => o.Name == Name(1)))
        {
            return 0;
        }

        for (var i = 1; i <= Count; i++)
        {
            db.Organisations.Add(new Organisation
            {
                Id = Guid.NewGuid(),
                Name = Name(i),
                ShortName = i is 7 or 8 ? "同简称单位" : $"测试{i:D4}",
                CreditCode = $"12430100T{i:D4}0000",
                Kind = OrganisationKind.BudgetUnit,
                IsActive = i != 9,
                CreatedAt = DateTimeOffset.UtcNow,
            });
        }

        return await db.SaveChangesAsync();
    }
}
