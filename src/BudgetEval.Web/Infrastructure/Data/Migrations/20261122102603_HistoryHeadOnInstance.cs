using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class HistoryHeadOnInstance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HistoryHash",
                schema: "budgeteval",
                table: "workflow_instances",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "HistorySeq",
                schema: "budgeteval",
                table: "workflow_instances",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing cases take their head from the history they already have.
            migrationBuilder.Sql("""
                UPDATE budgeteval.workflow_instances i
                SET "HistorySeq" = h."Seq", "HistoryHash" = h."Hash"
                FROM (SELECT DISTINCT ON ("InstanceId") "InstanceId", "Seq", "Hash"
                      FROM budgeteval.workflow_history ORDER BY "InstanceId", "Seq" DESC) h
                WHERE h."InstanceId" = i."Id";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HistoryHash",
                schema: "budgeteval",
                table: "workflow_instances");

            migrationBuilder.DropColumn(
                name: "HistorySeq",
                schema: "budgeteval",
                table: "workflow_instances");
        }
    }
}
