using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class BearerSessionTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "refresh_token_uses",
                schema: "budgeteval",
                columns: table => new
                {
                    TokenId = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refresh_token_uses", x => x.TokenId);
                });

            migrationBuilder.CreateTable(
                name: "revoked_bearer_sessions",
                schema: "budgeteval",
                columns: table => new
                {
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revoked_bearer_sessions", x => x.SessionId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_refresh_token_uses_UsedAt",
                schema: "budgeteval",
                table: "refresh_token_uses",
                column: "UsedAt");

            migrationBuilder.CreateIndex(
                name: "IX_revoked_bearer_sessions_RevokedAt",
                schema: "budgeteval",
                table: "revoked_bearer_sessions",
                column: "RevokedAt");

            // The records kept so far in the workflow engine's idempotency store move here, so tokens issued before
            // keep their one-time rule and revoked sessions stay revoked.
            migrationBuilder.Sql("""
                INSERT INTO budgeteval.refresh_token_uses ("TokenId", "SessionId", "UserId", "UsedAt")
                SELECT CAST(substr("Key", 14) AS uuid), "InstanceId", "UserId", "CreatedAt"
                FROM budgeteval.idempotency_keys
                WHERE "Key" ~ '^refresh-used:[0-9a-f]{32}$'
                ON CONFLICT ("TokenId") DO NOTHING;

                INSERT INTO budgeteval.revoked_bearer_sessions ("SessionId", "UserId", "RevokedAt", "Reason")
                SELECT CAST(substr("Key", 17) AS uuid), "UserId", "CreatedAt", 1
                FROM budgeteval.idempotency_keys
                WHERE "Key" ~ '^refresh-revoked:[0-9a-f]{32}$'
                ON CONFLICT ("SessionId") DO NOTHING;

                DELETE FROM budgeteval.idempotency_keys WHERE "Key" LIKE 'refresh-used:%' OR "Key" LIKE 'refresh-revoked:%';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to the idempotency store as the previous version kept them (a logout was not known there: it
            // becomes a revocation like a replay's).
            migrationBuilder.Sql("""
                INSERT INTO budgeteval.idempotency_keys ("Key", "UserId", "InstanceId", "StatusCode", "ResponseJson", "CreatedAt")
                SELECT 'refresh-used:' || replace(CAST("TokenId" AS text), '-', ''), "UserId", "SessionId", 0, CAST('{}' AS jsonb), "UsedAt"
                FROM budgeteval.refresh_token_uses
                ON CONFLICT ("UserId", "Key") DO NOTHING;

                INSERT INTO budgeteval.idempotency_keys ("Key", "UserId", "InstanceId", "StatusCode", "ResponseJson", "CreatedAt")
                SELECT 'refresh-revoked:' || replace(CAST("SessionId" AS text), '-', ''), "UserId", "SessionId", 0, CAST('{}' AS jsonb), "RevokedAt"
                FROM budgeteval.revoked_bearer_sessions
                ON CONFLICT ("UserId", "Key") DO NOTHING;
                """);

            migrationBuilder.DropTable(
                name: "refresh_token_uses",
                schema: "budgeteval");

            migrationBuilder.DropTable(
                name: "revoked_bearer_sessions",
                schema: "budgeteval");
        }
    }
}
