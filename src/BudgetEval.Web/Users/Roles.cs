using BudgetEval.Web.Organisations;

namespace BudgetEval.Web.Users;

/// <summary>The fixed set of roles; names are the identifiers stored by Identity.</summary>
internal static class Roles
{
    public const string Admin = "Admin";
    public const string FinanceOfficer = "FinanceOfficer";
    public const string FinanceLead = "FinanceLead";
    public const string UnitFiller = "UnitFiller";
    public const string UnitHead = "UnitHead";
    public const string Evaluator = "Evaluator";

    public static readonly IReadOnlyList<string> All =
        [Admin, FinanceOfficer, FinanceLead, UnitFiller, UnitHead, Evaluator];

    public static string Label(string role) => role switch
    {
        Admin => "系统管理员",
        FinanceOfficer => "绩效管理员",
        FinanceLead => "财政局领导",
        UnitFiller => "单位填报人",
        UnitHead => "单位负责人",
        Evaluator => "评价人员",
        _ => role,
    };

    /// <summary>Which organisation kind a role belongs to; a user's roles must match their organisation.</summary>
    public static OrganisationKind KindFor(string role) => role switch
    {
        Admin or FinanceOfficer or FinanceLead => OrganisationKind.FinanceBureau,
        UnitFiller or UnitHead => OrganisationKind.BudgetUnit,
        Evaluator => OrganisationKind.EvaluationFirm,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    /// <summary>Comma-separated role names for [Authorize(Roles = ...)].</summary>
    public const string Bureau = Admin + "," + FinanceOfficer + "," + FinanceLead;
}
