using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PatientBirthDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "BirthDate",
                table: "Patients",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Existing patients: the birth date of the identity number (yyyyMMdd…; a samordningsnummer writes the day + 60),
            // as PersonalIdentityNumber reads it, stored as EF stores a date on SQLite (TEXT yyyy-MM-dd).
            migrationBuilder.Sql(
                """
                UPDATE "Patients" SET "BirthDate" =
                    substr("IdentityNumber", 1, 4) || '-' || substr("IdentityNumber", 5, 2) || '-' ||
                    printf('%02d', CAST(substr("IdentityNumber", 7, 2) AS INTEGER) % 60);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BirthDate",
                table: "Patients");
        }
    }
}
