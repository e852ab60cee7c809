using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// A booking records its booking type (the slug of one of the expert's types) and the visitor's answers to the type's
    /// questions (JSON, each answer with the label it was asked under). Both stay null for bookings made before.
    /// </summary>
    public partial class BookingsRememberTheirTypeAndAnswers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Answers",
                table: "Bookings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BookingType",
                table: "Bookings",
                type: "TEXT",
                maxLength: 60,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite's own DROP COLUMN (3.35+), not EF's DropColumn: EF rebuilds the table for it, which drops the
            // overlap, length and daily-limit triggers of the Bookings table with it.
            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"Answers\";");
            migrationBuilder.Sql("ALTER TABLE \"Bookings\" DROP COLUMN \"BookingType\";");
        }
    }
}
