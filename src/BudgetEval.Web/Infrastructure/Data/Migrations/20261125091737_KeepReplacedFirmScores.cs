using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeepReplacedFirmScores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "replaced_firm_records",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EvaluationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    No = table.Column<int>(type: "integer", nullable: false),
                    HistorySeq = table.Column<int>(type: "integer", nullable: false),
                    FirmId = table.Column<Guid>(type: "uuid", nullable: true),
                    FirmName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ReplacedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReplacedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    ReplacedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    ContentJson = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_replaced_firm_records", x => x.Id);
                    table.ForeignKey(
                        name: "FK_replaced_firm_records_evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalSchema: "budgeteval",
                        principalTable: "evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_replaced_firm_records_EvaluationId_No",
                schema: "budgeteval",
                table: "replaced_firm_records",
                columns: new[] { "EvaluationId", "No" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "replaced_firm_records",
                schema: "budgeteval");
        }
    }
}
