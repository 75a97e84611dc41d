using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LeftOutCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderVasBlocks_Unit_PatientId",
                table: "ReminderVasBlocks");

            migrationBuilder.AddColumn<bool>(
                name: "PatientLeftOut",
                table: "ReminderVasBlocks",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_ReminderVasBlocks_Unit_PatientLeftOut_PatientId",
                table: "ReminderVasBlocks",
                columns: new[] { "Unit", "PatientLeftOut", "PatientId" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_Unit_Status_PatientId",
                table: "Bookings",
                columns: new[] { "Unit", "Status", "PatientId" });

            // R32, R60: the VAS blocks of patients the migration left out because of them are marked as the setting now
            // marks them on every status change (VasBlock.PatientLeftOut).
            migrationBuilder.Sql("UPDATE ReminderVasBlocks SET PatientLeftOut = 1 WHERE PatientId IN (SELECT PatientId FROM ReminderSettings WHERE Status = 'NotActivated' AND NotActivatedReason = 'MigrationUnitBlocks')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderVasBlocks_Unit_PatientLeftOut_PatientId",
                table: "ReminderVasBlocks");

            migrationBuilder.DropIndex(
                name: "IX_Bookings_Unit_Status_PatientId",
                table: "Bookings");

            migrationBuilder.DropColumn(
                name: "PatientLeftOut",
                table: "ReminderVasBlocks");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderVasBlocks_Unit_PatientId",
                table: "ReminderVasBlocks",
                columns: new[] { "Unit", "PatientId" });
        }
    }
}
