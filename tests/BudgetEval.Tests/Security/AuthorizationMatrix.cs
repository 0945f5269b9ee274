namespace BudgetEval.Tests.Security;

/// <summary>
/// The authorization matrix (docs/authorization.md): every page and API endpoint × every role × own/other
/// → allowed or denied. One line per endpoint (a record-scoped endpoint may have a line per kind of
/// record). <see cref="AuthorizationMatrixTests"/> fails when an endpoint has no line and walks every
/// line against the running app.
///
/// Who may, as letters: A 系统管理员 Admin, F 绩效管理员 FinanceOfficer, L 财政局领导 FinanceLead,
/// U 单位填报人 UnitFiller, H 单位负责人 UnitHead, E 评价人员 Evaluator; "*" everyone, anonymous included;
/// "-" nobody. A suffix limits letters to scopes of the record: o own (the caller's unit; for the firm an
/// evaluation assigned to it), x other (another unit's; another firm's evaluation), e ended (the firm's
/// evaluation after the bureau accepted the report; for the unit its own finished evaluation).
/// Anyone not listed is denied: a read answers 404, an action 403. Anonymous callers of anything but "*"
/// lines go to /login (pages) or get 401 (API).
/// </summary>
internal static class Matrix
{
    private const string Everyone = "AFLUHE";
    private const string Bureau = "AFL";
    private const string NobodyToTakeIt = """{"toUserId":"00000000-0000-0000-0000-000000000001","expectedVersion":$version}""";
    private const string NoSuchState = """{"toState":"no_such_state","reason":"权限矩阵","expectedVersion":$version}""";

    public static readonly IReadOnlyList<Row> Rows =
    [
        // Sign-in, home, account, errors, health.
        new("GET /", Res.None, Everyone),
        new("POST /", Res.None, Everyone, NoForm: true),
        new("GET /login", Res.None, "*"),
        new("POST /login", Res.None, "*"),
        new("GET /logout", Res.None, Everyone),
        new("POST /logout", Res.None, Everyone, Last: true),
        new("GET /error/{code:int?}", Res.None, "*"),
        new("POST /error/{code:int?}", Res.None, "*"),
        new("GET /account/password", Res.None, Everyone),
        new("POST /account/password", Res.None, Everyone),
        new("POST /account/keepalive", Res.None, Everyone),
        new("GET /help", Res.None, Everyone),
        new("POST /help", Res.None, Everyone, NoForm: true),
        new("GET /healthz", Res.None, "*"),
        new("POST /healthz", Res.None, "*"),
        new("GET /healthz/live", Res.None, "*"),
        new("GET /openapi/{documentName}.json", Res.None, "*"),
        new("POST /api/auth/login", Res.None, "*", Body: """{"userName":"","password":""}"""),
        new("POST /api/auth/refresh", Res.None, "*", Body: """{"refreshToken":""}"""),
        new("GET /api/me", Res.None, Everyone),
        new("POST /api/auth/logout", Res.None, Everyone, Last: true),

        // 待办 / 已办 and the case page.
        new("GET /inbox", Res.None, Everyone),
        new("POST /inbox", Res.None, Everyone, NoForm: true),
        new("GET /inbox/done", Res.None, Everyone),
        new("POST /inbox/done", Res.None, Everyone, NoForm: true),
        new("GET /inbox/next", Res.None, Everyone),
        new("POST /inbox/next", Res.None, Everyone, NoForm: true),
        new("GET /api/inbox", Res.None, Everyone),
        new("GET /api/inbox/done", Res.None, Everyone),
        new("GET /cases/{id:guid}", Res.SelfEvaluationCase, "AFL UH:o"),
        new("GET /cases/{id:guid}", Res.EvaluationCase, "AFL UH:oe E:o"),
        new("GET /cases/{id:guid}", Res.FindingCase, "AFL UH:o"),
        new("POST /cases/{id:guid}", Res.SelfEvaluationCase, "U:o", Handler: "fire", Body: "action=submit&expectedVersion=$version"),
        new("POST /cases/{id:guid}", Res.EvaluationCase, "E:o", Handler: "fire", Body: "action=submitDraft&expectedVersion=$version", Scopes: "ox"),
        new("POST /cases/{id:guid}", Res.FindingCase, "U:o", Handler: "fire", Body: "action=submitPlan&expectedVersion=$version"),
        new("GET /api/cases/{id:guid}", Res.SelfEvaluationCase, "AFL UH:o"),
        new("GET /api/cases/{id:guid}", Res.EvaluationCase, "AFL UH:oe E:o"),
        new("GET /api/cases/{id:guid}", Res.FindingCase, "AFL UH:o"),
        new("POST /api/cases/{id:guid}/actions/{action}", Res.SelfEvaluationCase, "U:o", Action: "submit", Body: """{"expectedVersion":$version}"""),
        new("POST /api/cases/{id:guid}/actions/{action}", Res.EvaluationCase, "E:o", Action: "submitDraft", Body: """{"expectedVersion":$version}""", Scopes: "ox"),
        new("POST /api/cases/{id:guid}/actions/{action}", Res.FindingCase, "U:o", Action: "submitPlan", Body: """{"expectedVersion":$version}"""),
        // The case page's task operations through the API. Claim, then release: the unit's filler takes the task and
        // gives it back, so the lines after it find it as before. 委托/改派 name nobody who may take the task (422),
        // 调整状态 a state the flow does not have (422): an allowed caller changes nothing.
        new("GET /api/cases/{id:guid}/tasks/{workItemId:guid}/candidates", Res.SelfEvaluationTask, "AFL UH:o"),
        new("GET /api/cases/{id:guid}/tasks/{workItemId:guid}/candidates", Res.EvaluationTask, "AFL UH:oe E:o"),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/claim", Res.SelfEvaluationTask, "U:o", Body: """{"expectedVersion":$version}"""),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/release", Res.SelfEvaluationTask, "U:o", Body: """{"expectedVersion":$version}"""),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/claim", Res.EvaluationTask, "E:o", Body: """{"expectedVersion":$version}"""),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/release", Res.EvaluationTask, "E:o", Body: """{"expectedVersion":$version}"""),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/delegate", Res.SelfEvaluationTask, "U:o", Body: NobodyToTakeIt),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/delegate", Res.EvaluationTask, "E:o", Body: NobodyToTakeIt),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/reassign", Res.SelfEvaluationTask, "AF", Body: NobodyToTakeIt),
        new("POST /api/cases/{id:guid}/tasks/{workItemId:guid}/reassign", Res.EvaluationTask, "AF", Body: NobodyToTakeIt),
        new("POST /api/cases/{id:guid}/alter", Res.SelfEvaluationCase, "A", Body: NoSuchState),
        new("POST /api/cases/{id:guid}/alter", Res.EvaluationCase, "A", Body: NoSuchState),
        new("GET /cases/{id:guid}/remind", Res.SelfEvaluationCase, "AFL UH:o"),
        new("POST /cases/{id:guid}/remind", Res.SelfEvaluationCase, Bureau, Body: "message=请尽快办理"),
        new("POST /api/cases/{id:guid}/remind", Res.SelfEvaluationCase, Bureau, Body: """{"message":"请尽快办理"}"""),

        // Notifications.
        new("GET /notifications", Res.None, Everyone),
        new("POST /notifications", Res.None, Everyone, Handler: "readAll"),
        new("GET /notifications/settings", Res.None, Everyone),
        new("POST /notifications/settings", Res.None, Everyone),
        new("GET /api/notifications", Res.None, Everyone),
        new("POST /api/notifications/{id:guid}/read", Res.Notification, "AFLUHE:o"),
        new("POST /api/notifications/read-all", Res.None, Everyone),
        new("GET /api/notifications/settings", Res.None, Everyone),
        new("PUT /api/notifications/settings", Res.None, Everyone), // {}: refused as incomplete (400), nothing saved

        // Organisations.
        new("GET /organisations", Res.None, Bureau),
        new("POST /organisations", Res.None, Bureau, NoForm: true),
        new("GET /organisations/{id:guid}", Res.Organisation, "AFL UHE:o"),
        new("POST /organisations/{id:guid}", Res.Organisation, Everyone, NoForm: true),
        new("GET /api/organisations", Res.None, Everyone),
        new("GET /api/organisations/{id:guid}", Res.Organisation, "AFL UHE:o"),

        // Plans.
        new("GET /plans", Res.None, Bureau),
        new("POST /plans", Res.None, Bureau, NoForm: true),
        new("GET /plans/new", Res.None, "F"),
        new("POST /plans/new", Res.None, "F"),
        new("GET /plans/{id:guid}", Res.Plan, Bureau),
        new("POST /plans/{id:guid}", Res.Plan, "F", Handler: "publish"),
        new("GET /api/plans", Res.None, Everyone),
        new("GET /api/plans/templates", Res.None, Everyone),
        new("GET /api/plans/{id:guid}", Res.Plan, Everyone),
        new("POST /api/plans", Res.None, "F"),
        new("POST /api/plans/{id:guid}/publish", Res.Plan, "F"),
        new("POST /api/plans/{id:guid}/amendments", Res.Plan, "F"),

        // Self-evaluations.
        new("GET /self-evaluations", Res.None, Everyone),
        new("POST /self-evaluations", Res.None, "U"),
        new("GET /self-evaluations/{id:guid}/form", Res.SelfEvaluation, "AFL UH:o"),
        new("POST /self-evaluations/{id:guid}/form", Res.SelfEvaluation, "U:o", Handler: "import"),
        new("GET /self-evaluations/{id:guid}/edit", Res.SelfEvaluation, "AFL UH:o"),
        new("POST /self-evaluations/{id:guid}/edit", Res.SelfEvaluation, "U:o"),
        new("GET /self-evaluations/{id:guid}/print", Res.SelfEvaluation, "AFL UH:o"),
        new("POST /self-evaluations/{id:guid}/print", Res.SelfEvaluation, Everyone, NoForm: true),
        new("GET /self-evaluations/{id:guid}/print.pdf", Res.SelfEvaluation, "AFL UH:o"),
        new("POST /self-evaluations/{id:guid}/print.pdf", Res.SelfEvaluation, Everyone, NoForm: true),
        new("GET /self-evaluations/{id:guid}/follow-up", Res.SelfEvaluation, "AFL UH:o"),
        new("POST /self-evaluations/{id:guid}/follow-up", Res.SelfEvaluation, "U:o"),
        new("GET /api/self-evaluations", Res.None, Everyone),
        new("POST /api/self-evaluations", Res.None, "U"),
        new("GET /api/self-evaluations/template.xlsx", Res.None, Everyone),
        new("GET /api/self-evaluations/template.csv", Res.None, Everyone),
        new("GET /api/self-evaluations/{id:guid}", Res.SelfEvaluation, "AFL UH:o"),
        new("PUT /api/self-evaluations/{id:guid}", Res.SelfEvaluation, "U:o"),
        new("PUT /api/self-evaluations/{id:guid}/funds", Res.SelfEvaluation, "U:o", Body: """{"expectedVersion":-1}"""),
        new("PUT /api/self-evaluations/{id:guid}/indicators", Res.SelfEvaluation, "U:o"),
        new("PUT /api/self-evaluations/{id:guid}/text", Res.SelfEvaluation, "U:o"),
        new("POST /api/self-evaluations/{id:guid}/indicators/import", Res.SelfEvaluation, "U:o", Body: "file"),
        new("GET /api/self-evaluations/{id:guid}/export.xlsx", Res.SelfEvaluation, "AFL UH:o"),
        new("GET /api/self-evaluations/{id:guid}/export.docx", Res.SelfEvaluation, "AFL UH:o"),
        new("POST /api/self-evaluations/{id:guid}/attachments", Res.SelfEvaluation, "U:o", Body: "file"),
        new("GET /api/self-evaluations/{id:guid}/attachments/{attachmentId:guid}", Res.Attachment, "AFL UH:o"),
        new("DELETE /api/self-evaluations/{id:guid}/attachments/{attachmentId:guid}", Res.Attachment, "U:o", Last: true),
        new("GET /api/self-evaluations/{id:guid}/follow-up", Res.SelfEvaluation, "AFL UH:o"),
        new("PUT /api/self-evaluations/{id:guid}/follow-up", Res.SelfEvaluation, "U:o", Body: """{"statements":{}}"""),

        // External evaluations.
        new("GET /evaluations", Res.None, Everyone),
        new("POST /evaluations", Res.None, "F", Handler: "select"),
        new("GET /evaluations/{id:guid}", Res.Evaluation, "AFL UH:oe E:o"),
        new("POST /evaluations/{id:guid}", Res.Evaluation, "E:o", Handler: "scores"),
        new("GET /evaluations/{id:guid}/print", Res.Evaluation, "AFL UH:e E:o"),
        new("POST /evaluations/{id:guid}/print", Res.Evaluation, Everyone, NoForm: true),
        new("GET /evaluations/{id:guid}/print.pdf", Res.Evaluation, "AFL UH:e E:o"),
        new("POST /evaluations/{id:guid}/print.pdf", Res.Evaluation, Everyone, NoForm: true),
        new("GET /api/evaluations", Res.None, Everyone),
        new("GET /api/evaluations/proposals", Res.None, Bureau, Query: "?fiscalYear=2022"),
        new("GET /api/evaluations/templates", Res.None, Everyone),
        new("POST /api/evaluations", Res.None, "F"),
        new("GET /api/evaluations/{id:guid}", Res.Evaluation, "AFL UH:oe E:o"),
        new("POST /api/evaluations/{id:guid}/actions/{action}", Res.Evaluation, "E:o", Action: "submitDraft", Body: """{"expectedVersion":$caseVersion}""", Scopes: "ox"),
        new("POST /api/evaluations/{id:guid}/commission", Res.Evaluation, "F"),
        new("POST /api/evaluations/{id:guid}/team", Res.Evaluation, "E:o"),
        new("PUT /api/evaluations/{id:guid}/scores", Res.Evaluation, "E:o"),
        new("POST /api/evaluations/{id:guid}/scores/import", Res.Evaluation, "E:o", Body: "file"),
        new("GET /api/evaluations/{id:guid}/scores/export.{format:regex(^(xlsx|csv)$)}", Res.Evaluation, "AFL UH:e E:o"),
        new("PUT /api/evaluations/{id:guid}/report", Res.Evaluation, "E:o"),
        new("PUT /api/evaluations/{id:guid}/problems", Res.Evaluation, "E:o"),
        new("PUT /api/evaluations/{id:guid}/comments", Res.Evaluation, "UH:oe"),
        new("PUT /api/evaluations/{id:guid}/answers", Res.Evaluation, "E:o"),
        new("GET /api/evaluations/{id:guid}/report", Res.Evaluation, "AFL UH:e E:o"),
        // 现场评价工作记录: the firm's working record. The bureau reads every one, the firm its own while at work, the unit none.
        // The allowed writes change nothing: an empty form or body is refused (422/400), a correction without its version too.
        new("GET /evaluations/{id:guid}/fieldwork", Res.Evaluation, "AFL E:o"),
        new("POST /evaluations/{id:guid}/fieldwork", Res.Evaluation, "E:o", Handler: "add"),
        new("GET /api/evaluations/{id:guid}/fieldwork", Res.Evaluation, "AFL E:o"),
        new("POST /api/evaluations/{id:guid}/fieldwork", Res.Evaluation, "E:o"),
        new("PUT /api/evaluations/{id:guid}/fieldwork/{recordId:guid}", Res.FieldworkRecord, "E:o"),
        new("DELETE /api/evaluations/{id:guid}/fieldwork/{recordId:guid}", Res.FieldworkRecord, "E:o"),
        // 原评价机构评分 (更换评价机构): read-only, to whoever sees the score table (the unit not while the firm works on it);
        // a replaced firm is no longer the evaluation's firm, so it reads nothing. The page has no form.
        new("GET /evaluations/{id:guid}/replaced-firms", Res.Evaluation, "AFL UH:e E:o"),
        new("POST /evaluations/{id:guid}/replaced-firms", Res.Evaluation, Everyone, NoForm: true),
        new("GET /api/evaluations/{id:guid}/replaced-firms", Res.Evaluation, "AFL UH:e E:o"),

        // Findings and rectification.
        new("GET /findings", Res.None, Everyone),
        new("POST /findings", Res.None, "F"),
        new("GET /findings/{id:guid}", Res.Finding, "AFL UH:o"),
        new("POST /findings/{id:guid}", Res.Finding, "U:o", Handler: "plan"),
        new("GET /api/findings", Res.None, Everyone),
        new("GET /api/findings/export.xlsx", Res.None, Everyone),
        new("POST /api/findings", Res.None, "F"),
        // 整改情况报告 of the centre's 2021 findings: the bureau any unit's, the centre's own staff (U, H) theirs; the firm
        // sees no findings, so nothing to report (404). Another unit's staff get 404 too (RectificationReportTests).
        new("GET /api/findings/rectification-report.docx", Res.None, "AFLUH", Query: "?fiscalYear=2021&unit=社会治理服务中心"),
        new("GET /findings/rectification-report", Res.None, "AFLUH", Query: "?fiscalYear=2021&unit=社会治理服务中心"),
        new("POST /findings/rectification-report", Res.None, Everyone, NoForm: true),
        // 问题台账批量登记: who registers by hand registers in bulk; the matrix's PDF is refused (400), the empty page post 422.
        new("GET /findings/import", Res.None, "F"),
        new("POST /findings/import", Res.None, "F"),
        new("POST /api/findings/import", Res.None, "F", Body: "file"),
        new("GET /api/findings/{id:guid}", Res.Finding, "AFL UH:o"),
        new("PUT /api/findings/{id:guid}", Res.Finding, "F"),
        new("PUT /api/findings/{id:guid}/plan", Res.Finding, "U:o"),
        new("PUT /api/findings/{id:guid}/result", Res.Finding, "U:o"),
        new("PUT /api/findings/{id:guid}/requested-deadline", Res.Finding, "U:o"),
        new("PUT /api/findings/{id:guid}/next-deadline", Res.Finding, "F"),
        new("POST /api/findings/{id:guid}/evidence", Res.Finding, "U:o", Body: "file"),
        new("GET /api/findings/{id:guid}/evidence/{evidenceId:guid}", Res.Evidence, "AFL UH:o"),
        new("DELETE /api/findings/{id:guid}/evidence/{evidenceId:guid}", Res.Evidence, "U:o", Last: true),

        // Dashboards.
        new("GET /dashboards", Res.None, Bureau),
        new("POST /dashboards", Res.None, Bureau, NoForm: true),
        new("GET /dashboards/unit", Res.None, "UH"),
        new("POST /dashboards/unit", Res.None, "UH", NoForm: true),
        new("GET /api/dashboards/bureau", Res.None, Bureau),
        new("GET /api/dashboards/bureau/export.xlsx", Res.None, Bureau),
        new("GET /api/dashboards/unit", Res.None, "UH"),
        new("GET /oversight", Res.None, Bureau),
        new("POST /oversight", Res.None, Bureau, NoForm: true),
        new("GET /api/oversight/overdue", Res.None, Bureau),
        new("GET /api/dashboards/unit/export.xlsx", Res.None, "UH"),

        // Administration.
        new("GET /admin/users", Res.None, "A"),
        new("POST /admin/users", Res.None, "A", NoForm: true),
        new("GET /admin/users/new", Res.None, "A"),
        new("POST /admin/users/new", Res.None, "A"),
        new("GET /admin/users/{id:guid}", Res.User, "A"),
        new("POST /admin/users/{id:guid}", Res.User, "A"),
        new("GET /admin/organisations", Res.None, "A"),
        new("POST /admin/organisations", Res.None, "A", NoForm: true),
        new("GET /admin/organisations/new", Res.None, "A"),
        new("POST /admin/organisations/new", Res.None, "A"),
        new("GET /admin/organisations/{id:guid}", Res.Organisation, "A"),
        new("POST /admin/organisations/{id:guid}", Res.Organisation, "A"),
        // 批量导入: the empty post is refused (422, no file), so an allowed caller imports nothing.
        new("GET /admin/import", Res.None, "A"),
        new("POST /admin/import", Res.None, "A"),
        new("GET /admin/audit", Res.None, "A"),
        new("POST /admin/audit", Res.None, "A", NoForm: true),
        new("GET /admin/calendar", Res.None, "A"),
        new("POST /admin/calendar", Res.None, "A", Handler: "import"),
        new("GET /admin/finding-categories", Res.None, "A"),
        new("POST /admin/finding-categories", Res.None, "A", Handler: "add"),
        // 问题类别 through the API: read by those who pick categories, kept by the administrator as on the page. Retired,
        // then brought back, so the category ends as it began; an empty name is refused (400), nothing added.
        new("GET /api/finding-categories", Res.None, "AFLE"),
        new("GET /api/finding-categories/{id:int}", Res.FindingCategory, "AFLE"),
        new("POST /api/finding-categories", Res.None, "A"),
        new("POST /api/finding-categories/{id:int}/deactivate", Res.FindingCategory, "A"),
        new("POST /api/finding-categories/{id:int}/activate", Res.FindingCategory, "A"),
        // 指标模板: the bureau reads the list, the administrator keeps it. An allowed caller changes nothing: the toggle names
        // no template (422), the new form no kind (400), the edit form no version (409), the API's bodies are empty (400);
        // the one template retired through the API is brought back by the next line.
        new("GET /admin/templates", Res.None, Bureau),
        new("POST /admin/templates", Res.None, "A", Handler: "toggle"),
        new("GET /admin/templates/new", Res.None, "A"),
        new("POST /admin/templates/new", Res.None, "A"),
        new("GET /admin/templates/{id:int}", Res.Template, "A"),
        new("POST /admin/templates/{id:int}", Res.Template, "A"),
        new("GET /api/admin/templates", Res.None, Bureau),
        new("GET /api/admin/templates/{id:int}", Res.Template, Bureau),
        new("POST /api/admin/templates", Res.None, "A"),
        new("PUT /api/admin/templates/{id:int}", Res.Template, "A"),
        new("POST /api/admin/templates/{id:int}/deactivate", Res.Template, "A"),
        new("POST /api/admin/templates/{id:int}/activate", Res.Template, "A"),
        // 结果应用: the bureau reads; the officer marks and sets the rules, the lead approves.
        new("GET /results", Res.None, Bureau),
        new("POST /results", Res.None, "F", Handler: "mark"),
        new("GET /results/{year:int}/print", Res.ResultYear, Bureau),
        new("POST /results/{year:int}/print", Res.ResultYear, Bureau, NoForm: true),
        new("GET /results/{year:int}/print.pdf", Res.ResultYear, Bureau),
        new("POST /results/{year:int}/print.pdf", Res.ResultYear, Bureau, NoForm: true),
        new("GET /results/{year:int}/publication", Res.ResultYear, Bureau),
        new("POST /results/{year:int}/publication", Res.ResultYear, Bureau, NoForm: true),
        new("GET /results/rules", Res.None, Bureau),
        new("POST /results/rules", Res.None, "F"),
        new("GET /api/results/{year:int}", Res.ResultYear, Bureau),
        new("GET /api/results/{year:int}/export.xlsx", Res.ResultYear, Bureau),
        new("PUT /api/results/{year:int}/publication/{subjectKind}/{subjectId:guid}", Res.ResultYear, "F"),
        new("DELETE /api/results/{year:int}/publication/{subjectKind}/{subjectId:guid}", Res.ResultYear, "F"),
        new("POST /api/results/{year:int}/approval", Res.ResultYear, "L"),
        new("POST /api/results/{year:int}/approval/reopen", Res.ResultYear, "L", Body: """{"reason":""}"""),
        new("GET /api/results/rules", Res.None, Bureau),
        new("PUT /api/results/rules", Res.None, "F"),

        new("GET /admin/jobs", Res.None, "AF"),
        new("POST /admin/jobs", Res.None, "A", Handler: "sweep"),
    ];

    public static readonly byte[] SmallPdf = "%PDF-1.4\n% matrix\n%%EOF\n"u8.ToArray();

    public static string UserName(Who who) => who switch
    {
        Who.Admin => "admin",
        Who.FinanceOfficer => "finance",
        Who.FinanceLead => "financelead",
        Who.UnitFiller => "unit",
        Who.UnitHead => "unithead",
        Who.Evaluator => "evaluator",
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };
}

/// <summary>Who calls: the six roles (one demo user each) and nobody signed in.</summary>
public enum Who
{
    Admin,
    FinanceOfficer,
    FinanceLead,
    UnitFiller,
    UnitHead,
    Evaluator,
    Anonymous,
}

/// <summary>Whose record the route points at, relative to the caller.</summary>
public enum Scope
{
    /// <summary>Not a record of an organisation (lists, the plan, a user account).</summary>
    Any,
    Own,
    Other,
    Ended,
}

/// <summary>The kind of record a route's parameters name.</summary>
public enum Res
{
    None,
    Plan,
    User,
    Organisation,
    Notification,
    SelfEvaluation,
    SelfEvaluationCase,
    Attachment,
    Evaluation,
    EvaluationCase,
    Finding,
    FindingCase,

    /// <summary>A self-evaluation case (<c>id</c>) and its open task (<c>workItemId</c>), for the task operations.</summary>
    SelfEvaluationTask,

    /// <summary>An evaluation case and its open task (the firm's); for the ended evaluation, its last task (done).</summary>
    EvaluationTask,
    Evidence,

    /// <summary>A year of 结果应用 and one line of it (the finished 2021 evaluation); the bureau's, not an organisation's.</summary>
    ResultYear,

    /// <summary>An active 问题类别 (the district's, not an organisation's).</summary>
    FindingCategory,

    /// <summary>A 指标模板 (the built-in national2020 自评 template; the district's, not an organisation's).</summary>
    Template,

    /// <summary>An evaluation (<c>id</c>) and one of its 现场评价工作记录 (<c>recordId</c>).</summary>
    FieldworkRecord,
}

/// <summary>
/// One line of the matrix. Body: for the API a JSON text (default <c>{}</c>) or <c>file</c> (a small PDF
/// as multipart field <c>file</c>); for pages <c>k=v&amp;k=v</c> form fields (the antiforgery token is added).
/// <c>$version</c> becomes the case's current version, so an allowed caller meets the business rules
/// (422) rather than a stale-version 409. NoForm: a page without a form for the method; whoever the
/// page's own rule admits gets 405 (own and other records alike: nothing is read or written).
/// </summary>
internal sealed record Row(
    string Endpoint,
    Res Res,
    string Allowed,
    string? Handler = null,
    string? Body = null,
    string? Action = null,
    string? Query = null,
    string? Scopes = null,
    bool Last = false,
    bool NoForm = false)
{
    public string Method => Endpoint[..Endpoint.IndexOf(' ', StringComparison.Ordinal)];

    public string Route => Endpoint[(Endpoint.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    public bool IsApi => Route.StartsWith("/api/", StringComparison.Ordinal);

    public bool IsRead => Method is "GET" or "HEAD";

    public bool IsPublic => Allowed == "*";

    public IEnumerable<Scope> ScopesToWalk()
    {
        Scope[] all = Res switch
        {
            Res.None or Res.Plan or Res.User or Res.ResultYear or Res.FindingCategory or Res.Template => [Scope.Any],
            Res.Evaluation or Res.EvaluationCase or Res.EvaluationTask => [Scope.Own, Scope.Other, Scope.Ended],
            _ => [Scope.Own, Scope.Other],
        };
        return Scopes is null ? all : all.Where(s => s == Scope.Any || Scopes.Contains(Letter(s)));
    }

    public bool Allows(Who who, Scope scope)
    {
        if (Allowed == "*")
        {
            return true;
        }

        if (who == Who.Anonymous || Allowed == "-")
        {
            return false;
        }

        var letter = who switch
        {
            Who.Admin => 'A',
            Who.FinanceOfficer => 'F',
            Who.FinanceLead => 'L',
            Who.UnitFiller => 'U',
            Who.UnitHead => 'H',
            _ => 'E',
        };
        foreach (var token in Allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = token.Split(':');
            if (parts[0].Contains(letter) && (parts.Length == 1 || scope == Scope.Any || parts[1].Contains(Letter(scope))))
            {
                return true;
            }
        }

        return false;
    }

    private static char Letter(Scope scope) => scope switch
    {
        Scope.Own => 'o',
        Scope.Other => 'x',
        Scope.Ended => 'e',
        _ => '-',
    };
}
