using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class Dashboards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_findings_open_deadline",
                schema: "budgeteval",
                table: "findings",
                column: "Deadline",
                filter: "\"Status\" IN ('Open', 'InProgress', 'Partial')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_findings_open_deadline",
                schema: "budgeteval",
                table: "findings");
        }
    }
}
