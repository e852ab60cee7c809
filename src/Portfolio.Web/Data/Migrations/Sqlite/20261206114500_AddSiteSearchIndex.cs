using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portfolio.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// The public search index (Search/SearchIndex): an FTS5 table with the Porter stemmer. Outside the EF model: EF has
    /// no notion of a virtual table, and only SearchIndex reads or writes it. The key, type and address are stored but
    /// not indexed; bm25 weighs the title above the text. The app fills it on start.
    /// </summary>
    public partial class AddSiteSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "SearchEntries" USING fts5(
                    "ItemId" UNINDEXED, "ContentType" UNINDEXED, "Url" UNINDEXED, "Title", "Body",
                    tokenize = 'porter unicode61 remove_diacritics 2');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TABLE "SearchEntries";""");
        }
    }
}
