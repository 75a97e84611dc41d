using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reminders.Migrations.SqlServer.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SmsId = table.Column<long>(type: "bigint", nullable: false),
                    To = table.Column<string>(type: "varchar(16)", unicode: false, maxLength: 16, nullable: false),
                    From = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    ProviderId = table.Column<string>(type: "varchar(100)", unicode: false, maxLength: 100, nullable: false),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false)
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
