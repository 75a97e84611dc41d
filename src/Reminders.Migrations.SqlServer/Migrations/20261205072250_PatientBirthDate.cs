using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.SqlServer.Migrations
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
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            // Existing patients: the birth date of the identity number (yyyyMMdd…; a samordningsnummer writes the day + 60),
            // as PersonalIdentityNumber reads it. Inside EXEC: the idempotent script wraps each statement in IF … BEGIN … END,
            // where a column added by the same script is not yet known when the batch compiles.
            migrationBuilder.Sql(
                """
                EXEC(N'UPDATE [Patients] SET [BirthDate] = DATEFROMPARTS(
                    CAST(SUBSTRING([IdentityNumber], 1, 4) AS int),
                    CAST(SUBSTRING([IdentityNumber], 5, 2) AS int),
                    CAST(SUBSTRING([IdentityNumber], 7, 2) AS int) % 60)');
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
