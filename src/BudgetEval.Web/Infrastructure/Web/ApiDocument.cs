using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// What the OpenAPI document says about the API as a whole: every call but the login takes a bearer token
/// (a client generated from the document would otherwise not know how to authenticate).
/// </summary>
internal static class ApiDocument
{
    public const string BearerScheme = "Bearer";

    public static Task AddBearerAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "POST /api/auth/login（userName, password）取得 accessToken，以 Authorization: Bearer <accessToken> 调用其他接口。",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        return Task.CompletedTask;
    }
}
