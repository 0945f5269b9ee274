using System.Text.Json;
using BudgetEval.Tests.Infrastructure;

namespace BudgetEval.Tests.OpenApi;

/// <summary>
/// The document an integrator generates a client from (/openapi/v1.json, loaded from the running app) tells
/// the truth: refusals, success codes, paging, idempotency, uploads, number and enum types, required fields,
/// which calls need no token, readable schema names and the conventions no schema can say.
/// </summary>
public sealed class OpenApiDocumentTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = app.Anonymous();
        var json = await client.GetStringAsync("/openapi/v1.json");
        if (Environment.GetEnvironmentVariable("BUDGETEVAL_OPENAPI_DUMP") is { Length: > 0 } dump)
        {
            await File.WriteAllTextAsync(dump, json);
        }

        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)).Select(o => (o.Name.ToUpperInvariant(), p.Name, o.Value)));

    private static JsonElement Operation(JsonElement document, string method, string path) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());

    private static JsonElement Schema(JsonElement document, string name) =>
        document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static string? ProblemRef(JsonElement operation, string status) =>
        operation.GetProperty("responses").TryGetProperty(status, out var response)
            && response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var media)
            && media.GetProperty("schema").TryGetProperty("$ref", out var reference)
            ? reference.GetString()
            : null;

    /// <summary>The problem schemas a response names as alternatives (oneOf); none for a single one.</summary>
    private static List<string?> ProblemShapes(JsonElement operation, string status) =>
        operation.GetProperty("responses").TryGetProperty(status, out var response)
            && response.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").TryGetProperty("oneOf", out var shapes)
            ? [.. shapes.EnumerateArray().Select(s => s.GetProperty("$ref").GetString())]
            : [];

    private static bool IsAnonymous(JsonElement operation) =>
        operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;

    // 5. Responses

    [Fact]
    public async Task Given_the_document_Then_every_api_operation_declares_the_refusals_it_can_meet_as_problem_json()
    {
        var document = await DocumentAsync();
        var problem = Schema(document, "ProblemDetails");
        foreach (var field in new[] { "title", "status", "detail", "errors" })
        {
            Assert.True(problem.GetProperty("properties").TryGetProperty(field, out _), field);
        }

        var errors = problem.GetProperty("properties").GetProperty("errors");
        Assert.Equal("object", errors.GetProperty("type").GetString());
        Assert.Equal("array", errors.GetProperty("additionalProperties").GetProperty("type").GetString());
        Assert.Equal("string", errors.GetProperty("additionalProperties").GetProperty("items").GetProperty("type").GetString());

        const string Ref = "#/components/schemas/ProblemDetails";
        var api = Operations(document).Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.True(api.Count > 60, $"only {api.Count} operations");
        foreach (var (method, path, operation) in api)
        {
            var name = $"{method} {path}";
            Assert.True(ProblemRef(operation, "503") == Ref, $"{name}: 503");
            Assert.True(operation.GetProperty("responses").GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _), $"{name}: Retry-After");
            if (IsAnonymous(operation))
            {
                continue;
            }

            Assert.True(ProblemRef(operation, "401") == Ref, $"{name}: 401");
            Assert.True(ProblemRef(operation, method == "GET" ? "404" : "403") == Ref, $"{name}: refused");
            if (method is "POST" or "PUT")
            {
                Assert.True(ProblemRef(operation, "400") is not null || ProblemShapes(operation, "400").Count == 2, $"{name}: 400");
                Assert.True(ProblemRef(operation, "409") == Ref, $"{name}: 409");
                Assert.True(ProblemRef(operation, "422") == Ref, $"{name}: 422");
            }

            if (operation.TryGetProperty("requestBody", out _))
            {
                Assert.True(ProblemRef(operation, "413") == Ref, $"{name}: 413");
            }
        }

        // A JSON body sent as something else is refused by the framework; 429 only login answers (failed sign-ins per address).
        var put = Operation(document, "PUT", "/api/evaluations/{id}/scores");
        Assert.Equal(Ref, ProblemRef(put, "415"));
        Assert.DoesNotContain(Operations(document), o => o.Operation.GetProperty("responses").TryGetProperty("429", out _)
            && (o.Method, o.Path) != ("POST", "/api/auth/login"));

        // Login: every failure 401 (one answer whatever the cause, no 423), a reset password 403, too many failures
        // from one address 429; its 200 is the token answer.
        var login = Operation(document, "POST", "/api/auth/login");
        Assert.Equal(Ref, ProblemRef(login, "400"));
        Assert.Equal(Ref, ProblemRef(login, "401"));
        Assert.Equal(Ref, ProblemRef(login, "429"));
        Assert.False(login.GetProperty("responses").TryGetProperty("423", out _));
        Assert.Equal("#/components/schemas/AccessTokenResponse",
            login.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());

        // A refused import lists row, column and message; a refused request (no or a bad expectedVersion) names its field
        // as every other call does. Each import's 400 names both shapes, so a client is never surprised by the second.
        foreach (var path in new[] { "/api/self-evaluations/{id}/indicators/import", "/api/evaluations/{id}/scores/import", "/api/findings/import" })
        {
            var import = Operation(document, "POST", path);
            Assert.Equal(["#/components/schemas/ImportProblem", Ref], ProblemShapes(import, "400"));
            Assert.Contains("导入失败", import.GetProperty("responses").GetProperty("400").GetProperty("description").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("POST", "/api/self-evaluations", "201")]
    [InlineData("POST", "/api/plans", "201")]
    [InlineData("POST", "/api/self-evaluations/{id}/attachments", "201")]
    [InlineData("POST", "/api/findings/{id}/evidence", "201")]
    [InlineData("DELETE", "/api/findings/{id}/evidence/{evidenceId}", "204")]
    [InlineData("POST", "/api/notifications/{id}/read", "204")]
    [InlineData("PUT", "/api/self-evaluations/{id}/follow-up", "204")]
    [InlineData("PUT", "/api/results/rules", "204")]
    [InlineData("POST", "/api/results/{year}/approval", "204")]
    [InlineData("DELETE", "/api/results/{year}/publication/{subjectKind}/{subjectId}", "204")]
    public async Task Given_an_operation_that_does_not_answer_200_Then_the_document_says_what_it_answers(string method, string path, string status)
    {
        var responses = Operation(await DocumentAsync(), method, path).GetProperty("responses");
        Assert.True(responses.TryGetProperty(status, out _), $"{method} {path} lacks {status}");
        Assert.False(responses.TryGetProperty("200", out _), $"{method} {path} still says 200");
    }

    [Theory]
    [InlineData("/api/findings/{id}")]
    [InlineData("/api/findings/{id}/plan")]
    [InlineData("/api/findings/{id}/result")]
    [InlineData("/api/findings/{id}/requested-deadline")]
    [InlineData("/api/findings/{id}/next-deadline")]
    public async Task Given_a_finding_edit_Then_the_document_says_it_answers_200_with_the_new_stamp(string path)
    {
        var document = await DocumentAsync();
        var responses = Operation(document, "PUT", path).GetProperty("responses");
        Assert.False(responses.TryGetProperty("204", out _));
        var reference = responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = Schema(document, reference["#/components/schemas/".Length..]);
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("stamp").GetProperty("type").GetString());
        Assert.Contains("stamp", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    // 6. Paging and idempotency

    [Fact]
    public async Task Given_the_paged_lists_Then_the_document_has_their_parameters_and_headers_and_the_app_sends_those_headers()
    {
        var document = await DocumentAsync();
        string[] paged = ["/api/organisations", "/api/inbox", "/api/inbox/done", "/api/self-evaluations", "/api/notifications", "/api/plans/{id}",
            "/api/evaluations", "/api/evaluations/proposals", "/api/findings"];
        foreach (var path in paged)
        {
            var operation = Operation(document, "GET", path);
            var parameters = operation.GetProperty("parameters").EnumerateArray().ToList();
            foreach (var name in new[] { "page", "pageSize" })
            {
                var parameter = parameters.Single(p => p.GetProperty("name").GetString() == name);
                Assert.Equal("query", parameter.GetProperty("in").GetString());
                Assert.Equal("integer", parameter.GetProperty("schema").GetProperty("type").GetString());
            }

            var headers = operation.GetProperty("responses").GetProperty("200").GetProperty("headers");
            foreach (var header in new[] { "X-Page", "X-Page-Size", "X-Has-Next", "Link" })
            {
                Assert.True(headers.TryGetProperty(header, out _), $"{path}: {header}");
            }
        }

        // Not documented where the list is not paged.
        Assert.False(Operation(document, "GET", "/api/plans").TryGetProperty("parameters", out _));

        // What the document promises is what the lists do.
        using var client = await app.ApiAsync("finance");
        foreach (var path in new[] { "/api/organisations", "/api/findings", "/api/self-evaluations", "/api/notifications", "/api/inbox" })
        {
            using var response = await client.GetAsync(path + "?page=1&pageSize=1");
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("1", response.Headers.GetValues("X-Page-Size").Single());
            Assert.Contains(response.Headers.GetValues("X-Has-Next").Single(), new[] { "true", "false" });
        }
    }

    [Theory]
    [InlineData("/api/cases/{id}/actions/{action}")]
    [InlineData("/api/evaluations/{id}/actions/{action}")]
    [InlineData("/api/self-evaluations")]
    [InlineData("/api/evaluations")]
    [InlineData("/api/plans")]
    [InlineData("/api/findings")]
    public async Task Given_a_post_that_honours_idempotency_keys_Then_the_document_offers_the_optional_header(string path)
    {
        var parameters = Operation(await DocumentAsync(), "POST", path).GetProperty("parameters").EnumerateArray();
        var key = parameters.Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", key.GetProperty("in").GetString());
        Assert.False(key.TryGetProperty("required", out var required) && required.GetBoolean());
    }

    // 7. Uploads and the funds body

    [Theory]
    [InlineData("/api/self-evaluations/{id}/indicators/import")]
    [InlineData("/api/self-evaluations/{id}/attachments")]
    [InlineData("/api/evaluations/{id}/scores/import")]
    [InlineData("/api/findings/{id}/evidence")]
    public async Task Given_an_upload_Then_the_document_describes_a_multipart_body_with_a_binary_file(string path)
    {
        var body = Operation(await DocumentAsync(), "POST", path).GetProperty("requestBody");
        var schema = body.GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        var file = schema.GetProperty("properties").GetProperty("file");
        Assert.Equal("string", file.GetProperty("type").GetString());
        Assert.Equal("binary", file.GetProperty("format").GetString());
        Assert.Contains("file", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Given_the_evidence_delete_Then_the_document_says_a_submitted_or_deleted_file_answers_409()
    {
        var operation = Operation(await DocumentAsync(), "DELETE", "/api/findings/{id}/evidence/{evidenceId}");

        Assert.Contains("报送", operation.GetProperty("responses").GetProperty("409").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(operation.GetProperty("responses").TryGetProperty("403", out _));
    }

    [Fact]
    public async Task Given_the_score_import_Then_the_document_requires_expectedVersion_beside_the_file_and_says_a_stale_one_answers_409()
    {
        var operation = Operation(await DocumentAsync(), "POST", "/api/evaluations/{id}/scores/import");
        var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");

        Assert.Equal("integer", schema.GetProperty("properties").GetProperty("expectedVersion").GetProperty("type").GetString());
        Assert.Equal(["expectedVersion", "file"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal));
        Assert.Contains("409", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(operation.GetProperty("responses").TryGetProperty("409", out _));
    }

    [Fact]
    public async Task Given_the_funds_edit_Then_the_document_describes_the_body_it_reads()
    {
        var document = await DocumentAsync();
        var schema = Operation(document, "PUT", "/api/self-evaluations/{id}/funds").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var properties = schema.GetProperty("properties");
        foreach (var money in new[] { "budget", "executed", "upperTransfer" })
        {
            Assert.Contains("number", properties.GetProperty(money).GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        }

        var row = properties.GetProperty("rows").GetProperty("items").GetProperty("properties");
        Assert.Equal("string", row.GetProperty("name").GetProperty("type").GetString());
        Assert.True(row.TryGetProperty("budget", out _));
        Assert.True(properties.TryGetProperty("expectedVersion", out _));
        Assert.False(document.GetProperty("components").GetProperty("schemas").TryGetProperty("JsonElement", out _));
    }

    // 8. Schemas and security

    [Fact]
    public async Task Given_the_document_Then_numbers_are_numbers_without_a_string_alternative()
    {
        var document = await DocumentAsync();
        var offenders = new List<string>();
        Walk(document, "$", offenders);
        Assert.Empty(offenders);

        var fiscalYear = Operation(document, "GET", "/api/findings").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "fiscalYear").GetProperty("schema");
        Assert.Equal("integer", fiscalYear.GetProperty("type").GetString());
        Assert.Equal(["null", "number"], Schema(document, "SaveRequest").GetProperty("properties").GetProperty("totalBudget")
            .GetProperty("type").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
    }

    private static void Walk(JsonElement element, string at, List<string> offenders)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                if (types.Contains("string") && (types.Contains("integer") || types.Contains("number")))
                {
                    offenders.Add(at);
                }
            }

            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, $"{at}.{property.Name}", offenders);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, $"{at}[{i++}]", offenders);
            }
        }
    }

    [Fact]
    public async Task Given_the_document_Then_enum_fields_list_their_values()
    {
        var document = await DocumentAsync();
        static List<string?> Values(JsonElement schema) => schema.GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()).ToList();

        var fundsRule = Schema(document, "FundsRule");
        Assert.Equal(["Linear", "Bands"], Values(fundsRule));
        Assert.Equal("string", fundsRule.GetProperty("type").GetString());
        Assert.Contains("ThirdParty", Values(Schema(document, "FindingInput").GetProperty("properties").GetProperty("source")));
        Assert.Contains("DepartmentWide", Values(Schema(document, "TargetRequest").GetProperty("properties").GetProperty("kind")));
        Assert.Contains("Project", Values(Schema(document, "SelfEvaluationListItem").GetProperty("properties").GetProperty("kind")));

        var status = Operation(document, "GET", "/api/findings").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "status").GetProperty("schema");
        Assert.Contains("InProgress", Values(status));
    }

    [Fact]
    public async Task Given_the_document_Then_only_non_nullable_fields_are_required()
    {
        var document = await DocumentAsync();
        static List<string?> Required(JsonElement schema) =>
            schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()).ToList() : [];

        // The concurrency token a save must send is required although nullable in C# (a missing one is answered 400 by name).
        Assert.Equal(["expectedVersion"], Required(Schema(document, "ActionRequest")));
        Assert.DoesNotContain("indicatorRow", Required(Schema(document, "CorrectionInput")));
        Assert.DoesNotContain("expectedVersion", Required(Schema(document, "SaveRequest")));

        // Non-nullable answers stay required.
        var me = Required(Schema(document, "MeResponse"));
        Assert.Contains("userName", me);
        Assert.DoesNotContain("organisationId", me);
        Assert.Contains("disputed", Required(Schema(document, "CommentInput")));
    }

    [Fact]
    public async Task Given_the_document_Then_anonymous_calls_need_no_token_and_the_token_is_not_called_a_jwt()
    {
        var document = await DocumentAsync();
        Assert.True(IsAnonymous(Operation(document, "POST", "/api/auth/login")));
        Assert.True(IsAnonymous(Operation(document, "POST", "/api/auth/refresh")));
        foreach (var (method, path, operation) in Operations(document).Where(o => !o.Path.StartsWith("/api/auth/", StringComparison.Ordinal)))
        {
            Assert.False(IsAnonymous(operation), $"{method} {path}");
        }

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.False(scheme.TryGetProperty("bearerFormat", out var format) && format.GetString() == "JWT");
        Assert.Contains("不是 JWT", scheme.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("security")[0].TryGetProperty("Bearer", out _));
    }

    [Fact]
    public async Task Given_the_document_Then_schema_names_are_readable()
    {
        var names = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("AnonymousType", StringComparison.Ordinal));
        Assert.DoesNotContain("Problem", names);
        Assert.Contains("EvaluationProblem", names);
        Assert.Contains("ProblemDetails", names);
    }

    // 16/17. Conventions

    [Fact]
    public async Task Given_the_document_Then_its_description_states_the_conventions()
    {
        var description = (await DocumentAsync()).GetProperty("info").GetProperty("description").GetString()!;
        foreach (var note in new[] { "snake_case", "PascalCase", "UTC", "ISO 8601", "yyyy-MM-dd", "北京时间", "dueAt = D+1", "16:00 UTC", "万元" })
        {
            Assert.Contains(note, description, StringComparison.Ordinal);
        }
    }
}
