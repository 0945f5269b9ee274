using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class SelfEvaluationHeaderFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Functions",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "IndependentUnits",
                schema: "budgeteval",
                table: "self_evaluations",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Functions",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropColumn(
                name: "IndependentUnits",
                schema: "budgeteval",
                table: "self_evaluations");
        }
    }
}
