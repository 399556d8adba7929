using System.Text.Json;
using LxcSnap.Action.Stages;

namespace LxcSnap.Action.Host;

/// <summary>
/// Reaches the host from inside the action's container: the runner starts a container action
/// unprivileged, in its own namespaces, with only the Docker socket of the host, so the action
/// starts a sibling container of its own image through that socket, privileged and in the host's
/// PID and network namespaces, whose command (<see cref="EnterHost"/>) runs the host agent inside
/// all of the host's namespaces. The request travels in the sibling's environment; the agent's log
/// and its one-line result come back as the sibling's output.
/// </summary>
internal sealed class SiblingContainer(string socketPath, Action<string> log)
{
    public const string RequestVariable = "LXCSNAP_ACTION_REQUEST";
    private const string LabelKey = "lxcsnap-action";
    private const string LabelValue = "host-agent";
    public const string ResultPrefix = "lxcsnap-action-result ";
    private const string ExecutableInImage = "/usr/local/bin/lxcsnap-action";

    public HostResult Run(HostRequest request)
    {
        try
        {
            return RunAsync(request).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or JsonException)
        {
            return new HostResult
            {
                Succeeded = false,
                ErrorKind = "failed",
                Error = $"the sibling container that reaches the host could not be run through the Docker socket {socketPath}: {e.Message}",
            };
        }
    }

    private async Task<HostResult> RunAsync(HostRequest request)
    {
        using var docker = new DockerEngine(socketPath);
        string image;
        try
        {
            // Docker names a container's host after the start of its ID, unless told otherwise.
            image = await docker.ImageOfContainer(Environment.MachineName);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or KeyNotFoundException)
        {
            return HostResult.Refused(
                $"host state not visible: this container is not in the host's namespaces, and the Docker socket {socketPath} did not tell which image it runs ({e.Message}). Nothing was done.");
        }

        await RemoveLeftBehind(docker);
        var requestJson = JsonSerializer.Serialize(request, HostJsonContext.Default.HostRequest);
        var name = "lxcsnap-action-host-" + Guid.NewGuid().ToString("N")[..12];
        var id = await docker.Create(name, body => WriteSiblingDefinition(body, image, requestJson));
        try
        {
            log($"Reaching the host through a privileged sibling container {name} (image {image}).");
            await docker.Start(id);
            HostResult? result = null;
            await docker.FollowOutput(id, (line, _) =>
            {
                if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                    result = JsonSerializer.Deserialize(line[ResultPrefix.Length..], HostJsonContext.Default.HostResult);
                else
                    log(line);
            });
            var exitCode = await docker.Wait(id);
            return result ?? new HostResult
            {
                Succeeded = false,
                ErrorKind = "failed",
                Error = $"the host agent in sibling container {name} exited with code {exitCode} without a result; its output is above.",
            };
        }
        finally
        {
            await docker.Remove(id);
        }
    }

    /// <summary>
    /// Removes the siblings an earlier stage left, stopped: a stage whose own container was killed
    /// (a cancelled job, a runner shut down) never removed its sibling. A running one is at work
    /// (an earlier stage's agent still finishing) and stays.
    /// </summary>
    private async Task RemoveLeftBehind(DockerEngine docker)
    {
        foreach (var id in await docker.StoppedContainersLabelled(LabelKey, LabelValue))
        {
            log($"Removing the stopped sibling container {id[..Math.Min(12, id.Length)]} an interrupted LxcSnap stage left.");
            await docker.Remove(id);
        }
    }

    /// <summary>
    /// Privileged, with the host's PID, network, user and cgroup namespaces: what nsenter needs to
    /// join the host's initial namespaces. No host paths are mounted: once inside the host's mount namespace
    /// the agent sees the host's own lxcpath, store, /run/lxc and allowlist.
    /// </summary>
    private static void WriteSiblingDefinition(Utf8JsonWriter body, string image, string requestJson)
    {
        body.WriteStartObject();
        body.WriteString("Image", image);
        body.WriteStartArray("Entrypoint");
        body.WriteStringValue(ExecutableInImage);
        body.WriteEndArray();
        body.WriteStartArray("Cmd");
        body.WriteStringValue(EnterHost.Command);
        body.WriteEndArray();
        body.WriteStartArray("Env");
        body.WriteStringValue($"{RequestVariable}={requestJson}");
        body.WriteEndArray();
        body.WriteStartObject("Labels");
        body.WriteString(LabelKey, LabelValue);
        body.WriteEndObject();
        body.WriteStartObject("HostConfig");
        body.WriteBoolean("Privileged", true);
        body.WriteString("PidMode", "host");
        body.WriteString("NetworkMode", "host");
        body.WriteString("UsernsMode", "host");
        body.WriteString("CgroupnsMode", "host");
        body.WriteEndObject();
        body.WriteEndObject();
    }
}
