// A province's worth of data, generated server-side (INSERT ... SELECT over generate_series: big
// batched inserts without shipping rows through the client) into a database that already has the
// app's migrations and demo seed (the bureau, its users, the finding categories, the firms and the
// demo plan and evaluation, whose templates are copied). Ids and values are functions of the seed
// and the row number (md5), so the same seed gives the same rows; dates are relative to the day of
// the run so that due dates lie ahead.
// Compiled into the benchmarks and, as a linked file, into the tests (smoke mode, 100 units).
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace BudgetEval.Benchmarks.Province;

internal sealed record ProvinceOptions(int Units = 30_000, int Seed = 1, int FirstYear = 2023, int Years = 3, int OpenWorkItems = 1_000_000)
{
    /// <summary>100 units with the open work items scaled down in proportion (3,333).</summary>
    public static ProvinceOptions Smoke(int seed = 1) => new(100, seed, OpenWorkItems: 100 * 1_000_000 / 30_000);

    public const string Password = "Province-2026!";

    public int LastYear => FirstYear + Years - 1;
}

internal sealed record ProvinceCounts(long Units, long Users, long SelfEvaluations, long Indicators, long Evaluations, long Findings, long Cases, long OpenWorkItems)
{
    public static async Task<ProvinceCounts> ReadAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM budgeteval.organisations WHERE "Name" LIKE '湖南省%'),
                   (SELECT count(*) FROM budgeteval.users WHERE "UserName" LIKE 'p%'),
                   (SELECT count(*) FROM budgeteval.self_evaluations WHERE "Title" LIKE '湖南省%'),
                   (SELECT count(*) FROM budgeteval.self_evaluation_indicators i JOIN budgeteval.self_evaluations s ON s."Id" = i."SelfEvaluationId" WHERE s."Title" LIKE '湖南省%'),
                   (SELECT count(*) FROM budgeteval.evaluations WHERE "Title" LIKE '湖南省%'),
                   (SELECT count(*) FROM budgeteval.findings WHERE "Number" LIKE 'P%'),
                   (SELECT count(*) FROM budgeteval.workflow_instances WHERE "Title" LIKE '湖南省%'),
                   (SELECT count(*) FROM budgeteval.work_items WHERE "Status" = 'Open' AND "Title" LIKE '湖南省%')
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return new ProvinceCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7));
    }
}

internal static class ProvinceGenerator
{
    /// <summary>Generates the province; returns how long each step took (in order), for the report.</summary>
    public static async Task<IReadOnlyList<(string Step, TimeSpan Took)>> GenerateAsync(string connectionString, ProvinceOptions o, string passwordHash, Action<string>? log = null)
    {
        var steps = new List<(string, TimeSpan)>();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await ExecAsync(conn, Functions(o.Seed));
        await ExecAsync(conn, $"""
            CREATE TEMP TABLE ctx AS SELECT
              (SELECT "Id" FROM budgeteval.organisations WHERE "Kind" = 'FinanceBureau' ORDER BY "Name" LIMIT 1) AS bureau,
              (SELECT "Id" FROM budgeteval.users WHERE "UserName" = 'finance') AS finance,
              (SELECT "DisplayName" FROM budgeteval.users WHERE "UserName" = 'finance') AS finance_name,
              (SELECT array_agg("Id" ORDER BY "Name") FROM budgeteval.organisations WHERE "Kind" = 'EvaluationFirm') AS firms,
              (SELECT array_agg("Name" ORDER BY "Name") FROM budgeteval.finding_categories WHERE "IsActive") AS categories,
              (SELECT "Id" FROM budgeteval.roles WHERE "Name" = 'UnitFiller') AS filler_role,
              (SELECT "Id" FROM budgeteval.roles WHERE "Name" = 'UnitHead') AS head_role,
              date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai')::date AS today,
              {o.Units} AS units, {o.FirstYear} AS y0, {o.LastYear} AS y1;
            """);
        var missing = await ScalarAsync<bool>(conn, "SELECT bureau IS NULL OR finance IS NULL OR firms IS NULL OR categories IS NULL OR filler_role IS NULL FROM ctx");
        if (missing)
        {
            throw new InvalidOperationException("the database needs the app's migrations and demo seed first (bureau, finance user, firms, categories, roles)");
        }

        async Task StepAsync(string name, string sql)
        {
            var sw = Stopwatch.StartNew();
            await ExecAsync(conn, sql);
            steps.Add((name, sw.Elapsed));
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {name}: {sw.Elapsed.TotalSeconds:F1} s"));
        }

        await StepAsync("units and users", UnitsAndUsers(passwordHash));
        await StepAsync("plans and self-evaluations", SelfEvaluations);
        await StepAsync("indicator rows", Indicators);
        await StepAsync("self-evaluation cases", SelfEvaluationCases);
        await StepAsync("external evaluations, findings, rectification cases", EvaluationsAndFindings);
        await StepAsync("open drafts up to the work-item target", OpenDrafts(o.OpenWorkItems));
        await StepAsync("history chains and work items", HistoryAndWorkItems);
        // VACUUM too, as autovacuum would soon after: the visibility map lets the inbox counts read the index alone.
        await StepAsync("vacuum analyze", "VACUUM (ANALYZE);");
        return steps;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    // gid: a stable uuid per (kind, n); rnd: a stable non-negative int per (kind, n); hist: the app's
    // 流转记录 hash (HistoryChain.Compute), so the chains verify.
    private static string Functions(int seed) => $$"""
        SET synchronous_commit = off;
        CREATE FUNCTION pg_temp.gid(k text, n bigint) RETURNS uuid IMMUTABLE LANGUAGE sql AS
          $f$ SELECT md5('{{seed}}:' || k || ':' || n)::uuid $f$;
        CREATE FUNCTION pg_temp.rnd(k text, n bigint) RETURNS int IMMUTABLE LANGUAGE sql AS
          $f$ SELECT (('x' || substr(md5('{{seed}}:' || k || ':' || n), 1, 8))::bit(32)::int & 2147483647) $f$;
        CREATE FUNCTION pg_temp.hist(prev text, inst uuid, seq int, actor uuid, actor_name text, at timestamptz,
                                     action text, label text, from_state text, to_state text, comment text) RETURNS text IMMUTABLE LANGUAGE sql AS
          $f$ SELECT encode(sha256(convert_to(concat_ws(chr(31), prev, inst::text, seq::text, coalesce(actor::text, ''), actor_name,
                to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), action, label, coalesce(from_state, ''), to_state,
                coalesce(comment, '')), 'UTF8')), 'hex') $f$;
        -- The end of a Beijing day, as the app stores due times.
        CREATE FUNCTION pg_temp.day_end(d date) RETURNS timestamptz IMMUTABLE LANGUAGE sql AS
          $f$ SELECT ((d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') $f$;
        """;

    // 30,000 units in blocks of 25 under a 主管部门 (the first of each block); a 填报人 and a 负责人 each.
    private static string UnitsAndUsers(string passwordHash) => $"""
        CREATE TEMP TABLE unit AS
        SELECT n, pg_temp.gid('org', n) AS id,
               CASE WHEN (n - 1) % 25 = 0 THEN NULL ELSE pg_temp.gid('org', n - (n - 1) % 25) END AS parent,
               (ARRAY['长沙','株洲','湘潭','衡阳','邵阳','岳阳','常德','张家界','益阳','郴州','永州','怀化','娄底','湘西'])[1 + n % 14] AS city,
               (ARRAY['教育局','卫生健康局','民政局','农业农村局','交通运输局','住房和城乡建设局','文化旅游局','水利局','自然资源局','人力资源和社会保障局',
                      '市场监督管理局','生态环境局','应急管理局','司法局','林业局','商务局','统计局','医疗保障局','退役军人事务局','科技局'])[1 + (n / 14) % 20] AS dept
        FROM generate_series(1, (SELECT units FROM ctx)) AS n;
        ALTER TABLE unit ADD PRIMARY KEY (n);

        INSERT INTO budgeteval.organisations ("Id", "Name", "ShortName", "Kind", "ParentId", "ContactPerson", "ContactPhone", "IsActive", "CreatedAt")
        SELECT id, '湖南省' || city || '市' || dept || '第' || n || '预算单位', dept || n, 'BudgetUnit', parent,
               '联系人' || n, '0731-' || lpad((n % 10000000)::text, 8, '0'), true, now()
        FROM unit ORDER BY (parent IS NOT NULL), n;

        INSERT INTO budgeteval.users ("Id", "DisplayName", "OrganisationId", "IsLeadEvaluator", "CreatedAt", "UserName", "NormalizedUserName",
            "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed",
            "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "MustChangePassword")
        SELECT pg_temp.gid(kind, n), who || n, id, false, now(), login || n, upper(login || n),
               login || n || '@province.example', upper(login || n || '@province.example'), true, '{passwordHash}',
               upper(replace(pg_temp.gid(kind || '-stamp', n)::text, '-', '')), pg_temp.gid(kind || '-cc', n)::text, false, false, true, 0, false
        FROM unit, (VALUES ('filler', 'p', '填报人'), ('head', 'ph', '负责人')) AS r(kind, login, who);

        INSERT INTO budgeteval."AspNetUserRoles" ("UserId", "RoleId")
        SELECT pg_temp.gid('filler', n), (SELECT filler_role FROM ctx) FROM unit
        UNION ALL SELECT pg_temp.gid('head', n), (SELECT head_role FROM ctx) FROM unit;
        """;

    // One plan per year (template copied from the demo plan); per unit and year one 部门整体 and three
    // 项目 self-evaluations, each a plan target. Years before the last are 已通过; the last year is spread
    // over the review states.
    private const string SelfEvaluations = """
        INSERT INTO budgeteval.plans ("Id", "FiscalYear", "Title", "NoticeNumber", "Deadline", "Status", "ScoringRulesJson", "TemplateId", "TemplateJson",
            "CreatedAt", "CreatedBy", "PublishedAt", "PublishedBy")
        SELECT pg_temp.gid('plan', y), y, '湖南省' || y || '年度预算绩效自评工作计划', '湘财绩〔' || (y + 1) || '〕1号', make_date(y + 1, 3, 31), p."Status",
               p."ScoringRulesJson", p."TemplateId", p."TemplateJson", now(), c.finance, now(), c.finance
        FROM ctx c, generate_series(c.y0, c.y1) AS y,
             LATERAL (SELECT * FROM budgeteval.plans ORDER BY "CreatedAt" LIMIT 1) AS p;

        CREATE TEMP TABLE se AS
        SELECT m, u.n, u.id AS org, y, k, pg_temp.gid('se', m) AS id, pg_temp.gid('secase', m) AS case_id,
               CASE WHEN y < c.y1 THEN 'accepted'
                    ELSE (ARRAY['draft','draft','draft','draft','unit_review','unit_review','bureau_review','bureau_review','returned','accepted'])[1 + pg_temp.rnd('state', m) % 10] END AS state,
               CASE WHEN k = 0 THEN NULL ELSE u.dept || '专项' || k END AS project,
               '湖南省' || u.city || '市' || u.dept || '第' || u.n || '预算单位' || y || '年度' ||
                 CASE WHEN k = 0 THEN '部门整体支出绩效自评' ELSE u.dept || '专项' || k || '绩效自评' END AS title,
               CASE WHEN y < c.y1 THEN make_date(y + 1, 3, 31) ELSE c.today + 1 + pg_temp.rnd('due', m) % 365 END AS deadline,
               round((50 + pg_temp.rnd('budget', m) % 500000 / 100.0)::numeric, 2) AS budget
        FROM ctx c, unit u, generate_series(c.y0, c.y1) AS y, generate_series(0, 3) AS k,
             LATERAL (SELECT (((y - c.y0) * c.units + (u.n - 1)) * 4 + k)::bigint AS m) AS mm;
        ALTER TABLE se ADD PRIMARY KEY (m);

        INSERT INTO budgeteval.self_evaluations ("Id", "OrganisationId", "FiscalYear", "Title", "Deadline", "Summary", "TotalBudget", "Status", "IsLate",
            "CurrentVersion", "CaseId", "CreatedAt", "UpdatedAt", "FundsBudget", "FundsExecuted", "FundsRowsJson", "GoalsAchieved", "GoalsPlanned",
            "Kind", "PlanId", "ProjectName", "Report_Basics", "Report_Performance", "Report_Problems", "Report_NextSteps")
        SELECT id, org, y, title, deadline, '本年度按计划完成各项工作任务，资金使用规范。', budget, state, false, 0, case_id, now(), now(),
               budget, round(budget * (80 + pg_temp.rnd('exec', m) % 21) / 100, 2), '[]', '年度绩效目标基本完成。', '完成年度重点工作任务。',
               CASE WHEN k = 0 THEN 'DepartmentWide' ELSE 'Project' END, pg_temp.gid('plan', y), project,
               '单位基本情况。', '绩效目标完成情况良好。', '个别指标未完全达标。', '进一步加强预算绩效管理。'
        FROM se;

        INSERT INTO budgeteval.plan_targets ("Id", "PlanId", "OrganisationId", "Kind", "ProjectName", "ProjectBudget", "SelfEvaluationId")
        SELECT pg_temp.gid('target', m), pg_temp.gid('plan', y), org, CASE WHEN k = 0 THEN 'DepartmentWide' ELSE 'Project' END, project,
               CASE WHEN k = 0 THEN NULL ELSE budget END, id
        FROM se;
        """;

    // 30 rows per self-evaluation: weights 10 × 4 + 20 × 3 = 100, scores 60–100 % of the weight. The
    // largest table (10.8 million rows), so no md5 per row: the id is the self-evaluation's with the row
    // number in the last group, and the figures come from a multiplicative hash of the row number.
    private const string Indicators = """
        INSERT INTO budgeteval.self_evaluation_indicators ("Id", "SelfEvaluationId", "OrganisationId", "SortOrder", "Level1", "Level2", "Level3",
            "Content", "Target", "Actual", "Weight", "Score", "Reason")
        SELECT (substr(se.id::text, 1, 24) || lpad(to_hex(i), 12, '0'))::uuid, se.id, se.org, i,
               (ARRAY['决策','过程','产出','效益'])[1 + (i - 1) * 4 / 30],
               (ARRAY['项目立项','绩效目标','资金投入','资金管理','组织实施','产出数量','产出质量','产出时效','产出成本','经济效益','社会效益','满意度'])[1 + (i - 1) * 12 / 30],
               '三级指标' || i, '指标内容说明' || i, '≥' || (90 + i % 10) || '%', (80 + h % 21) || '%',
               CASE WHEN i <= 10 THEN 4.00 ELSE 3.00 END, round(CASE WHEN i <= 10 THEN 4.00 ELSE 3.00 END * (60 + h / 21 % 41) / 100, 2),
               CASE WHEN i % 7 = 0 THEN '部分任务延后完成' END
        FROM se, generate_series(1, 30) AS i, LATERAL (SELECT ((se.m * 30 + i) * 2654435761 + se.m) % 2147483648 AS h) AS hh;
        """;

    private const string SelfEvaluationCases = """
        CREATE TEMP TABLE cases (id uuid PRIMARY KEY, definition text, subject_type text, subject uuid, title text, org uuid, firm uuid,
            initial text, initial_label text, state text, due date, plan_deadline date, created timestamptz);
        INSERT INTO cases
        SELECT case_id, 'self-evaluation-review', 'SelfEvaluation', id, title, org, NULL, 'draft', '发布评价工作计划', state,
               CASE WHEN state <> 'accepted' THEN deadline END, deadline, now()
        FROM se;
        """;

    // 5 % of unit-years get an external evaluation (completed) with 8 findings, one per rectification
    // state; the finding's fields match its state (plan, result, extension request, verification).
    private const string EvaluationsAndFindings = """
        CREATE TEMP TABLE ev AS
        SELECT u.n, u.id AS org, y, pg_temp.gid('eval', u.n * 10000 + y) AS id, pg_temp.gid('evcase', u.n * 10000 + y) AS case_id,
               c.firms[1 + u.n % array_length(c.firms, 1)] AS firm,
               '湖南省' || u.city || '市' || u.dept || '第' || u.n || '预算单位' || y || '年度部门整体支出绩效评价' AS title
        FROM ctx c, unit u, generate_series(c.y0, c.y1) AS y
        WHERE pg_temp.rnd('evaluated', u.n * 10000 + y) % 20 = 0;

        INSERT INTO budgeteval.evaluations ("Id", "OrganisationId", "FiscalYear", "Kind", "Reason", "Budget", "Title", "Status", "CaseId", "FirmId",
            "ReportDueDate", "TemplateKey", "GroupsJson", "ReportNumber", "ReportDate", "CompletedOn", "TeamJson", "RowsJson", "ProblemsJson", "ReportJson", "CreatedAt", "UpdatedAt")
        SELECT ev.id, ev.org, ev.y, 'DepartmentWide', '重点评价：部门整体支出规模较大。', 1000.00, ev.title, 'completed', ev.case_id, ev.firm,
               make_date(ev.y + 1, 6, 30), d."TemplateKey", d."GroupsJson", '湘绩评〔' || (ev.y + 1) || '〕' || ev.n || '号', make_date(ev.y + 1, 6, 20), make_date(ev.y + 1, 6, 30),
               d."TeamJson", d."RowsJson", d."ProblemsJson", d."ReportJson", now(), now()
        FROM ev, LATERAL (SELECT * FROM budgeteval.evaluations ORDER BY "CreatedAt" LIMIT 1) AS d;

        INSERT INTO cases
        SELECT case_id, 'external-evaluation', 'Evaluation', id, title, org, firm, 'selected', '选定评价对象', 'completed', NULL, make_date(y + 1, 6, 30), now()
        FROM ev;

        CREATE TEMP TABLE fi AS
        SELECT ev.*, j, pg_temp.gid('finding', ev.n::bigint * 100000 + ev.y * 10 + j) AS fid, pg_temp.gid('ficase', ev.n::bigint * 100000 + ev.y * 10 + j) AS fcase,
               (ARRAY['planning','planning_extension','implementing','implementing','implementing_extension','verifying','closed','unrectifiable'])[1 + (j + ev.n) % 8] AS state,
               (j + ev.n) % 8 = 3 AS partial,
               c.today + 15 + pg_temp.rnd('fdeadline', ev.n::bigint * 100000 + ev.y * 10 + j) % 350 AS deadline,
               c.categories[1 + pg_temp.rnd('cat', ev.n::bigint * 100000 + ev.y * 10 + j) % array_length(c.categories, 1)] AS category
        FROM ctx c, ev, generate_series(1, 8) AS j;

        INSERT INTO budgeteval.findings ("Id", "Number", "OrganisationId", "FiscalYear", "Category", "Title", "Detail", "Recommendation", "Deadline",
            "Source", "EvaluationId", "Status", "RectifiedBeforeReport", "RectifiedOn", "CreatedBy", "CreatedAt", "ClosedOn", "Extensions",
            "PlanDate", "PlanMeasures", "PlanResponsible", "Remaining", "RequestedDeadline", "ResultText", "Verification")
        SELECT fid, 'P' || y || '-' || n || '-' || j, org, y, category, '问题' || j || '：' || category || '方面存在不足', '评价发现的问题说明。', '建议加强管理。', deadline,
               'ThirdParty', id,
               CASE state WHEN 'closed' THEN 'Rectified' WHEN 'unrectifiable' THEN 'Unrectifiable' WHEN 'planning' THEN 'Open' WHEN 'planning_extension' THEN 'Open'
                          ELSE CASE WHEN partial THEN 'Partial' ELSE 'InProgress' END END,
               false, CASE WHEN state = 'closed' THEN deadline - 10 END, (SELECT finance FROM ctx), now(),
               CASE WHEN state IN ('closed', 'unrectifiable') THEN deadline - 5 END, CASE WHEN partial THEN 1 ELSE 0 END,
               CASE WHEN state <> 'planning' AND state <> 'planning_extension' THEN deadline - 30 END,
               CASE WHEN state <> 'planning' THEN '制定整改措施，明确责任人。' END,
               CASE WHEN state <> 'planning' THEN '负责人' || n END,
               CASE WHEN partial THEN '尚需完善制度建设。' END,
               CASE WHEN state LIKE '%extension' THEN deadline + 30 END,
               CASE WHEN state IN ('verifying', 'closed', 'unrectifiable') THEN '已按方案完成整改。' END,
               CASE WHEN state IN ('closed', 'unrectifiable') THEN '经核验，情况属实。' END
        FROM fi;

        INSERT INTO cases
        SELECT fcase, 'rectification', 'Finding', fid, title || '：问题' || j || '整改', org, NULL, 'planning', '整改通知', state,
               CASE WHEN state NOT IN ('closed', 'unrectifiable') THEN deadline END, NULL, now()
        FROM fi;
        """;

    // The open work items the issue asks for exceed what three years of self-evaluation and the
    // rectifications leave open, so the rest are next year's 项目 self-evaluations, freshly drafted
    // (no plan target yet, no indicator rows), spread over the units.
    private static string OpenDrafts(int target) => $"""
        CREATE TEMP TABLE extra AS
        SELECT i, u.n, u.id AS org, pg_temp.gid('xse', i) AS id, pg_temp.gid('xcase', i) AS case_id, c.y1 + 1 AS y,
               '湖南省' || u.city || '市' || u.dept || '第' || u.n || '预算单位' || (c.y1 + 1) || '年度' || u.dept || '新增项目' || ((i - 1) / c.units + 1) || '绩效自评' AS title,
               u.dept || '新增项目' || ((i - 1) / c.units + 1) AS project,
               c.today + 1 + pg_temp.rnd('xdue', i) % 365 AS deadline
        FROM ctx c, generate_series(1, greatest(0, {target} - (SELECT count(*) FROM cases WHERE state NOT IN ('accepted', 'completed', 'closed', 'unrectifiable')))) AS i
        JOIN unit u ON u.n = (i - 1) % (SELECT units FROM ctx) + 1;

        INSERT INTO budgeteval.self_evaluations ("Id", "OrganisationId", "FiscalYear", "Title", "Deadline", "Status", "IsLate", "CurrentVersion", "CaseId",
            "CreatedAt", "UpdatedAt", "FundsRowsJson", "Kind", "ProjectName")
        SELECT id, org, y, title, deadline, 'draft', false, 0, case_id, now(), now(), '[]', 'Project', project FROM extra;

        INSERT INTO cases
        SELECT case_id, 'self-evaluation-review', 'SelfEvaluation', id, title, org, NULL, 'draft', '发布评价工作计划', 'draft', deadline, deadline, now() FROM extra;
        """;

    // Every case: 'start' into its initial state, and where it now stands elsewhere an 'alter'
    // (调整状态, the engine's own verb for moving a case by hand); the head of the chain on the case;
    // one open work item for each case in a task state, for the role the definition names.
    private const string HistoryAndWorkItems = """
        CREATE TEMP TABLE h1 AS
        SELECT c.*, x.finance, x.finance_name, x.bureau, now() - interval '1 day' AS at1, now() - interval '1 hour' AS at2,
               pg_temp.hist('0000000000000000000000000000000000000000000000000000000000000000', c.id, 1, x.finance, x.finance_name,
                            now() - interval '1 day', 'start', c.initial_label, NULL, c.initial, NULL) AS hash1
        FROM cases c, ctx x;

        ALTER TABLE h1 ADD COLUMN hash2 text;
        UPDATE h1 SET hash2 = pg_temp.hist(hash1, id, 2, finance, finance_name, at2, 'alter', '调整状态', initial, state, '省级基准数据') WHERE state <> initial;

        INSERT INTO budgeteval.workflow_instances ("Id", "DefinitionId", "DefinitionVersion", "State", "SubjectType", "SubjectId", "Title", "OrganisationId",
            "AssignedFirmId", "PlanDeadline", "DueAt", "IsLate", "Version", "CreatedAt", "UpdatedAt", "HistorySeq", "HistoryHash")
        SELECT id, definition, 1, state, subject_type, subject, title, org, firm, plan_deadline, pg_temp.day_end(due), false,
               CASE WHEN hash2 IS NULL THEN 1 ELSE 2 END, at1, CASE WHEN hash2 IS NULL THEN at1 ELSE at2 END, CASE WHEN hash2 IS NULL THEN 1 ELSE 2 END, coalesce(hash2, hash1)
        FROM h1 ORDER BY id;

        INSERT INTO budgeteval.workflow_history ("InstanceId", "Seq", "ActorId", "ActorName", "At", "Action", "ActionLabel", "FromState", "ToState", "Comment", "PrevHash", "Hash")
        SELECT id, 1, finance, finance_name, at1, 'start', initial_label, NULL, initial, NULL, '0000000000000000000000000000000000000000000000000000000000000000', hash1
        FROM h1 ORDER BY id;

        INSERT INTO budgeteval.workflow_history ("InstanceId", "Seq", "ActorId", "ActorName", "At", "Action", "ActionLabel", "FromState", "ToState", "Comment", "PrevHash", "Hash")
        SELECT id, 2, finance, finance_name, at2, 'alter', '调整状态', initial, state, '省级基准数据', hash1, hash2
        FROM h1 WHERE hash2 IS NOT NULL ORDER BY id;

        CREATE TEMP TABLE task (definition text, state text, label text, role text);
        INSERT INTO task VALUES
          ('self-evaluation-review', 'draft', '草稿', 'UnitFiller'), ('self-evaluation-review', 'unit_review', '单位审核', 'UnitHead'),
          ('self-evaluation-review', 'bureau_review', '财政审核', 'FinanceOfficer'), ('self-evaluation-review', 'returned', '退回修改', 'UnitFiller'),
          ('rectification', 'planning', '制定整改方案', 'UnitFiller'), ('rectification', 'planning_extension', '延期审核（整改方案）', 'FinanceOfficer'),
          ('rectification', 'implementing', '整改落实', 'UnitFiller'), ('rectification', 'implementing_extension', '延期审核（整改落实）', 'FinanceOfficer'),
          ('rectification', 'verifying', '财政核验', 'FinanceOfficer');

        -- Reminders start a week before the due day (09:00 Beijing), never in the past: the generated
        -- province owes no reminder at the moment it is made.
        INSERT INTO budgeteval.work_items ("Id", "InstanceId", "State", "StateLabel", "Title", "AssigneeRole", "AssigneeOrganisationId", "CaseOrganisationId",
            "CaseFirmId", "DueAt", "NextReminderAt", "Status", "CreatedAt")
        SELECT md5(h1.id::text || ':item')::uuid, h1.id, h1.state, t.label, h1.title, t.role,
               CASE WHEN t.role = 'FinanceOfficer' THEN h1.bureau ELSE h1.org END, h1.org, h1.firm, pg_temp.day_end(h1.due),
               greatest((h1.due - 7)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '9 hours', pg_temp.day_end((SELECT today FROM ctx)) + interval '9 hours'),
               'Open', CASE WHEN h1.hash2 IS NULL THEN h1.at1 ELSE h1.at2 END
        FROM h1 JOIN task t ON t.definition = h1.definition AND t.state = h1.state
        ORDER BY h1.id;
        """;
}
