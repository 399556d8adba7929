using LxcSnap.Action.Host;
using LxcSnap.Core.Store;

namespace LxcSnap.Action.Stages;

/// <summary>
/// Carries a request to the host agent the one way that shows it the host's true container
/// state: in this process when it already runs in the host's namespaces (the harness, or the
/// action run directly on a runner host), else through a sibling container started through the
/// Docker socket. With neither, it refuses: from a container's own namespaces every LXC
/// container looks stopped, and acting on that view could overwrite a running one.
/// </summary>
internal sealed class HostAccess(IReadOnlyDictionary<string, string> environment, Action<string> log)
{
    public const string DefaultDockerSocket = "/var/run/docker.sock";
    /// <summary>Where the Docker socket is, when not at the usual place (a runner with a rootless or remote engine, or a test).</summary>
    public const string DockerSocketVariable = "LXCSNAP_ACTION_DOCKER_SOCKET";

    public HostResult Run(HostRequest request)
    {
        // The host agent may run in another container, which does not have the job's variables.
        request = request with
        {
            Workflow = ContinuousIntegrationRun.Variables.Where(environment.ContainsKey).ToDictionary(name => name, name => environment[name], StringComparer.Ordinal),
        };
        var notInHost = HostView.WhyNotVisible();
        if (notInHost is null)
            return new HostAgent(environment, new LineWriter(log)).Execute(request);

        var socket = environment.TryGetValue(DockerSocketVariable, out var configured) && configured.Length > 0 ? configured : DefaultDockerSocket;
        if (File.Exists(socket))
            return new SiblingContainer(socket, log).Run(request);

        return HostResult.Refused(
            $"host state not visible: {notInHost}, and there is no Docker socket at {socket} to reach the host through. " +
            "Run this action on a self-hosted Linux runner whose Docker engine runs on the LXC host. Nothing was done.");
    }

    /// <summary>Passes each line written to it on to the log.</summary>
    private sealed class LineWriter(Action<string> log) : StringWriter
    {
        public override void WriteLine(string? value) => log(value ?? "");
    }
}
