using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BookingReach : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderVasBlocks_Unit",
                table: "ReminderVasBlocks");

            migrationBuilder.AddColumn<int>(
                name: "Reach",
                table: "Bookings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_ReminderVasBlocks_Unit_PatientId",
                table: "ReminderVasBlocks",
                columns: new[] { "Unit", "PatientId" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_Unit_Start_NotReached",
                table: "Bookings",
                columns: new[] { "Unit", "Start" },
                filter: "[Reach] <> 1");

            // R60b backfill: the bookings stored before this column are Undecided (the reports decide those in memory
            // until then). Forgetting the policy the pending SMS were planned under makes the replanning job plan every
            // unit's future bookings once more on its next run, and planning stores each booking's answer.
            migrationBuilder.Sql("UPDATE PlanningStates SET PolicyFingerprint = ''");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderVasBlocks_Unit_PatientId",
                table: "ReminderVasBlocks");

            migrationBuilder.DropIndex(
                name: "IX_Bookings_Unit_Start_NotReached",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "Reach",
                table: "Bookings");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderVasBlocks_Unit",
                table: "ReminderVasBlocks",
                column: "Unit");
        }
    }
}
