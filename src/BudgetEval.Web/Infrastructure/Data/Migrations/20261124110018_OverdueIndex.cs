using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class OverdueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_work_items_open_due",
                schema: "budgeteval",
                table: "work_items",
                column: "DueAt",
                filter: "\"Status\" = 'Open'")
                .Annotation("Npgsql:IndexInclude", new[] { "AssigneeRole" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_work_items_open_due",
                schema: "budgeteval",
                table: "work_items");
        }
    }
}
