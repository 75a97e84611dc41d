using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Rev2Rules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CentralReception",
                table: "Units",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "PlanningStates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    RulesRevision = table.Column<int>(type: "int", nullable: false),
                    PolicyFingerprint = table.Column<string>(type: "nvarchar(700)", maxLength: 700, nullable: false),
                    ClaimedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ReplannedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanningStates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReminderVasBlocks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Unit = table.Column<string>(type: "varchar(31)", unicode: false, maxLength: 31, nullable: false),
                    MigratedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    PatientId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReminderVasBlocks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReminderVasBlocks_ReminderSettings_PatientId",
                        column: x => x.PatientId,
                        principalTable: "ReminderSettings",
                        principalColumn: "PatientId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "VasImportRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    RanAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    MigrationDate = table.Column<DateOnly>(type: "date", nullable: false),
                    GoLive = table.Column<DateOnly>(type: "date", nullable: false),
                    CarryBlocks = table.Column<bool>(type: "bit", nullable: false),
                    Rows = table.Column<int>(type: "int", nullable: false),
                    Activated = table.Column<int>(type: "int", nullable: false),
                    RunBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VasImportRecords", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReminderVasBlocks_PatientId_Unit",
                table: "ReminderVasBlocks",
                columns: new[] { "PatientId", "Unit" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReminderVasBlocks_Unit",
                table: "ReminderVasBlocks",
                column: "Unit");

            migrationBuilder.CreateIndex(
                name: "IX_VasImportRecords_MigrationDate",
                table: "VasImportRecords",
                column: "MigrationDate");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PlanningStates");

            migrationBuilder.DropTable(
                name: "ReminderVasBlocks");

            migrationBuilder.DropTable(
                name: "VasImportRecords");

            migrationBuilder.DropColumn(
                name: "CentralReception",
                table: "Units");
        }
    }
}
