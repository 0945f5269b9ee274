namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// A request body's concurrency token (<c>stamp</c>, <c>stamps</c>, <c>expectedVersion</c>) that a save of an existing
/// record must send. The OpenAPI document lists it as required; the property stays nullable in C# so that a missing
/// token reaches the endpoint, which answers 400 with a Chinese message naming it and the GET that provides it
/// (after the access checks), instead of the serializer's generic refusal or a silent 0.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class ConcurrencyTokenAttribute : Attribute;
