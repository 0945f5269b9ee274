using System.Linq.Expressions;
using System.Reflection;
using BudgetEval.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace BudgetEval.Web.Infrastructure.Data;

/// <summary>
/// The names of the data-scope filters (ADR 0014). Every organisation-owned entity carries both; together
/// they see nothing. Which of them a query keeps depends on who asks, and <see cref="ScopedQueryCompiler"/>
/// decides it: the bureau keeps neither, a unit keeps <see cref="Unit"/>, a firm <see cref="Firm"/>, and a
/// caller without a scope keeps both.
/// </summary>
internal static class ScopeFilters
{
    public const string Unit = "scope-unit";

    public const string Firm = "scope-firm";

    /// <summary>The filters a query of this kind of caller does not apply.</summary>
    public static IReadOnlyCollection<string>? Ignored(DataScopeKind kind) => kind switch
    {
        DataScopeKind.All => Both,
        DataScopeKind.Unit => FirmOnly,
        DataScopeKind.Firm => UnitOnly,
        _ => null,
    };

    // One instance each: the array is part of EF's query cache key and compares by reference.
    private static readonly string[] Both = [Unit, Firm];
    private static readonly string[] FirmOnly = [Firm];
    private static readonly string[] UnitOnly = [Unit];
}

/// <summary>
/// Adds <c>IgnoreQueryFilters([...])</c> for the caller's kind of scope to every query before EF Core looks it
/// up in its cache, so each kind gets its own cached query and its own SQL text: none for the bureau,
/// <c>"OrganisationId" = $1</c> for a unit. PostgreSQL plans such a text once and keeps the plan; the
/// single filter it replaces (<c>$1 OR "OrganisationId" = $2 …</c>) had to be planned on every execution.
/// Compiled queries are compiled for every kind on first use and chosen per execution.
/// </summary>
#pragma warning disable EF1001 // QueryCompiler is EF's internal API; this is the one place that extends it, see ADR 0014.
internal sealed class ScopedQueryCompiler : QueryCompiler
{
    private readonly ICurrentDbContext _currentContext;

    public ScopedQueryCompiler(
        IQueryContextFactory queryContextFactory,
        ICompiledQueryCache compiledQueryCache,
        ICompiledQueryCacheKeyGenerator compiledQueryCacheKeyGenerator,
        IDatabase database,
        IDiagnosticsLogger<DbLoggerCategory.Query> logger,
        ICurrentDbContext currentContext,
        IEvaluatableExpressionFilter evaluatableExpressionFilter,
        IModel model)
        : base(queryContextFactory, compiledQueryCache, compiledQueryCacheKeyGenerator, database, logger, currentContext, evaluatableExpressionFilter, model)
    {
        _currentContext = currentContext;
    }

    private static readonly MethodInfo IgnoreNamed = typeof(EntityFrameworkQueryableExtensions).GetMethods()
        .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.IgnoreQueryFilters) && m.GetParameters().Length == 2);

    public override TResult Execute<TResult>(Expression query) => base.Execute<TResult>(ForCaller(query, Kind(_currentContext.Context)));

    public override TResult ExecuteAsync<TResult>(Expression query, CancellationToken cancellationToken = default) =>
        base.ExecuteAsync<TResult>(ForCaller(query, Kind(_currentContext.Context)), cancellationToken);

    public override Func<QueryContext, TResult> CreateCompiledQuery<TResult>(Expression query) =>
        PerKind(kind => base.CreateCompiledQuery<TResult>(ForCaller(query, kind)));

    public override Func<QueryContext, TResult> CreateCompiledAsyncQuery<TResult>(Expression query) =>
        PerKind(kind => base.CreateCompiledAsyncQuery<TResult>(ForCaller(query, kind)));

    // All kinds at once, while the context that asked is in use: compiling reads it.
    private static Func<QueryContext, TResult> PerKind<TResult>(Func<DataScopeKind, Func<QueryContext, TResult>> compile)
    {
        var variants = Enum.GetValues<DataScopeKind>().ToDictionary(k => k, compile);
        return queryContext => variants[Kind(queryContext.Context)](queryContext);
    }

    // A context that is not ours (none exists today) keeps every filter: it sees nothing.
    private static DataScopeKind Kind(DbContext context) => context is AppDbContext app ? app.CurrentScope.Kind : DataScopeKind.Nothing;

    private static Expression ForCaller(Expression query, DataScopeKind kind) =>
        ScopeFilters.Ignored(kind) is { } names ? Wrap(query, Expression.Constant(names, typeof(IReadOnlyCollection<string>))) : query;

    /// <summary>
    /// EF reads IgnoreQueryFilters anywhere in a query as applying to the whole query, so the outermost queryable
    /// is wrapped: the query itself, or the source of the operator that ends it (Count, First, ExecuteUpdate…),
    /// or of a projection to values.
    /// A query of another shape keeps every filter and sees less, never more.
    /// </summary>
    private static Expression Wrap(Expression query, ConstantExpression names)
    {
        if (ElementType(query.Type) is { IsValueType: false } element) // IgnoreQueryFilters wants a class: below Select(x => x.Id) then
        {
            return Expression.Call(IgnoreNamedFor.GetOrAdd(element, static t => IgnoreNamed.MakeGenericMethod(t)), query, names);
        }

        return query is MethodCallExpression { Object: null, Arguments.Count: > 0 } terminal
            ? terminal.Update(null, [Wrap(terminal.Arguments[0], names), .. terminal.Arguments.Skip(1)])
            : query;
    }

    // Per query, so made once per entity type (MakeGenericMethod allocates and validates every time).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, MethodInfo> IgnoreNamedFor = new();

    // Per query, so looked up once per type (GetInterfaces allocates).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type?> ElementTypes = new();

    private static Type? ElementType(Type type) => ElementTypes.GetOrAdd(type, static t =>
        (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IQueryable<>) ? t : t.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IQueryable<>)))?.GetGenericArguments()[0]);
}
#pragma warning restore EF1001
