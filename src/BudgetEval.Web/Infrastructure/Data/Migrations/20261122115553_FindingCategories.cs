using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class FindingCategories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "finding_categories",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    SortOrder = table.Column<int>(type: "integer", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_categories", x => x.Id);
                });

            migrationBuilder.InsertData(
                schema: "budgeteval",
                table: "finding_categories",
                columns: new[] { "Id", "IsActive", "Name", "SortOrder" },
                values: new object[,]
                {
                    { 1, true, "预算绩效管理", 10 },
                    { 2, true, "财务管理", 20 },
                    { 3, true, "资产管理", 30 },
                    { 4, true, "业务管理", 40 },
                    { 5, true, "项目管理", 50 },
                    { 6, true, "整改落实", 60 },
                    { 7, true, "其他", 70 }
                });

            migrationBuilder.CreateIndex(
                name: "IX_finding_categories_Name",
                schema: "budgeteval",
                table: "finding_categories",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "finding_categories",
                schema: "budgeteval");
        }
    }
}
