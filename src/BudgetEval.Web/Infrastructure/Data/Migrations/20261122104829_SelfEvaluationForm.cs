using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class SelfEvaluationForm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "FundsBudget",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "FundsExecuted",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FundsRowsJson",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]"); // hand-edited: existing rows get an empty list, not invalid JSON

            migrationBuilder.AddColumn<decimal>(
                name: "FundsUpperTransfer",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GoalsAchieved",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GoalsPlanned",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "DepartmentWide"); // hand-edited: existing rows are department-wide

            migrationBuilder.AddColumn<Guid>(
                name: "PlanId",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProjectName",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Report_Basics",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(50000)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Report_Budget",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(50000)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Report_NextSteps",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(50000)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Report_Other",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(50000)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Report_Performance",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(50000)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Report_Problems",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(50000)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Report_Rectification",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(50000)",
                maxLength: 50000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "plans",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    NoticeNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ScoringRulesJson = table.Column<string>(type: "jsonb", nullable: false),
                    TemplateId = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    TemplateJson = table.Column<string>(type: "jsonb", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plans", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "self_evaluation_attachments",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SelfEvaluationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UploadedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    UploadedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_self_evaluation_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_self_evaluation_attachments_self_evaluations_SelfEvaluation~",
                        column: x => x.SelfEvaluationId,
                        principalSchema: "budgeteval",
                        principalTable: "self_evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "self_evaluation_indicators",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SelfEvaluationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    SortOrder = table.Column<int>(type: "integer", nullable: false),
                    Level1 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Level2 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Level3 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Content = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Target = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Actual = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Weight = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: true),
                    Score = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Measure = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_self_evaluation_indicators", x => x.Id);
                    table.ForeignKey(
                        name: "FK_self_evaluation_indicators_self_evaluations_SelfEvaluationId",
                        column: x => x.SelfEvaluationId,
                        principalSchema: "budgeteval",
                        principalTable: "self_evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_amendments",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_amendments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_plan_amendments_plans_PlanId",
                        column: x => x.PlanId,
                        principalSchema: "budgeteval",
                        principalTable: "plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_targets",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProjectName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ProjectBudget = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    SelfEvaluationId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_targets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_plan_targets_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalSchema: "budgeteval",
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_plan_targets_plans_PlanId",
                        column: x => x.PlanId,
                        principalSchema: "budgeteval",
                        principalTable: "plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_self_evaluations_PlanId",
                schema: "budgeteval",
                table: "self_evaluations",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_plan_amendments_PlanId",
                schema: "budgeteval",
                table: "plan_amendments",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_plan_targets_OrganisationId",
                schema: "budgeteval",
                table: "plan_targets",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_plan_targets_PlanId_OrganisationId_Kind_ProjectName",
                schema: "budgeteval",
                table: "plan_targets",
                columns: new[] { "PlanId", "OrganisationId", "Kind", "ProjectName" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "IX_plans_FiscalYear",
                schema: "budgeteval",
                table: "plans",
                column: "FiscalYear");

            migrationBuilder.CreateIndex(
                name: "IX_self_evaluation_attachments_SelfEvaluationId",
                schema: "budgeteval",
                table: "self_evaluation_attachments",
                column: "SelfEvaluationId");

            migrationBuilder.CreateIndex(
                name: "IX_self_evaluation_indicators_SelfEvaluationId_SortOrder",
                schema: "budgeteval",
                table: "self_evaluation_indicators",
                columns: new[] { "SelfEvaluationId", "SortOrder" });

            migrationBuilder.AddForeignKey(
                name: "FK_self_evaluations_plans_PlanId",
                schema: "budgeteval",
                table: "self_evaluations",
                column: "PlanId",
                principalSchema: "budgeteval",
                principalTable: "plans",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_self_evaluations_plans_PlanId",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropTable(
                name: "plan_amendments",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "plan_targets",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "self_evaluation_attachments",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "self_evaluation_indicators",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "plans",
                schema: "budgeteval");

            migrationBuilder.DropIndex(
                name: "IX_self_evaluations_PlanId",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "FundsBudget",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "FundsExecuted",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "FundsRowsJson",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "FundsUpperTransfer",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "GoalsAchieved",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "GoalsPlanned",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Kind",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "PlanId",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "ProjectName",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Report_Basics",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Report_Budget",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Report_NextSteps",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Report_Other",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Report_Performance",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Report_Problems",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "Report_Rectification",
                schema: "budgeteval",
                table: "self_evaluations");
        }
    }
}
