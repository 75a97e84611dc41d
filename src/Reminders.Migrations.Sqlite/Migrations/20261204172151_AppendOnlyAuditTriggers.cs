using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AppendOnlyAuditTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // R55: the audit log is append-only in the database as well, not only inside the application.
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditEvents_NoUpdate" BEFORE UPDATE ON "AuditEvents"
                BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only: rows cannot be changed.'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditEvents_NoDelete" BEFORE DELETE ON "AuditEvents"
                BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only: rows cannot be deleted.'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditEvents_NoDelete\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditEvents_NoUpdate\";");
        }
    }
}
