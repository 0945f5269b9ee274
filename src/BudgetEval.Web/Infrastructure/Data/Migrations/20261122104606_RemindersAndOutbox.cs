using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class RemindersAndOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DigestPending",
                schema: "budgeteval",
                table: "notifications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Event",
                schema: "budgeteval",
                table: "notifications",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "calendar_days",
                schema: "budgeteval",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_calendar_days", x => x.Date);
                });

            migrationBuilder.CreateTable(
                name: "job_runs",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Job = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    Detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "notification_preferences",
                schema: "budgeteval",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    EmailMode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    NonEssentialEmail = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_preferences", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RecipientUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ToAddress = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ToName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Event = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Html = table.Column<string>(type: "text", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "reminder_ledger",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkItemId = table.Column<Guid>(type: "uuid", nullable: false),
                    Stage = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    RecipientUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentBy = table.Column<Guid>(type: "uuid", nullable: true),
                    Message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reminder_ledger", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_digest_pending",
                schema: "budgeteval",
                table: "notifications",
                column: "RecipientUserId",
                filter: "\"DigestPending\"");

            migrationBuilder.CreateIndex(
                name: "IX_job_runs_Job_StartedAt",
                schema: "budgeteval",
                table: "job_runs",
                columns: new[] { "Job", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_NextAttemptAt",
                schema: "budgeteval",
                table: "outbox",
                column: "NextAttemptAt",
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_Status_CreatedAt",
                schema: "budgeteval",
                table: "outbox",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_reminder_ledger_CreatedAt",
                schema: "budgeteval",
                table: "reminder_ledger",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_reminder_ledger_WorkItemId_Stage_Day_RecipientUserId",
                schema: "budgeteval",
                table: "reminder_ledger",
                columns: new[] { "WorkItemId", "Stage", "Day", "RecipientUserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "calendar_days",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "job_runs",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "notification_preferences",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "outbox",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "reminder_ledger",
                schema: "budgeteval");

            migrationBuilder.DropIndex(
                name: "ix_notifications_digest_pending",
                schema: "budgeteval",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "DigestPending",
                schema: "budgeteval",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "Event",
                schema: "budgeteval",
                table: "notifications");
        }
    }
}
