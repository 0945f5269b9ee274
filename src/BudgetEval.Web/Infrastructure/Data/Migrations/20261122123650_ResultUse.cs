using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ResultUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "budget_note_rules",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Excellent = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Good = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Pass = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Fail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NoGrade = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LowRectificationBelowPercent = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    LowRectification = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_budget_note_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "result_approvals",
                schema: "budgeteval",
                columns: table => new
                {
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ApprovedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    ApprovedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RowsJson = table.Column<string>(type: "jsonb", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_result_approvals", x => x.FiscalYear);
                });

            migrationBuilder.CreateTable(
                name: "result_publications",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    SubjectKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    MarkedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    MarkedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    MarkedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_result_publications", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_result_publications_FiscalYear",
                schema: "budgeteval",
                table: "result_publications",
                column: "FiscalYear");

            migrationBuilder.CreateIndex(
                name: "IX_result_publications_SubjectKind_SubjectId",
                schema: "budgeteval",
                table: "result_publications",
                columns: new[] { "SubjectKind", "SubjectId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "budget_note_rules",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "result_approvals",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "result_publications",
                schema: "budgeteval");
        }
    }
}
