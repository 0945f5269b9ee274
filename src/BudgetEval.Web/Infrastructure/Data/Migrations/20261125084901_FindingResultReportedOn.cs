using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class FindingResultReportedOn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ResultReportedOn",
                schema: "budgeteval",
                table: "findings",
                type: "date",
                nullable: true);

            // Findings already waiting for the bureau's verification: the day (Beijing time, the district's) their case last
            // entered 财政核验, so a result reported on time is not 逾期 from the first day after the upgrade.
            migrationBuilder.Sql("""
                UPDATE budgeteval.findings f
                SET "ResultReportedOn" = (
                    SELECT CAST(h."At" AT TIME ZONE 'Asia/Shanghai' AS date)
                    FROM budgeteval.workflow_history h
                    WHERE h."InstanceId" = i."Id" AND h."ToState" = 'verifying'
                    ORDER BY h."Seq" DESC
                    LIMIT 1)
                FROM budgeteval.workflow_instances i
                WHERE i."SubjectType" = 'Finding' AND i."SubjectId" = f."Id" AND i."DefinitionId" = 'rectification' AND i."State" = 'verifying';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ResultReportedOn",
                schema: "budgeteval",
                table: "findings");
        }
    }
}
