using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AppendOnlyAuditTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // R55: the audit log is append-only in the database as well, not only inside the application. The
            // idempotent script wraps each migration's SQL in IF ... BEGIN ... END, where a bare CREATE TRIGGER is
            // invalid (it must start its batch), so it runs through EXEC.
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [dbo].[AuditEvents_AppendOnly] ON [dbo].[AuditEvents] INSTEAD OF UPDATE, DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    THROW 51055, N''AuditEvents is append-only: rows cannot be changed or deleted.'', 1;
                END');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("EXEC(N'DROP TRIGGER IF EXISTS [dbo].[AuditEvents_AppendOnly]');");
        }
    }
}
