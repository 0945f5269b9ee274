using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class Rectification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ClosedOn",
                schema: "budgeteval",
                table: "findings",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Extensions",
                schema: "budgeteval",
                table: "findings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "NextDeadline",
                schema: "budgeteval",
                table: "findings",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "PlanDate",
                schema: "budgeteval",
                table: "findings",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PlanMeasures",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PlanResponsible",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Remaining",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "RequestedDeadline",
                schema: "budgeteval",
                table: "findings",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResultText",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Verification",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "finding_evidence",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FindingId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
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
                    table.PrimaryKey("PK_finding_evidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_finding_evidence_findings_FindingId",
                        column: x => x.FindingId,
                        principalSchema: "budgeteval",
                        principalTable: "findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "finding_statements",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SelfEvaluationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FindingId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Statement = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_statements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_finding_statements_findings_FindingId",
                        column: x => x.FindingId,
                        principalSchema: "budgeteval",
                        principalTable: "findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_finding_statements_self_evaluations_SelfEvaluationId",
                        column: x => x.SelfEvaluationId,
                        principalSchema: "budgeteval",
                        principalTable: "self_evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_finding_evidence_FindingId_FileName_Version",
                schema: "budgeteval",
                table: "finding_evidence",
                columns: new[] { "FindingId", "FileName", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_finding_statements_FindingId",
                schema: "budgeteval",
                table: "finding_statements",
                column: "FindingId");

            migrationBuilder.CreateIndex(
                name: "IX_finding_statements_SelfEvaluationId_FindingId",
                schema: "budgeteval",
                table: "finding_statements",
                columns: new[] { "SelfEvaluationId", "FindingId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "finding_evidence",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "finding_statements",
                schema: "budgeteval");

            migrationBuilder.DropColumn(
                name: "ClosedOn",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "Extensions",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "NextDeadline",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "PlanDate",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "PlanMeasures",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "PlanResponsible",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "Remaining",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "RequestedDeadline",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "ResultText",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "Verification",
                schema: "budgeteval",
                table: "findings");
        }
    }
}
