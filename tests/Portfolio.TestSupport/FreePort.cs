using System.Net;
using System.Net.Sockets;

namespace Portfolio.TestSupport;

public static class FreePort
{
    /// <summary>
    /// A loopback port nobody listens on right now. The OS hands out a fresh ephemeral port each time,
    /// so the short gap before the app (or a test server) binds it is harmless in practice.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
