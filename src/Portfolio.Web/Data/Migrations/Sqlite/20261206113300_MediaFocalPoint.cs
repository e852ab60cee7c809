using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MediaFocalPoint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FocalX",
                table: "MediaItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 50);

            migrationBuilder.AddColumn<int>(
                name: "FocalY",
                table: "MediaItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 50);

            migrationBuilder.AddCheckConstraint(
                name: "CK_MediaItems_FocalPoint",
                table: "MediaItems",
                sql: "\"FocalX\" BETWEEN 0 AND 100 AND \"FocalY\" BETWEEN 0 AND 100");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_MediaItems_FocalPoint",
                table: "MediaItems");

            migrationBuilder.DropColumn(
                name: "FocalX",
                table: "MediaItems");

            migrationBuilder.DropColumn(
                name: "FocalY",
                table: "MediaItems");
        }
    }
}
