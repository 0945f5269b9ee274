using System.Collections;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// JSON lets a list hold null ("rows": [null]) where every request type expects an item; the endpoints would
/// meet it as a NullReferenceException. On every API endpoint with a JSON body, this filter answers 400 naming
/// the list and the position before the endpoint runs. Only the body is looked at: services and the rest of
/// the arguments are never enumerated.
/// </summary>
internal static class NoNullItems
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var services = factory.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var bodies = factory.MethodInfo.GetParameters()
            .Select((p, i) => (Parameter: p, Index: i))
            .Where(x => IsJsonBody(x.Parameter, services))
            .Select(x => (x.Index, Lists: ListProperties(x.Parameter.ParameterType)))
            .Where(x => x.Lists.Length > 0)
            .ToArray();
        if (bodies.Length == 0)
        {
            return next; // nothing to look at: no cost on the endpoint
        }

        return async context =>
        {
            foreach (var (index, lists) in bodies)
            {
                if (context.Arguments[index] is { } body && Problem(body, lists) is { } problem)
                {
                    return ApiProblems.Validation(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] });
                }
            }

            return await next(context);
        };
    }

    // The project's own request records, bound from the body (not services, route values, query or files).
    private static bool IsJsonBody(ParameterInfo p, IServiceProviderIsService services) =>
        p.ParameterType.Namespace?.StartsWith("BudgetEval.", StringComparison.Ordinal) == true
        && !services.IsService(p.ParameterType)
        && p.GetCustomAttributes().All(a => a is not (FromServicesAttribute or FromQueryAttribute or FromRouteAttribute or FromHeaderAttribute or FromFormAttribute or AsParametersAttribute));

    /// <summary>The refusal of a null item, also for the endpoints that read their JSON by hand (the funds PUT).</summary>
    public static string Message(string field, int position) => $"「{field}」的第 {position} 项为空。";

    private static (string Field, string Message)? Problem(object body, PropertyInfo[] lists)
    {
        foreach (var property in lists)
        {
            if (property.GetValue(body) is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    i++;
                    if (item is null)
                    {
                        var field = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                        return (field, Message(field, i));
                    }
                }
            }
        }

        return null;
    }

    private static PropertyInfo[] ListProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType != typeof(string) && p.PropertyType.IsGenericType
                && typeof(IEnumerable).IsAssignableFrom(p.PropertyType) && p.GetIndexParameters().Length == 0
                && !p.PropertyType.GetGenericArguments()[0].IsValueType) // a list of numbers cannot hold null
            .ToArray();
}
