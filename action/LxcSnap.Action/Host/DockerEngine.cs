using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LxcSnap.Action.Host;

/// <summary>
/// The few calls of the Docker Engine API the action needs, over the Unix socket the runner mounts
/// into every container action (/var/run/docker.sock). Plain HTTP and hand-written JSON keep the
/// image free of a docker CLI and the program free of reflection (NativeAOT).
/// </summary>
internal sealed class DockerEngine(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellation) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = new Uri("http://docker/"),
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The image a container runs (its ID), from the container's ID or a prefix of it.</summary>
    public async Task<string> ImageOfContainer(string container)
    {
        using var document = JsonDocument.Parse(await Send(HttpMethod.Get, $"containers/{Uri.EscapeDataString(container)}/json"));
        return document.RootElement.GetProperty("Image").GetString()
            ?? throw new InvalidOperationException($"Docker reported no image for container {container}.");
    }

    /// <summary>Creates a container from a JSON body written by <paramref name="writeBody"/>; returns its ID.</summary>
    public async Task<string> Create(string name, Action<Utf8JsonWriter> writeBody)
    {
        var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
            writeBody(writer);
        using var document = JsonDocument.Parse(await Send(HttpMethod.Post, $"containers/create?name={Uri.EscapeDataString(name)}", body.ToArray()));
        return document.RootElement.GetProperty("Id").GetString()!;
    }

    public Task Start(string id) => Send(HttpMethod.Post, $"containers/{id}/start");

    /// <summary>The IDs of the containers with label <paramref name="key"/>=<paramref name="value"/> that are not running (exited, created, dead).</summary>
    /// <remarks>
    /// The state is told here, not by a filter of the engine: podman's Docker-compatible API
    /// (4.3) answers a status filter "dead" with 500, "unknown container state: dead".
    /// </remarks>
    public async Task<IReadOnlyList<string>> StoppedContainersLabelled(string key, string value)
    {
        var filters = $"{{\"label\":[\"{key}={value}\"]}}";
        using var document = JsonDocument.Parse(await Send(HttpMethod.Get, $"containers/json?all=1&filters={Uri.EscapeDataString(filters)}"));
        return document.RootElement.EnumerateArray()
            .Where(c => c.GetProperty("State").GetString() is "exited" or "created" or "dead")
            .Select(c => c.GetProperty("Id").GetString()!)
            .ToList();
    }

    /// <summary>
    /// Follows the container's output until it stops, passing each line on with whether it came
    /// from stderr. Without a TTY the stream is multiplexed: an 8-byte header (stream, 0, 0, 0,
    /// big-endian length) before each frame.
    /// </summary>
    public async Task FollowOutput(string id, Action<string, bool> onLine)
    {
        using var response = await _http.GetAsync($"containers/{id}/logs?follow=1&stdout=1&stderr=1", HttpCompletionOption.ResponseHeadersRead);
        await EnsureSuccess(response);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var pending = new Dictionary<bool, StringBuilder> { [false] = new(), [true] = new() };
        var header = new byte[8];
        while (await ReadExactly(stream, header))
        {
            var fromStderr = header[0] == 2;
            var frame = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4))];
            if (!await ReadExactly(stream, frame))
                break;
            var text = pending[fromStderr].Append(Encoding.UTF8.GetString(frame));
            var lines = text.ToString().Split('\n');
            foreach (var line in lines[..^1])
                onLine(line, fromStderr);
            text.Clear().Append(lines[^1]);
        }
        foreach (var (fromStderr, rest) in pending.Where(p => p.Value.Length > 0))
            onLine(rest.ToString(), fromStderr);
    }

    public async Task<int> Wait(string id)
    {
        using var document = JsonDocument.Parse(await Send(HttpMethod.Post, $"containers/{id}/wait"));
        return document.RootElement.GetProperty("StatusCode").GetInt32();
    }

    public Task Remove(string id) => Send(HttpMethod.Delete, $"containers/{id}?force=1");

    public void Dispose() => _http.Dispose();

    private async Task<string> Send(HttpMethod method, string path, byte[]? jsonBody = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var response = await _http.SendAsync(request);
        await EnsureSuccess(response);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task EnsureSuccess(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var message = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"Docker answered {(int)response.StatusCode} {response.ReasonPhrase} to {response.RequestMessage?.RequestUri?.PathAndQuery}: {message.Trim()}");
        }
    }

    private static async Task<bool> ReadExactly(Stream stream, byte[] buffer)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
