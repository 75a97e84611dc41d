using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SmsPipeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SinkMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SmsId = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ProviderId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 100, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SinkMessages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SinkMessages_At",
                table: "SinkMessages",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SinkMessages_SmsId",
                table: "SinkMessages",
                column: "SmsId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SinkMessages");
        }
    }
}
