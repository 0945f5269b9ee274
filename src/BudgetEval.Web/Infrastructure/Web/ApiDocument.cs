using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BudgetEval.Web.Infrastructure.Web;

/// <summary>
/// What the OpenAPI document says about the API as a whole. The generator only sees the handlers' signatures,
/// so a client generated from it would not know the refusals, the paging, the uploads or how to authenticate;
/// this fills that in by route pattern and method, not per endpoint. The success bodies and codes are the
/// endpoints' own (.Produces&lt;T&gt;() of the record the handler answers, <see cref="ProducesFile"/> for downloads).
/// </summary>
internal static partial class ApiDocument
{
    public const string BearerScheme = "Bearer";

    public const string ProblemSchema = "ProblemDetails";

    public const string ImportProblemSchema = "ImportProblem";

    public const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = SchemaName;
        options.AddSchemaTransformer(DescribeSchemaAsync);
        options.AddDocumentTransformer(DescribeAsync);
    }

    /// <summary>What a stored attachment or evidence file may be (the types Attachments accepts), for their downloads.</summary>
    public static readonly string[] AttachmentContentTypes = SelfEvaluations.Attachments.ContentTypes;

    /// <summary>A file download: the document names its content types with a binary body (Stream is described as string/binary).</summary>
    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.Produces<Stream>(StatusCodes.Status200OK, contentTypes[0], contentTypes[1..]);

    /// <summary>Lists read through ApiPage: ?page=&amp;pageSize= and the X-Page / X-Page-Size / X-Has-Next / Link headers.</summary>
    private static readonly HashSet<string> Paged = new(StringComparer.Ordinal)
    {
        "GET /api/organisations",
        "GET /api/inbox",
        "GET /api/inbox/done",
        "GET /api/self-evaluations",
        "GET /api/notifications",
        "GET /api/plans/{id}",
        "GET /api/evaluations",
        "GET /api/evaluations/proposals",
        "GET /api/findings",
    };

    /// <summary>POSTs that answer a repeated Idempotency-Key with the first answer instead of acting twice.</summary>
    private static readonly HashSet<string> Idempotent = new(StringComparer.Ordinal)
    {
        "POST /api/cases/{id}/actions/{action}",
        "POST /api/cases/{id}/tasks/{workItemId}/claim",
        "POST /api/cases/{id}/tasks/{workItemId}/release",
        "POST /api/cases/{id}/tasks/{workItemId}/delegate",
        "POST /api/cases/{id}/tasks/{workItemId}/reassign",
        "POST /api/cases/{id}/alter",
        "POST /api/evaluations/{id}/actions/{action}",
        "POST /api/self-evaluations",
        "POST /api/evaluations",
        "POST /api/plans",
        "POST /api/findings",
    };

    /// <summary>Uploads whose refused file answers the import problem (errors by row and column), not the field map.</summary>
    private static readonly HashSet<string> Imports = new(StringComparer.Ordinal)
    {
        "POST /api/self-evaluations/{id}/indicators/import",
        "POST /api/evaluations/{id}/scores/import",
        "POST /api/findings/import",
    };

    /// <summary>Uploads that read a required form field besides <c>file</c>: its name and description.</summary>
    private static readonly Dictionary<string, (string Name, string Description)> UploadFields = new(StringComparer.Ordinal)
    {
        ["POST /api/evaluations/{id}/scores/import"] = ("expectedVersion",
            "评价的版本号（GET /api/evaluations/{id} 返回的 version）：评价在读取后被他人保存过即拒绝（409），不会覆盖他人保存的评分。"),
    };

    /// <summary>Refusals outside the general rule below.</summary>
    private static readonly Dictionary<string, (int Status, string Description)[]> ExtraRefusals = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/login"] =
        [
            (StatusCodes.Status401Unauthorized, "登录失败：用户名不存在、密码错误、账户已锁定或所属单位停用，答复相同，不区分原因。"),
            (StatusCodes.Status403Forbidden, "密码已由管理员重置：须先在网页上修改密码。"),
            (StatusCodes.Status429TooManyRequests, "此网络地址登录失败次数过多：按 Retry-After（秒）等待后再试。"),
        ],
        ["POST /api/auth/refresh"] = [(StatusCodes.Status401Unauthorized, "refreshToken 无效或已过期：请重新登录。")],
        // The year's results name what is missing in the year with 404, for actions too.
        ["PUT /api/results/{year}/publication/{subjectKind}/{subjectId}"] = [(StatusCodes.Status404NotFound, "该年度没有这一评价对象。")],
        ["DELETE /api/results/{year}/publication/{subjectKind}/{subjectId}"] = [(StatusCodes.Status404NotFound, "该年度没有这一评价对象。")],
        ["POST /api/results/{year}/approval"] = [(StatusCodes.Status404NotFound, "该年度没有可审定的结果。")],
        ["POST /api/results/{year}/approval/reopen"] = [(StatusCodes.Status404NotFound, "该年度没有可审定的结果。")],
        // A DELETE meets no stale version, but a file already gone to the bureau (or already deleted) is a conflict.
        ["DELETE /api/findings/{id}/evidence/{evidenceId}"] =
            [(StatusCodes.Status409Conflict, "不能删除：该佐证材料已随整改结果报送财政局，或已被删除，或整改事项已不在单位办理环节（制定整改方案、整改落实）。")],
    };

    /// <summary>Text fields that carry an enum's names (the handler parses them), by schema and property.</summary>
    private static readonly (string Schema, string Property, Type Enum)[] EnumNamedText =
    [
        ("TargetInput", "kind", typeof(Plans.EvaluationKind)),
        ("TargetRequest", "kind", typeof(Plans.EvaluationKind)),
        ("SelfEvaluationListItem", "kind", typeof(Plans.EvaluationKind)),
        ("OrganisationDto", "kind", typeof(Organisations.OrganisationKind)),
        ("MeResponse", "organisationKind", typeof(Organisations.OrganisationKind)),
        ("FindingInput", "source", typeof(Findings.FindingSource)),
        ("FindingDto", "status", typeof(Findings.FindingStatus)),
        ("FindingDto", "source", typeof(Findings.FindingSource)),
        ("RectificationDetail", "status", typeof(Findings.FindingStatus)),
        ("FollowUpItemDto", "status", typeof(Findings.FindingStatus)),
        ("FollowUpItemDto", "currentStatus", typeof(Findings.FindingStatus)),
        ("ProposalFinding", "status", typeof(Findings.FindingStatus)),
        ("BureauFilters", "source", typeof(Findings.FindingSource)),
        ("ChartDto", "kind", typeof(Dashboards.ChartKind)),
        ("SelfEvaluationDetail", "kind", typeof(Plans.EvaluationKind)),
        ("FundsDto", "rule", typeof(Plans.FundsRule)),
        ("PlanListItem", "status", typeof(Plans.PlanStatus)),
        ("PlanDto", "status", typeof(Plans.PlanStatus)),
        ("PlanTargetDto", "kind", typeof(Plans.EvaluationKind)),
        ("EvaluationListItem", "kind", typeof(Plans.EvaluationKind)),
        ("EvaluationProposalDto", "kind", typeof(Plans.EvaluationKind)),
        ("EvaluationDetail", "kind", typeof(Plans.EvaluationKind)),
        ("ResultLine", "kind", typeof(Plans.EvaluationKind)),
    ];

    /// <summary>Query parameters that carry an enum's names, by "METHOD /path" and parameter.</summary>
    private static readonly (string Operation, string Parameter, Type Enum)[] EnumNamedQuery =
    [
        ("GET /api/findings", "status", typeof(Findings.FindingStatus)),
        ("GET /api/findings", "source", typeof(Findings.FindingSource)),
        ("GET /api/findings/export.xlsx", "status", typeof(Findings.FindingStatus)),
        ("GET /api/findings/export.xlsx", "source", typeof(Findings.FindingSource)),
        ("GET /api/results/{year}", "kind", typeof(Plans.EvaluationKind)),
        ("GET /api/results/{year}/export.xlsx", "kind", typeof(Plans.EvaluationKind)),
    ];

    /// <summary>Query parameters that take one of a few words, by "METHOD /path" and parameter: their values and what they mean.</summary>
    private static readonly (string Operation, string Parameter, IReadOnlyList<(string Id, string Label)> Values, string Description)[] WordQuery =
    [
        ("GET /api/self-evaluations", "kind", SelfEvaluations.SelfEvaluationFilter.Kinds, "类型：DepartmentWide 部门整体，Project 项目；省略为全部。"),
        ("GET /api/self-evaluations", "late", SelfEvaluations.SelfEvaluationFilter.LateChoices,
            "逾期：late 逾期提交（在截止日期之后提交），overdue 已逾期（有超过办理期限的待办）；省略为全部。"),
        ("GET /api/self-evaluations", "sort", SelfEvaluations.SelfEvaluationFilter.Sorts,
            "排序：created 新建时间（最新在前，默认），submitted 提交时间（最近一次提交最早的在前，从未提交的在最后）。"),
    ];

    /// <summary>Names a generated client can use: anonymous answers stay inline, and the evaluation's
    /// problem (问题清单 row) is not mistaken for an RFC 7807 problem.</summary>
    private static string? SchemaName(JsonTypeInfo type)
    {
        if (type.Type.Name.StartsWith("<>", StringComparison.Ordinal))
        {
            return null;
        }

        return type.Type == typeof(Evaluations.Problem) ? "EvaluationProblem" : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
    }

    public static Task DescribeSchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        // Numbers are written as numbers; the web defaults also read numeric strings, a leniency not worth advertising.
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        var clr = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (clr == typeof(decimal))
        {
            schema.Format = "decimal"; // money and scores are exact decimals, not binary floating point ("double")
        }

        if (clr.IsEnum)
        {
            // The enums the API exposes are written by name (JsonStringEnumConverter).
            var nullable = schema.Type is { } t && (t & JsonSchemaType.Null) != 0;
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Enum = EnumNames(clr, nullable);
        }

        // A map whose values may be null (string?) says so: the generator reads the dictionary's type, not its annotations.
        if (context.JsonPropertyInfo?.AttributeProvider is PropertyInfo property && schema.AdditionalProperties is OpenApiSchema { Type: { } valueType } values
            && new NullabilityInfoContext().Create(property) is { GenericTypeArguments: [_, { ReadState: NullabilityState.Nullable }] })
        {
            values.Type = valueType | JsonSchemaType.Null;
        }

        // Only a non-nullable constructor parameter without a default must be sent; a nullable one may be left out.
        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            var required = context.JsonTypeInfo.Properties.Where(IsRequired).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            schema.Required = required.Count > 0 ? required : null;
        }

        return Task.CompletedTask;
    }

    private static bool IsRequired(JsonPropertyInfo property) =>
        property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false }
        || property.AttributeProvider?.IsDefined(typeof(ConcurrencyTokenAttribute), inherit: false) == true;

    public static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Description = Conventions;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            // Not a JWT: ASP.NET Core Identity's bearer token is opaque (data-protected); clients must not parse it.
            Description = "POST /api/auth/login（userName, password）取得 accessToken（不透明令牌，不是 JWT，请勿解析），"
                + "以 Authorization: Bearer <accessToken> 调用其他接口；过期后用 POST /api/auth/refresh 换取新令牌；"
                + "POST /api/auth/logout 退出本次登录（其访问令牌和刷新令牌立即失效）。",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Schemas[ProblemSchema] = ProblemDetailsSchema();
        document.Components.Schemas[ImportProblemSchema] = ImportProblemDetailsSchema();
        document.Components.Schemas["AccessTokenResponse"] = AccessTokenSchema();
        document.Components.Schemas.Remove("JsonElement"); // the funds body, described below instead
        // The downloads' Stream, inlined below as string/binary; uploads read the request (UploadBody).
        document.Components.Schemas.Remove("IFormFile");
        document.Components.Schemas.Remove("Stream");
        foreach (var (schemaName, property, enumType) in EnumNamedText)
        {
            if (document.Components.Schemas.TryGetValue(schemaName, out var named) && named is OpenApiSchema { Properties: { } properties }
                && properties.TryGetValue(property, out var field) && field is OpenApiSchema text)
            {
                text.Enum = EnumNames(enumType, (text.Type & JsonSchemaType.Null) != 0);
            }
        }

        foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
        {
            var path = "/" + RouteConstraint().Replace(description.RelativePath?.TrimEnd('/') ?? string.Empty, "{$1}");
            if (description.HttpMethod is not { } method
                || document.Paths?.GetValueOrDefault(path)?.Operations?.GetValueOrDefault(new HttpMethod(method)) is not { } operation)
            {
                continue;
            }

            Describe(document, operation, description, $"{method.ToUpperInvariant()} {path}");
        }

        return Task.CompletedTask;
    }

    private static void Describe(OpenApiDocument document, OpenApiOperation operation, ApiDescription description, string key)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (anonymous)
        {
            operation.Security = []; // overrides the document's bearer requirement
        }

        var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
        var isRead = method is "GET" or "HEAD";
        var upload = !isRead && metadata.OfType<MethodInfo>().Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(HttpRequest)));
        if (upload)
        {
            operation.RequestBody = UploadBody(UploadFields.TryGetValue(key, out var field) ? field : null);
        }

        if (key == "PUT /api/self-evaluations/{id}/funds")
        {
            operation.RequestBody = FundsBody();
        }

        operation.Responses ??= [];
        DescribeSuccess(operation);

        if (Paged.Contains(key))
        {
            DescribePaging(operation);
        }

        if (Idempotent.Contains(key))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = false,
                Description = $"可选，最长 {IdempotencyKeys.MaxLength} 个字符：同一用户以同一键重发时，返回第一次的结果而不重复办理（网络中断后可安全重试）。",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyKeys.MaxLength },
            });
        }

        if (key == "POST /api/auth/login" || key == "POST /api/auth/refresh")
        {
            SetSuccess(operation, StatusCodes.Status200OK, new OpenApiSchemaReference("AccessTokenResponse", document));
        }

        foreach (var (_, parameterName, enumType) in EnumNamedQuery.Where(q => q.Operation == key))
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == parameterName) is OpenApiParameter { Schema: OpenApiSchema schema })
            {
                schema.Enum = EnumNames(enumType, nullable: false);
            }
        }

        foreach (var (_, parameterName, values, text) in WordQuery.Where(q => q.Operation == key))
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == parameterName) is OpenApiParameter { Schema: OpenApiSchema schema } parameter)
            {
                parameter.Description = text + "其他值答 400，在 errors." + parameterName + " 下说明。";
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v.Id))];
            }
        }

        // The refusals every API call can meet, by the rules of ApiProblems / AccessDenied / RequestProblemsMiddleware.
        var hasBody = operation.RequestBody is not null;
        var hasQuery = operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true;
        if (!isRead || hasQuery || hasBody)
        {
            if (Imports.Contains(key))
            {
                AddImportProblem(document, operation);
            }
            else
            {
                AddProblem(document, operation, StatusCodes.Status400BadRequest, "请求有误：参数或字段的值无效（errors 按字段列出原因）。");
            }
        }

        if (!anonymous)
        {
            AddProblem(document, operation, StatusCodes.Status401Unauthorized, "未登录：缺少 Bearer 令牌，或令牌已过期。");
            if (isRead)
            {
                AddProblem(document, operation, StatusCodes.Status404NotFound, "未找到：记录不存在，或不在您的数据范围内（读取被拒绝一律答 404）。");
            }
            else
            {
                AddProblem(document, operation, StatusCodes.Status403Forbidden, "无权操作：您的角色不能办理，或记录不存在/不在您的数据范围内（操作被拒绝一律答 403）。");
            }

            if (method is "POST" or "PUT")
            {
                AddProblem(document, operation, StatusCodes.Status409Conflict, "数据冲突：记录已被他人修改（expectedVersion / stamp 过期），请刷新后重试。");
                AddProblem(document, operation, StatusCodes.Status422UnprocessableEntity, "无法办理：请求可以理解，但业务规则不允许（例如当前状态不能执行该操作）。");
            }
        }

        foreach (var (status, text) in ExtraRefusals.GetValueOrDefault(key) ?? [])
        {
            AddProblem(document, operation, status, text);
        }

        if (hasBody)
        {
            AddProblem(document, operation, StatusCodes.Status413PayloadTooLarge, "内容过大：请求体超过 App:MaxRequestBodyMegabytes，或文件超过该接口的上限。");
        }

        if (hasBody && !upload)
        {
            AddProblem(document, operation, StatusCodes.Status415UnsupportedMediaType, "内容类型不支持：请以 application/json 提交。");
        }

        AddProblem(document, operation, StatusCodes.Status503ServiceUnavailable, "服务器繁忙或数据库暂时不可用：按 Retry-After（秒）稍后重试；重试前先确认上次操作是否已完成。");
        if (operation.Responses[StatusCodes.Status503ServiceUnavailable.ToString(System.Globalization.CultureInfo.InvariantCulture)] is OpenApiResponse busy)
        {
            busy.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "建议等待的秒数。", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
        }
    }

    /// <summary>
    /// The success answers are the endpoints' own (.Produces): a 201 says where the new record is, a 204 has no body,
    /// and the framework's bare default 200 is dropped where the endpoint declared another success.
    /// </summary>
    private static void DescribeSuccess(OpenApiOperation operation)
    {
        var responses = operation.Responses!;
        if ((responses.ContainsKey("201") || responses.ContainsKey("204"))
            && responses.TryGetValue("200", out var ok) && ok is OpenApiResponse { Content: null or { Count: 0 } })
        {
            responses.Remove("200");
        }

        if (responses.GetValueOrDefault("201") is OpenApiResponse created)
        {
            created.Description = "已创建；Location 头给出新记录的地址。";
            created.Headers ??= new Dictionary<string, IOpenApiHeader>();
            created.Headers["Location"] = Header("新记录的地址。", JsonSchemaType.String);
        }

        if (responses.ContainsKey("204"))
        {
            responses["204"] = new OpenApiResponse { Description = "已完成（无内容）。" };
        }

        // A download (ProducesFile) is the file itself, whatever component the generator filed Stream under.
        foreach (var response in responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).OfType<OpenApiResponse>())
        {
            foreach (var media in (response.Content ?? new Dictionary<string, OpenApiMediaType>()).Where(m => !m.Key.Contains("json", StringComparison.Ordinal)))
            {
                media.Value.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            }

            if (response.Content?.Keys.Any(k => !k.Contains("json", StringComparison.Ordinal)) == true)
            {
                response.Description = "文件内容（Content-Disposition 给出文件名）。";
            }
        }
    }

    private static void SetSuccess(OpenApiOperation operation, int status, IOpenApiSchema schema)
    {
        operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = "OK",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    private static void DescribePaging(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(PageParameter("page", $"页码，1–{Shared.Paging.MaxPage}，默认 1。", Shared.Paging.MaxPage, 1));
        operation.Parameters.Add(PageParameter("pageSize", $"每页条数，1–{Shared.ApiPage.MaxSize}，默认 {Shared.ApiPage.DefaultSize}。", Shared.ApiPage.MaxSize, Shared.ApiPage.DefaultSize));
        if (operation.Responses?.GetValueOrDefault("200") is OpenApiResponse ok)
        {
            ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
            ok.Headers["X-Page"] = Header("本页页码。", JsonSchemaType.Integer);
            ok.Headers["X-Page-Size"] = Header("每页条数。", JsonSchemaType.Integer);
            ok.Headers["X-Has-Next"] = Header("是否还有下一页（true / false）。", JsonSchemaType.Boolean);
            ok.Headers["Link"] = Header("还有下一页时：<下一页地址>; rel=\"next\"。", JsonSchemaType.String);
        }
    }

    private static OpenApiParameter PageParameter(string name, string description, int max, int fallback) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = JsonValue.Create(fallback),
        },
    };

    private static OpenApiHeader Header(string description, JsonSchemaType type) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    private static void AddProblem(OpenApiDocument document, OpenApiOperation operation, int status, string description, string schema = ProblemSchema)
    {
        operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(schema, document) } },
        };
    }

    /// <summary>
    /// An import answers 400 in two shapes: the file's own errors by row and column (title 导入失败), and the request's
    /// (no file, no or a bad expectedVersion, an unreadable form) by field, as every other call. Both are named here, so a
    /// client reads errors as an array or as an object by the title rather than by trial.
    /// </summary>
    private static void AddImportProblem(OpenApiDocument document, OpenApiOperation operation) =>
        operation.Responses![StatusCodes.Status400BadRequest.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = "未导入任何内容。文件中有错误时 title 为「导入失败」，errors 为数组，逐条给出行、列和原因（ImportProblem）；"
                + "请求本身有误时（如缺少或写错 expectedVersion、表单无法读取），errors 为按字段列出原因的对象，或没有 errors，只有 detail（ProblemDetails）。",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new()
                {
                    Schema = new OpenApiSchema { OneOf = [new OpenApiSchemaReference(ImportProblemSchema, document), new OpenApiSchemaReference(ProblemSchema, document)] },
                },
            },
        };

    /// <param name="field">A required integer field sent with the file (<see cref="UploadFields"/>), if any.</param>
    private static OpenApiRequestBody UploadBody((string Name, string Description)? field)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "file" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "要上传的文件。" },
            },
        };
        if (field is { } f)
        {
            schema.Required.Add(f.Name);
            schema.Properties[f.Name] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "uint32", Minimum = "0", Description = f.Description };
        }

        return new()
        {
            Required = true,
            Description = field is { } named ? $"multipart/form-data，文件放在字段 file 中，并须提交字段 {named.Name}。" : "multipart/form-data，文件放在字段 file 中。",
            Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } },
        };
    }

    /// <summary>PUT …/funds reads its body by hand (to name a wrong amount in Chinese); this is the shape it reads.</summary>
    private static OpenApiRequestBody FundsBody()
    {
        static OpenApiSchema Money(string description) =>
            new() { Type = JsonSchemaType.Number | JsonSchemaType.Null, Format = "decimal", Description = description };

        var row = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "name" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["name"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "资金明细的名称。" },
                ["budget"] = Money("年初预算数（万元）。"),
                ["executed"] = Money("执行数（万元）。"),
                ["upperTransfer"] = Money("上级转移支付（万元）。"),
            },
        };
        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "自评表的资金情况；省略或为 null 的金额视为未填。",
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["budget"] = Money("年初预算数（万元）。"),
                            ["executed"] = Money("全年执行数（万元）。"),
                            ["upperTransfer"] = Money("其中上级转移支付（万元），未填为 0。"),
                            ["rows"] = new OpenApiSchema { Type = JsonSchemaType.Array | JsonSchemaType.Null, Items = row, Description = "资金明细；省略或为 null 时保持原样。" },
                            ["expectedVersion"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "uint32", Minimum = "0", Description = "必填：记录当前版本号（GET /api/self-evaluations/{id} 返回的 version），防止覆盖他人的修改。" },
                        },
                        Required = new HashSet<string> { "expectedVersion" },
                    },
                },
            },
        };
    }

    private static OpenApiSchema ProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 问题详情（中文）。",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "简短的标题，如「提交的数据有误」。" },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "可直接展示给用户的说明。" },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "按字段列出的原因（字段名 → 原因列表）；空字段名为整体原因。",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    private static OpenApiSchema ImportProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "导入失败：文件中的每处错误（行、列、原因），未导入任何内容。",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["row"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "行号；0 为整个文件。" },
                        ["column"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };

    private static OpenApiSchema AccessTokenSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "tokenType", "accessToken", "expiresIn", "refreshToken" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["tokenType"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Bearer" },
            ["accessToken"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "不透明令牌（不是 JWT）。" },
            ["expiresIn"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "有效秒数。" },
            ["refreshToken"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "用于 POST /api/auth/refresh。" },
        },
    };

    private static List<JsonNode> EnumNames(Type enumType, bool nullable)
    {
        var names = Enum.GetNames(enumType).Select(n => (JsonNode)JsonValue.Create(n)).ToList();
        if (nullable)
        {
            names.Add(null!); // JSON Schema: null is one of the allowed values of a nullable field
        }

        return names;
    }

    // The document's paths drop route constraints ({id:guid} is /{id}); the descriptions keep them.
    [System.Text.RegularExpressions.GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();

    /// <summary>info.description: the conventions every resource follows, which no schema can say.</summary>
    internal const string Conventions =
        """
        预算绩效管理系统接口。约定：
        - 状态：自评（self-evaluation）与重点评价（evaluation）的 status 是流程状态的 id，为 snake_case（如 draft、unit_review），中文见 statusLabel；整改问题（finding）的 status、source 与评价计划（plan）的 status、各处的 kind 为 PascalCase 的枚举名（如 InProgress、ThirdParty、DepartmentWide）。
        - 时间戳：UTC，ISO 8601 且带时差（如 2026-03-31T16:00:00+00:00）。
        - 只有日期的字段：yyyy-MM-dd，按北京时间的日历。
        - 期限：截止日 D 表示为 dueAt = D+1 日 00:00（北京时间，不含该时刻），即 D 日 16:00 UTC。
        - 金额：单位万元，为十进制数字（JSON number）。
        - 错误：application/problem+json，title/detail 为中文，errors 按字段列出原因。
        - 列表分页：?page=&pageSize=，响应头 X-Page、X-Page-Size、X-Has-Next 与 Link（rel="next"）。
        """;
}
