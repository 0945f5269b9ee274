using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BudgetEval.Web.Auth;
using BudgetEval.Web.Dashboards;
using BudgetEval.Web.Demo;
using BudgetEval.Web.Evaluations;
using BudgetEval.Web.Findings;
using BudgetEval.Web.Rectifications;
using BudgetEval.Web.Infrastructure.Data;
using BudgetEval.Web.Infrastructure.Jobs;
using BudgetEval.Web.Infrastructure.Logging;
using BudgetEval.Web.Infrastructure.Security;
using BudgetEval.Web.Infrastructure.Web;
using BudgetEval.Web.Notifications;
using BudgetEval.Web.Organisations;
using BudgetEval.Web.Plans;
using BudgetEval.Web.Reminders;
using BudgetEval.Web.ResultUse;
using BudgetEval.Web.SelfEvaluations;
using BudgetEval.Web.Users;
using BudgetEval.Web.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace BudgetEval.Web.Infrastructure.Hosting;

/// <summary>Service registration and the request pipeline, kept out of Program.cs so both stay readable.</summary>
internal static class AppComposition
{
    /// <param name="serving">False for the one-off commands (--migrate-only, --create-admin): mail and link settings are not needed.</param>
    public static void AddBudgetEval(this WebApplicationBuilder builder, bool serving = true)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        StartupSettings.Validate(config, builder.Environment, serving);

        if (builder.Environment.IsProduction())
        {
            // One JSON object per line, with the request scope (user, request id) attached.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }

        services.Configure<NodeOptions>(config.GetSection(NodeOptions.Section));
        // Time for in-flight requests and jobs (an SMTP send and its commit) to finish on SIGTERM; systemd's
        // TimeoutStopSec=60 and compose's stop_grace_period: 60s leave 5 s more before they kill the process.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        // AllowedHosts guards against forged Host headers from outside; probes on the machine itself (Docker's
        // HEALTHCHECK, curl http://127.0.0.1:8080/healthz) name loopback and are always let through. Runs after
        // the framework's own PostConfigure, which fills AllowedHosts from configuration.
        services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o =>
        {
            if (o.AllowedHosts.Count > 0 && !o.AllowedHosts.Contains("*"))
            {
                o.AllowedHosts = [.. o.AllowedHosts.Union(LoopbackHosts, StringComparer.OrdinalIgnoreCase)];
            }
        });
        services.Configure<AppOptions>(config.GetSection(AppOptions.Section));
        services.Configure<DemoOptions>(config.GetSection(DemoOptions.Section));
        services.Configure<EmailOptions>(config.GetSection(EmailOptions.Section));
        services.Configure<ProxyOptions>(config.GetSection(ProxyOptions.Section));
        services.Configure<AdmissionOptions>(config.GetSection(AdmissionOptions.Section));
        services.Configure<AuditOptions>(config.GetSection(AuditOptions.Section));
        services.Configure<LoginThrottleOptions>(config.GetSection(LoginThrottleOptions.Section));
        services.AddScoped<LoginThrottle>(); // failed sign-ins per client address, counted in PostgreSQL for all nodes
        services.Configure<PdfOptions>(config.GetSection(PdfOptions.Section));
        services.Configure<Dashboards.DashboardOptions>(config.GetSection(Dashboards.DashboardOptions.Section));
        services.Configure<BudgetEval.Web.Shared.FigureOptions>(config.GetSection(BudgetEval.Web.Shared.FigureOptions.Section));
        var maxBody = (config.GetSection(AppOptions.Section).Get<AppOptions>() ?? new AppOptions()).MaxRequestBodyMegabytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody * 1024L * 1024L);
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = maxBody * 1024L * 1024L);
        if (builder.Environment.IsEnvironment("Testing") && config["Testing:Now"] is { Length: > 0 } start)
        {
            services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture)));
        }
        else
        {
            services.AddSingleton(TimeProvider.System);
        }

        services.AddSingleton<BudgetEval.Web.Shared.ChinaClock>();
        services.AddSingleton<BudgetEval.Web.Shared.BureauName>(); // the district's name in the page footer

        var connectionString = WithConnectionTuning(config.GetConnectionString("Default")
            ?? throw new StartupRefusedException("ConnectionStrings:Default is not set (see appsettings.sample.json)."));
        services.AddHttpContextAccessor();
        services.AddScoped<DataScopeAccessor>();
        // Pooled contexts (ADR 0012): a context is reset and reused instead of built for every request and
        // every transition. Each DI scope rents one and gives it that scope's data scope.
#pragma warning disable EF1001 // IQueryCompiler is internal to EF; ScopedQueryCompiler says why it is replaced.
        services.AddPooledDbContextFactory<AppDbContext>(o => o
            .UseNpgsql(connectionString, npgsql =>
            {
                npgsql.MigrationsHistoryTable("__ef_migrations_history", AppDbContext.Schema);
                npgsql.EnableRetryOnFailure(3);
            })
            // Users are filtered through their organisation on purpose (Identity must find them at login,
            // before any scope exists), so EF's "required end is filtered" warning is expected here.
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning))
            // Each kind of caller gets its own SQL for a query (ADR 0014).
            .ReplaceService<Microsoft.EntityFrameworkCore.Query.Internal.IQueryCompiler, ScopedQueryCompiler>());
#pragma warning restore EF1001
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
            db.ScopeAccessor = sp.GetRequiredService<DataScopeAccessor>();
            return db;
        });
        // Definitions load before migrations: a broken workflow file stops start-up before anything else happens.
        services.AddWorkflows(config);
        services.AddRemindersAndNotifications();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<DatabaseReadiness>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseReadiness>()); // before the jobs: they find the database up and the schema ready
        services.AddBudgetEvalJobs(config, connectionString);
        services.AddScoped<DemoSeeder>();
        services.AddHostedService<DemoBanner>();

        AddIdentity(services);
        services.AddSessionLifetime(config);

        // Keys in PostgreSQL: cookies and tokens survive restarts and are valid on every node.
        var dataProtection = services.AddDataProtection().SetApplicationName("BudgetEval");
        if (DataProtectionCertificate.Load(config) is { } certificate)
        {
            // New keys are written encrypted with the certificate, so a database dump or backup alone cannot
            // forge sign-ins; keys written before stay readable. Every node needs the same certificate.
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyStore(sp.GetRequiredService<IServiceScopeFactory>())));

        // Razor must write Chinese as characters, not &#x...; entities.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            // Feature folders: pages sit with their feature at the project root, not under /Pages.
            o.RootDirectory = "/";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Auth/Login");
            o.Conventions.AllowAnonymousToPage("/Shared/Error");
            o.Conventions.AddPageRoute("/Plans/Edit", "plans/new"); // the same page creates and edits
            o.Conventions.AddPageRoute("/SelfEvaluations/Print", "self-evaluations/{id:guid}/print.pdf"); // the print view, rendered by Chromium
            o.Conventions.AddPageRoute("/Evaluations/Print", "evaluations/{id:guid}/print.pdf");
            o.Conventions.AddPageRoute("/ResultUse/Print", "results/{year:int}/print.pdf");
            // Every admin page is the administrator's, except the 指标模板 list, which the bureau reads too (it authorizes itself).
            o.Conventions.AddFolderApplicationModelConvention("/Admin", model =>
            {
                if (model.ViewEnginePath != Admin.Templates.IndexModel.PagePath)
                {
                    model.EndpointMetadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(AdminPolicy));
                }
            });
        }).AddMvcOptions(o =>
        {
            o.Filters.Add<AccessDenied.RefusedActionFilter>();
            o.Filters.Add<AccessDenied.NoHandlerFilter>();
            Web.ChineseBindingMessages.Apply(o.ModelBindingMessageProvider);
            // The 自评表 page binds its indicator rows as a list: as many as the import and the API take (default 1,024).
            o.MaxModelBindingCollectionSize = Math.Max(o.MaxModelBindingCollectionSize, SelfEvaluations.Import.IndicatorFile.MaxRows + 1);
        });
        services.AddOpenApi(Web.ApiDocument.Configure);
        // Binding failures reach RequestProblemsMiddleware, which answers them in Chinese naming the field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database").AddCheck<SchemaHealthCheck>("schema");
        services.AddSingleton<SchemaHealthCheck>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "be.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }

    public const string AdminPolicy = "admin";

    internal static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(55);

    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// The same few statements run on every transition; letting Npgsql prepare them saves the server a
    /// parse and plan each time. A connection string that sets Max Auto Prepare itself (e.g. 0 behind a
    /// transaction-pooling PgBouncer) is left alone. Nor is a pooled connection reset when it goes back to
    /// the pool: the reset is seven statements (advisory unlock, RESET ALL, DISCARD ...) on every request,
    /// as many as a transition's own, and the application keeps no session state (its settings are
    /// SET LOCAL, its one advisory lock is released on its own connection; ADR 0012). A connection string
    /// that sets No Reset On Close itself is left alone too.
    /// </summary>
    internal static string WithConnectionTuning(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 128; // a statement can have one text per kind of caller (ADR 0014)
            builder.AutoPrepareMinUsages = 2;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private const string CredentialSelectorScheme = "cookie-or-bearer";

    private static void AddIdentity(IServiceCollection services)
    {
        services.AddIdentity<AppUser, AppRole>(o =>
            {
                // ThreeClassPasswordValidator checks the length with the other rules; Identity's own check would say it twice.
                o.Password.RequiredLength = 0;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddErrorDescriber<ChineseIdentityErrorDescriber>()
            .AddPasswordValidator<ThreeClassPasswordValidator>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddSignInManager<AppSignInManager>()
            .AddDefaultTokenProviders();

        // Requests are authenticated up front by whichever credential they carry, so logging and the data
        // scope see the user on API calls too. The API's policy still accepts bearer tokens only.
        services.AddAuthentication(o => o.DefaultAuthenticateScheme = CredentialSelectorScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(1))
            .AddPolicyScheme(CredentialSelectorScheme, "cookie or bearer", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme);

        // A password change or a lock renews the security stamp; other sessions notice within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        // Each node remembers which (user, stamp) it found current within that minute, for cookies and tokens alike.
        services.AddSingleton<StampConfirmations>();
        services.AddScoped<ISecurityStampValidator, ConfirmedStampValidator>();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "be.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Idle timeout (Auth:IdleMinutes, default 30) and sliding renewal: SessionLifetime.AddSessionLifetime.
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                // A refused read looks like a missing page (nothing about what exists leaks); a refused
                // action is a plain 403. The status-code page adds the Chinese body (docs/authorization.md).
                ctx.Response.StatusCode = AccessDenied.StatusFor(ctx.Request.Method);
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiAuth.Policy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));
    }

    // The API never redirects to the login page; it answers with a status code.
    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }

        return Task.CompletedTask;
    }

    public static void UseBudgetEval(this WebApplication app)
    {
        var node = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        UseForwardedHeadersIfBehindProxy(app);
        // First, so the exception handler's and RequestProblemsMiddleware's lines carry the user too.
        app.UseMiddleware<RequestLogScopeMiddleware>();
        var zhCn = new CultureInfo("zh-CN");
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(zhCn),
            SupportedCultures = [zhCn],
            SupportedUICultures = [zhCn],
        });

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStaticFiles();
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), b => b.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), b => b.UseStatusCodePages(RequestProblemsMiddleware.ApiStatusAsync));
        app.UseMiddleware<RequestProblemsMiddleware>();
        app.UseMiddleware<AdmissionMiddleware>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<BearerStampMiddleware>();
        app.UseMiddleware<MustChangePasswordMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/healthz").AllowAnonymous();

        // Liveness without touching the database: the benchmarks' reference for what the web stack
        // alone can serve (issue 9), and a probe that does not fail when only PostgreSQL is down.
        app.MapGet("/healthz/live", () => TypedResults.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        if (!node.Web)
        {
            return; // a jobs-only node answers health checks and nothing else
        }

        app.MapOpenApi().AllowAnonymous();
        app.MapRazorPages();

        // Every API endpoint, with the checks all of them share.
        var api = app.MapGroup(string.Empty).AddEndpointFilterFactory(Web.NoNullItems.Create);
        api.MapAuthEndpoints();
        api.MapOrganisationEndpoints();
        api.MapCaseEndpoints();
        api.MapSelfEvaluationEndpoints();
        api.MapReminderEndpoints();
        api.MapNotificationEndpoints();
        api.MapSelfEvaluationFormEndpoints();
        api.MapPlanEndpoints();
        api.MapEvaluationEndpoints();
        Evaluations.Fieldwork.FieldworkEndpoints.MapFieldworkEndpoints(api);
        Evaluations.ReplacedFirms.ReplacedFirmEndpoints.MapReplacedFirmEndpoints(api);
        api.MapFindingEndpoints();
        api.MapRectificationEndpoints();
        api.MapFollowUpEndpoints();
        api.MapDashboardEndpoints();
        api.MapResultEndpoints();
        Oversight.OversightEndpoints.MapOversightEndpoints(api);
        Admin.FindingCategories.FindingCategoryEndpoints.MapFindingCategoryEndpoints(api);
        Admin.Templates.TemplateEndpoints.MapTemplateEndpoints(api);
    }

    // Behind nginx the scheme (for Secure cookies and redirects) and the client address come from
    // X-Forwarded-*; they are believed only from the configured proxies.
    private static void UseForwardedHeadersIfBehindProxy(WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        if (!proxy.TrustForwardedHeaders)
        {
            return;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        foreach (var ip in proxy.KnownProxies)
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(ip));
        }

        foreach (var network in proxy.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        app.UseForwardedHeaders(options);
    }

    /// <summary>
    /// Loads the workflow definitions before the database is touched, and checks that each flow the code starts is
    /// among them: a Workflows:Directories list replaces the shipped folder, and a list holding only a district's
    /// variant would otherwise start fine and answer 500 on the first case of a missing flow.
    /// </summary>
    public static void CheckWorkflows(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<WorkflowRegistry>();
        string[] needed = [SelfEvaluations.SelfEvaluationService.WorkflowId, Evaluations.EvaluationService.WorkflowId, Rectifications.RectificationCases.DefinitionId];
        var missing = needed.Where(id => registry.All.All(d => d.Id != id)).ToList();
        if (missing.Count > 0)
        {
            var folders = WorkflowRegistry.DefaultDirectories(app.Services.GetRequiredService<IOptions<WorkflowOptions>>(), app.Environment);
            throw new StartupRefusedException(
                $"Workflows:Directories: no definition of {string.Join(", ", missing)} in {string.Join(", ", folders)}. The folders listed there replace the shipped workflows/ folder: list that folder too (e.g. /opt/budgeteval/workflows), or copy its files.");
        }
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    /// <summary>Before the host starts: a refusal then comes before any hosted service has logged anything.</summary>
    public static Task PrepareDatabaseAsync(this WebApplication app) =>
        app.Services.GetRequiredService<DatabaseReadiness>().PrepareAsync(CancellationToken.None);
}
