using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Bookings last at most a day (<see cref="Booking.ConsultationBooking.MaxLength"/>), which the busy-time lookups rely
    /// on. The overlap protection here (an exclusion constraint) does not need the bound; SQLite's triggers do.
    /// </summary>
    public partial class BoundedBookingLength : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddCheckConstraint(
                name: "CK_Bookings_MaxLength",
                table: "Bookings",
                sql: "\"EndUtc\" <= \"StartUtc\" + interval '1 day'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_Bookings_MaxLength",
                table: "Bookings");
        }
    }
}
