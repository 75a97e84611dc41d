using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StaffHsaIdSignIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HsaId",
                table: "AspNetUsers",
                type: "TEXT",
                unicode: false,
                maxLength: 31,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_HsaId",
                table: "AspNetUsers",
                column: "HsaId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_HsaId",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "HsaId",
                table: "AspNetUsers");
        }
    }
}
