using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class SubmittedGrade : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SubmittedGrade",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            // Existing records take the grade frozen in their current version (the dashboard reads the same).
            migrationBuilder.Sql("""
                UPDATE budgeteval.self_evaluations s
                SET "SubmittedGrade" = v."ContentJson"->>'grade'
                FROM budgeteval.self_evaluation_versions v
                WHERE v."SelfEvaluationId" = s."Id" AND v."VersionNo" = s."CurrentVersion" AND v."ContentJson"->>'grade' IS NOT NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_self_evaluations_FiscalYear",
                schema: "budgeteval",
                table: "self_evaluations",
                column: "FiscalYear");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_self_evaluations_FiscalYear",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "SubmittedGrade",
                schema: "budgeteval",
                table: "self_evaluations");
        }
    }
}
