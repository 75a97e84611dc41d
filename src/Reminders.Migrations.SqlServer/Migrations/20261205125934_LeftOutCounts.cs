using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.SqlServer.Migrations
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
                type: "bit",
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
            // In EXEC: the idempotent script's batch is compiled before the column exists.
            migrationBuilder.Sql("EXEC(N'UPDATE [ReminderVasBlocks] SET [PatientLeftOut] = 1 WHERE [PatientId] IN (SELECT [PatientId] FROM [ReminderSettings] WHERE [Status] = N''NotActivated'' AND [NotActivatedReason] = N''MigrationUnitBlocks'')')");
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
