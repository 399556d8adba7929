using System.Net.Sockets;
using System.Text;
using LxcSnap.Action.Host;
using LxcSnap.Action.Stages;

namespace LxcSnap.Tests.Unit;

/// <summary>
/// The action's sibling container, against a stand-in for the Docker Engine API on a Unix socket
/// (there is no Docker engine here, and what is checked is the order of the API calls): siblings
/// an interrupted stage left stopped are removed before a new one is made, and the new one is
/// removed after it ran.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SiblingContainerTests : IDisposable
{
    private readonly string _socket = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", $"docker-{Guid.NewGuid():N}"[..15] + ".sock");

    [Fact]
    public async Task Siblings_left_stopped_by_an_interrupted_stage_are_removed_before_a_new_one_runs()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_socket)!);
        // A sibling another job is running now is left alone: only stopped ones are leftovers.
        using var docker = new FakeDocker(_socket, siblings: [("old-sibling-1", "exited"), ("running-sibling", "running"), ("old-sibling-2", "dead")]);
        var log = new List<string>();
        var request = new HostRequest { Operation = HostOperation.SnapshotBefore, Container = "web", Label = "job" };

        var result = await Task.Run(() => new SiblingContainer(_socket, log.Add).Run(request));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("web_0", result.Before);
        var calls = docker.Calls;
        var list = calls.FindIndex(c => c.StartsWith("GET /containers/json?all=1&filters=", StringComparison.Ordinal));
        var create = calls.FindIndex(c => c.StartsWith("POST /containers/create", StringComparison.Ordinal));
        Assert.True(list >= 0 && create > list, string.Join("\n", calls));
        Assert.Contains("%22lxcsnap-action%3Dhost-agent%22", calls[list]);
        Assert.Equal(["DELETE /containers/old-sibling-1?force=1", "DELETE /containers/old-sibling-2?force=1"], calls[(list + 1)..create]);
        Assert.Equal("DELETE /containers/new-sibling?force=1", calls[^1]);
        Assert.Contains(log, line => line.Contains("an interrupted LxcSnap stage left", StringComparison.Ordinal));
    }

    public void Dispose() => File.Delete(_socket);

    /// <summary>Answers the calls SiblingContainer makes, one HTTP/1.1 request per connection, and records them.</summary>
    private sealed class FakeDocker : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        /// <summary>The containers with the host agent's label, and their state, as the engine lists them.</summary>
        private readonly (string Id, string State)[] _siblings;
        private readonly List<string> _calls = [];

        public FakeDocker(string path, (string Id, string State)[] siblings)
        {
            _siblings = siblings;
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen(8);
            _ = Task.Run(Serve);
        }

        public List<string> Calls
        {
            get
            {
                lock (_calls)
                    return [.. _calls];
            }
        }

        private async Task Serve()
        {
            while (true)
            {
                Socket connection;
                try
                {
                    connection = await _listener.AcceptAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => Answer(connection));
            }
        }

        private async Task Answer(Socket connection)
        {
            using var _ = connection;
            await using var stream = new NetworkStream(connection);
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            while (await reader.ReadLineAsync() is { Length: > 0 } requestLine)
            {
                var length = 0;
                while (await reader.ReadLineAsync() is { Length: > 0 } header)
                {
                    if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
                var body = new char[length];
                if (length > 0)
                    await reader.ReadBlockAsync(body);
                var call = string.Join(' ', requestLine.Split(' ')[..2]);
                lock (_calls)
                    _calls.Add(call);
                var (status, contentType, content) = Respond(call);
                var head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(content);
            }
        }

        private (string, string, byte[]) Respond(string call)
        {
            static (string, string, byte[]) Json(string json) => ("200 OK", "application/json", Encoding.UTF8.GetBytes(json));
            if (call.StartsWith("GET /containers/json", StringComparison.Ordinal))
                return Json("[" + string.Join(',', _siblings.Select(s => $"{{\"Id\":\"{s.Id}\",\"State\":\"{s.State}\"}}")) + "]");
            if (call.StartsWith("GET /containers/", StringComparison.Ordinal) && call.EndsWith("/json", StringComparison.Ordinal))
                return Json("{\"Image\":\"sha256:action-image\"}");
            if (call.StartsWith("POST /containers/create", StringComparison.Ordinal))
                return Json("{\"Id\":\"new-sibling\"}");
            if (call.EndsWith("/wait", StringComparison.Ordinal))
                return Json("{\"StatusCode\":0}");
            if (call.Contains("/logs", StringComparison.Ordinal))
            {
                var line = Encoding.UTF8.GetBytes(SiblingContainer.ResultPrefix + "{\"succeeded\":true,\"container\":\"web\",\"before\":\"web_0\"}\n");
                var frame = new byte[8 + line.Length];
                frame[0] = 1;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)line.Length);
                line.CopyTo(frame, 8);
                return ("200 OK", "application/vnd.docker.raw-stream", frame);
            }
            return ("204 No Content", "text/plain", []);
        }

        public void Dispose() => _listener.Dispose();
    }
}
