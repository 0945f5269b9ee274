using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "result_approval_rows",
                schema: "budgeteval",
                columns: table => new
                {
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    Seq = table.Column<int>(type: "integer", nullable: false),
                    UnitName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Published = table.Column<bool>(type: "boolean", nullable: false),
                    RowJson = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_result_approval_rows", x => new { x.FiscalYear, x.Seq });
                    table.ForeignKey(
                        name: "FK_result_approval_rows_result_approvals_FiscalYear",
                        column: x => x.FiscalYear,
                        principalSchema: "budgeteval",
                        principalTable: "result_approvals",
                        principalColumn: "FiscalYear",
                        onDelete: ReferentialAction.Cascade);
                });

            // Approved years move from one JSON array per year to a row per line, in the same order. The kind
            // was serialised as the enum's number (0 部门整体, 1 项目); the column holds its name.
            migrationBuilder.Sql("""
                INSERT INTO budgeteval.result_approval_rows ("FiscalYear", "Seq", "UnitName", "Kind", "Published", "RowJson")
                SELECT a."FiscalYear", t.ord, t.r ->> 'unitName',
                       CASE t.r ->> 'kind' WHEN '0' THEN 'DepartmentWide' WHEN '1' THEN 'Project' ELSE t.r ->> 'kind' END,
                       coalesce((t.r ->> 'published')::boolean, false), t.r
                FROM budgeteval.result_approvals a
                CROSS JOIN LATERAL jsonb_array_elements(a."RowsJson") WITH ORDINALITY AS t(r, ord);
                """);

            migrationBuilder.DropColumn(
                name: "RowsJson",
                schema: "budgeteval",
                table: "result_approvals");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RowsJson",
                schema: "budgeteval",
                table: "result_approvals",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.Sql("""
                UPDATE budgeteval.result_approvals a
                SET "RowsJson" = (SELECT coalesce(jsonb_agg(r."RowJson" ORDER BY r."Seq"), '[]'::jsonb)
                                  FROM budgeteval.result_approval_rows r WHERE r."FiscalYear" = a."FiscalYear");
                """);

            migrationBuilder.DropTable(
                name: "result_approval_rows",
                schema: "budgeteval");
        }
    }
}
