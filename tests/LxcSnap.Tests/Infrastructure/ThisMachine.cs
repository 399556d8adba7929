namespace LxcSnap.Tests.Infrastructure;

/// <summary>Who runs the tests, as the provenance of the snapshots they take records it.</summary>
public static class ThisMachine
{
    /// <summary><c>root@HOST</c>: the user and host of a <c>Made by:</c> line.</summary>
    public static string UserAtHost => $"{Environment.UserName}@{Environment.MachineName}";

    /// <summary>The <c>-l NAME</c> line of a snapshot lxc-snap's <paramref name="command"/> took here, outside CI.</summary>
    public static string MadeBy(string command) => $"Made by: lxc-snap {command}, {UserAtHost}";
}
