using System.Globalization;
using System.Linq.Expressions;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Organisations;
using Microsoft.EntityFrameworkCore;

namespace BudgetEval.Web.Dashboards;

/// <summary>
/// The dashboards' GET filters, shared by the pages, the exports and the API. Year and unit narrow every
/// figure; category and source describe findings, so they narrow the rectification figures only.
/// </summary>
internal sealed record DashboardFilter(int? Year, Guid? UnitId, string? UnitText, string? Category, FindingSource? Source, int Page)
{
    public const int PageSize = 20;

    public static readonly DashboardFilter None = new(null, null, null, null, null, 1);

    /// <summary>Parses the raw query values; every error names its field in Chinese and nothing is shown for a bad filter.</summary>
    public static (DashboardFilter Filter, Dictionary<string, string[]> Errors) Parse(string? year, string? unit, string? category, string? source, string? page)
    {
        var errors = new Dictionary<string, string[]>();
        int? y = null;
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (int.TryParse(year.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 2000 and <= 2100)
            {
                y = parsed;
            }
            else
            {
                errors["year"] = ["年度应为 2000 至 2100 之间的四位年份，例如 2021。"];
            }
        }

        Guid? unitId = null;
        string? unitText = null;
        if (!string.IsNullOrWhiteSpace(unit))
        {
            if (Guid.TryParse(unit.Trim(), out var id))
            {
                unitId = id;
            }
            else if (unit.Trim().Length > 100)
            {
                errors["unit"] = ["单位名称过长（不超过 100 字）。"];
            }
            else
            {
                unitText = unit.Trim();
            }
        }

        FindingSource? s = null;
        if (!string.IsNullOrWhiteSpace(source))
        {
            s = FindingLabels.ParseSource(source.Trim());
            if (s is null)
            {
                errors["source"] = ["来源应为 ThirdParty（第三方评价）、Audit（审计）、Inspection（巡察）或 SelfEvaluation（自评）。"];
            }
        }

        var p = 1;
        if (!string.IsNullOrWhiteSpace(page) && !(int.TryParse(page.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out p) && p is >= 1 and <= 100_000))
        {
            errors["p"] = ["页码应为正整数。"];
            p = 1;
        }

        var c = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
        return (new DashboardFilter(y, unitId, unitText, c, s, p), errors);
    }

    /// <summary>Organisations whose full or short name contains the unit text, as a subquery (never loaded).</summary>
    public IQueryable<Guid> NamedUnits(AppDbContext db) =>
        db.Organisations.NamedLike(UnitText!).Select(o => o.Id);

    /// <summary>The year and unit conditions on any set that has a fiscal year and an owning organisation.</summary>
    public IQueryable<T> ByYearAndUnit<T>(AppDbContext db, IQueryable<T> query, Expression<Func<T, int>> year, Expression<Func<T, Guid>> organisation)
    {
        if (Year is { } y)
        {
            query = query.Where(Expression.Lambda<Func<T, bool>>(Expression.Equal(year.Body, Parameter(y)), year.Parameters));
        }

        if (UnitId is { } id)
        {
            query = query.Where(Expression.Lambda<Func<T, bool>>(Expression.Equal(organisation.Body, Parameter(id)), organisation.Parameters));
        }
        else if (UnitText is not null)
        {
            var contains = Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(Guid)], NamedUnits(db).Expression, organisation.Body);
            query = query.Where(Expression.Lambda<Func<T, bool>>(contains, organisation.Parameters));
        }

        return query;
    }

    /// <summary>A captured value, which EF sends as a SQL parameter (a constant would be inlined and cached per value).</summary>
    private static Expression Parameter<TValue>(TValue value) => ((Expression<Func<TValue>>)(() => value)).Body;

    public IQueryable<Finding> Findings(AppDbContext db)
    {
        var query = ByYearAndUnit(db, db.Findings.AsNoTracking(), f => f.FiscalYear, f => f.OrganisationId);
        if (Category is { } category)
        {
            query = query.Where(f => f.Category == category);
        }

        if (Source is { } source)
        {
            query = query.Where(f => f.Source == source);
        }

        return query;
    }

    /// <summary>The same year and unit conditions for the raw SQL queries (jsonb), with their parameters.</summary>
    public (string Sql, List<Npgsql.NpgsqlParameter> Parameters) SqlWhere(string alias)
    {
        var sql = new System.Text.StringBuilder();
        var parameters = new List<Npgsql.NpgsqlParameter>();
        if (Year is { } year)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {alias}.\"FiscalYear\" = @year");
            parameters.Add(new("year", year));
        }

        if (UnitId is { } id)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {alias}.\"OrganisationId\" = @unit");
            parameters.Add(new("unit", id));
        }
        else if (UnitText is { } text)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {alias}.\"OrganisationId\" IN (SELECT o.\"Id\" FROM {AppDbContext.Schema}.organisations o WHERE strpos(o.\"Name\", @unitText) > 0 OR strpos(o.\"ShortName\", @unitText) > 0)");
            parameters.Add(new("unitText", text));
        }

        return (sql.ToString(), parameters);
    }

    /// <summary>Query-string values for links (export, paging) that keep the current filters.</summary>
    public Dictionary<string, string?> Route(int? page = null) => new()
    {
        ["year"] = Year?.ToString(CultureInfo.InvariantCulture),
        ["unit"] = UnitId?.ToString() ?? UnitText,
        ["category"] = Category,
        ["source"] = Source?.ToString(),
        ["p"] = page?.ToString(CultureInfo.InvariantCulture),
    };
}
