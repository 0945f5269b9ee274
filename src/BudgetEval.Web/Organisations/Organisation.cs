namespace BudgetEval.Web.Organisations;

/// <summary>What kind of body an organisation is; stored as text so the database stays readable.</summary>
internal enum OrganisationKind
{
    FinanceBureau = 1, // 财政局
    BudgetUnit = 2,    // 预算单位
    EvaluationFirm = 3, // 第三方机构
}

internal static class OrganisationKindLabels
{
    public static string Label(this OrganisationKind kind) => kind switch
    {
        OrganisationKind.FinanceBureau => "财政局",
        OrganisationKind.BudgetUnit => "预算单位",
        OrganisationKind.EvaluationFirm => "第三方机构",
        _ => kind.ToString(),
    };
}

internal sealed class Organisation
{
    public Guid Id { get; set; }

    /// <summary>Full name, e.g. 长沙市望城区社会治理服务中心.</summary>
    public required string Name { get; set; }

    /// <summary>Short name used in lists, e.g. 区社会治理服务中心.</summary>
    public string? ShortName { get; set; }

    /// <summary>Unified social credit code (统一社会信用代码), optional.</summary>
    public string? CreditCode { get; set; }

    public OrganisationKind Kind { get; set; }

    /// <summary>主管部门: the supervising department of a budget unit, if any.</summary>
    public Guid? ParentId { get; set; }

    public Organisation? Parent { get; set; }

    public string? ContactPerson { get; set; }

    public string? ContactPhone { get; set; }

    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>PostgreSQL xmin, for optimistic concurrency on edits.</summary>
    public uint RowVersion { get; set; }
}
