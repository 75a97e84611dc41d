using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StoredReachCounted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Bookings_Unit_Start_NotReached",
                table: "Bookings");

            // R60b: the stored answer now leaves out the patients the reports do not count (not activated, or protected
            // identity: BookingReach.NotActivated = 3), so the count needs no join. The rows stored before are brought to
            // that meaning here, in the migration's transaction; planning keeps it from now on.
            migrationBuilder.Sql(
                "UPDATE Bookings SET Reach = 3 WHERE Reach <> 3 AND ("
                + "PatientId IN (SELECT PatientId FROM ReminderSettings WHERE Status <> 'Activated') "
                + "OR PatientId IN (SELECT Id FROM Patients WHERE ProtectedIdentity = 1))");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_Unit_Start_NotReached",
                table: "Bookings",
                columns: new[] { "Unit", "Start", "Status", "PatientId", "Reach" },
                filter: "[Reach] <> 1 AND [Reach] <> 3");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Bookings_Unit_Start_NotReached",
                table: "Bookings");

            // The earlier code knows no 3: those bookings become undecided, which it decides in memory until replanned.
            migrationBuilder.Sql("UPDATE Bookings SET Reach = 0 WHERE Reach = 3");

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_Unit_Start_NotReached",
                table: "Bookings",
                columns: new[] { "Unit", "Start" },
                filter: "[Reach] <> 1");
        }
    }
}
