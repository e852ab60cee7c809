using Npgsql;
using Portfolio.Web.Data;

namespace Portfolio.Tests.Data;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void StatementsRunRepeatedlyArePreparedUnlessTheConnectionStringSaysOtherwise()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(DataExtensions.WithPreparedStatements("Host=db;Database=portfolio;Username=app;Password=secret"));
        Assert.Equal(64, defaulted.MaxAutoPrepare);
        Assert.Equal(2, defaulted.AutoPrepareMinUsages);
        Assert.Equal("db", defaulted.Host);
        Assert.Equal("secret", defaulted.Password);

        // An operator's own choice stands, including turning it off.
        var chosen = new NpgsqlConnectionStringBuilder(DataExtensions.WithPreparedStatements("Host=db;Database=portfolio;Max Auto Prepare=0"));
        Assert.Equal(0, chosen.MaxAutoPrepare);
        var usages = new NpgsqlConnectionStringBuilder(DataExtensions.WithPreparedStatements("Host=db;Database=portfolio;AutoPrepareMinUsages=5"));
        Assert.Equal(5, usages.AutoPrepareMinUsages);

        // A password that happens to contain a key's name is a password.
        var password = new NpgsqlConnectionStringBuilder(DataExtensions.WithPreparedStatements("Host=db;Password=MaxAutoPrepare1"));
        Assert.Equal(64, password.MaxAutoPrepare);
        Assert.Equal("MaxAutoPrepare1", password.Password);
    }
}
