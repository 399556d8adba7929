namespace LxcSnap.Cli;

/// <summary>Finds a program as a shell would: a path as given, a bare name on PATH.</summary>
internal static class CommandLocator
{
    public static string? Find(string command)
    {
        if (command.Contains('/'))
            return IsExecutable(command) ? command : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
