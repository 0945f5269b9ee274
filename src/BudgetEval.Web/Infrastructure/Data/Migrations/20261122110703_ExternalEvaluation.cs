using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExternalEvaluation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "evaluations",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProjectName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Budget = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Status = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: true),
                    FirmId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReportDueDate = table.Column<DateOnly>(type: "date", nullable: true),
                    TemplateKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ReportNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ReportDate = table.Column<DateOnly>(type: "date", nullable: true),
                    CompletedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    TeamJson = table.Column<string>(type: "jsonb", nullable: false),
                    RowsJson = table.Column<string>(type: "jsonb", nullable: false),
                    ProblemsJson = table.Column<string>(type: "jsonb", nullable: false),
                    ReportJson = table.Column<string>(type: "jsonb", nullable: false),
                    UnitComment = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_evaluations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_evaluations_organisations_FirmId",
                        column: x => x.FirmId,
                        principalSchema: "budgeteval",
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_evaluations_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalSchema: "budgeteval",
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "findings",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    Category = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Detail = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    IndicatorRow = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Recommendation = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    Deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    Source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SourceDocument = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SourceDate = table.Column<DateOnly>(type: "date", nullable: true),
                    EvaluationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RectifiedBeforeReport = table.Column<bool>(type: "boolean", nullable: false),
                    RectifiedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    RectifiedEvidence = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_findings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_findings_evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalSchema: "budgeteval",
                        principalTable: "evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_findings_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalSchema: "budgeteval",
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_evaluations_FirmId",
                schema: "budgeteval",
                table: "evaluations",
                column: "FirmId");

            migrationBuilder.CreateIndex(
                name: "IX_evaluations_FiscalYear_OrganisationId",
                schema: "budgeteval",
                table: "evaluations",
                columns: new[] { "FiscalYear", "OrganisationId" });

            migrationBuilder.CreateIndex(
                name: "IX_evaluations_OrganisationId",
                schema: "budgeteval",
                table: "evaluations",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_findings_EvaluationId_Title",
                schema: "budgeteval",
                table: "findings",
                columns: new[] { "EvaluationId", "Title" },
                unique: true,
                filter: "\"EvaluationId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_findings_Number",
                schema: "budgeteval",
                table: "findings",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_findings_OrganisationId_FiscalYear",
                schema: "budgeteval",
                table: "findings",
                columns: new[] { "OrganisationId", "FiscalYear" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "findings",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "evaluations",
                schema: "budgeteval");
        }
    }
}
