using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class FindingEvaluationRemarks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FirmAnswer",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriorSourceDocument",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriorSourceKind",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitComment",
                schema: "budgeteval",
                table: "findings",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "UnitDisputed",
                schema: "budgeteval",
                table: "findings",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FirmAnswer",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "PriorSourceDocument",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "PriorSourceKind",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "UnitComment",
                schema: "budgeteval",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "UnitDisputed",
                schema: "budgeteval",
                table: "findings");
        }
    }
}
