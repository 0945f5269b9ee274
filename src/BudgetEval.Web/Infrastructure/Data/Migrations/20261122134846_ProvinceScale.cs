using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProvinceScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_work_items_open_inbox",
                schema: "budgeteval",
                table: "work_items",
                columns: new[] { "AssigneeOrganisationId", "AssigneeRole", "DueAt" },
                filter: "\"Status\" = 'Open'")
                .Annotation("Npgsql:IndexInclude", new[] { "State", "StateLabel", "AssigneeUserId", "ClaimedBy", "CaseOrganisationId", "CaseFirmId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_self_evaluations_CreatedAt_Id",
                schema: "budgeteval",
                table: "self_evaluations",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_findings_FiscalYear_Number",
                schema: "budgeteval",
                table: "findings",
                columns: new[] { "FiscalYear", "Number" },
                descending: new[] { true, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_work_items_open_inbox",
                schema: "budgeteval",
                table: "work_items");

            migrationBuilder.DropIndex(
                name: "IX_self_evaluations_CreatedAt_Id",
                schema: "budgeteval",
                table: "self_evaluations");

            migrationBuilder.DropIndex(
                name: "IX_findings_FiscalYear_Number",
                schema: "budgeteval",
                table: "findings");
        }
    }
}
