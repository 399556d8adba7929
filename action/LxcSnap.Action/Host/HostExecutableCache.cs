using System.Text.RegularExpressions;
using LxcSnap.Core;
using LxcSnap.Core.Interop;

namespace LxcSnap.Action.Host;

/// <summary>
/// The host's directory of lxcsnap-action executables (<see cref="EnterHost"/> runs them there):
/// one file per version, named by its content hash (<c>lxcsnap-action-HASH</c>), so that two jobs
/// of one version share a file and a runner that updates the action gets a new one. Only the
/// current version is kept: installing it removes the others, once no job is using them.
/// </summary>
/// <remarks>
/// The protocol, for jobs of different versions on one host at once:
/// <list type="number">
/// <item>A job holds a shared flock of <see cref="LockFileName"/> from before it installs until its
/// host agent has exited (<see cref="InstalledExecutable"/>). Its file must not go between the copy
/// and nsenter's exec of it (an exec of a name that is gone fails), and nothing tells when nsenter
/// has exec'd. Once it runs, its file may go: Linux frees an unlinked executable's inode only when
/// the last process running it has exited.</item>
/// <item>Other versions are removed only under the exclusive lock, taken without waiting: while any
/// job holds its shared lock nothing is removed, and a later install removes it. A staging file seen
/// under the exclusive lock was left by an install that was killed.</item>
/// <item>An executable appears by rename of a whole staged copy, so a job runs a whole file or none;
/// two jobs installing one version both rename whole copies onto one name.</item>
/// <item>Only regular files named as this class names them are removed, seen with lstat: a symlink
/// or anything else in the directory is left alone, never followed.</item>
/// </list>
/// </remarks>
internal sealed partial class HostExecutableCache(string directory)
{
    public const string LockFileName = "lxcsnap-action.lock";
    private const string ExecutablePrefix = "lxcsnap-action-";

    /// <summary>rwxr-xr-x: the host's root runs it, and anyone may look at what runs as root.</summary>
    private const UnixFileMode ExecutableMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                                UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                                                UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// Puts <paramref name="executable"/> into the directory, unless this version is there already,
    /// after removing the other versions' files if no job is using them. Dispose of the result once
    /// the installed executable has exited.
    /// </summary>
    public InstalledExecutable Install(string executable)
    {
        System.IO.Directory.CreateDirectory(directory);
        var lockFile = Path.Combine(directory, LockFileName);
        var current = ExecutablePrefix + ContentHash(executable);

        using (var alone = FileLock.TryAcquire(lockFile))
        {
            if (alone is not null)
                RemoveAllBut(current);
        }

        var inUse = FileLock.Acquire(lockFile, shared: true);
        try
        {
            var installed = Path.Combine(directory, current);
            if (PosixFiles.TryStat(installed, out _) is not { Kind: FileKind.Regular })
                Stage(executable, installed);
            return new InstalledExecutable(installed, inUse);
        }
        catch
        {
            inUse.Dispose();
            throw;
        }
    }

    private static void Stage(string executable, string installed)
    {
        // Concurrent installers each stage their own copy.
        var staged = $"{installed}.{Guid.NewGuid():N}.tmp";
        File.Copy(executable, staged, overwrite: true);
        File.SetUnixFileMode(staged, ExecutableMode);
        File.Move(staged, installed, overwrite: true);
    }

    private void RemoveAllBut(string current)
    {
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(directory))
        {
            var name = Path.GetFileName(path);
            if (name == current || !OurName().IsMatch(name))
                continue;
            // lstat: a symlink that carries our name is left where it is, and its target too.
            if (PosixFiles.TryStat(path, out _) is { Kind: FileKind.Regular })
                File.Delete(path);
        }
    }

    /// <summary>
    /// FNV-1a over the file: enough to tell versions apart, and unlike SHA-256 it needs no
    /// OpenSSL, which the slim image does not carry.
    /// </summary>
    private static string ContentHash(string path)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in File.ReadAllBytes(path))
            hash = (hash ^ b) * 1099511628211UL;
        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary><c>lxcsnap-action-HASH</c>, or its staging file <c>lxcsnap-action-HASH.GUID.tmp</c>.</summary>
    [GeneratedRegex("^" + ExecutablePrefix + @"[0-9a-f]{16}(\.[0-9a-f]{32}\.tmp)?$", RegexOptions.CultureInvariant)]
    private static partial Regex OurName();
}

/// <summary>An executable in the host's cache, kept there until this is disposed (see <see cref="HostExecutableCache"/>).</summary>
internal sealed class InstalledExecutable(string path, IDisposable inUse) : IDisposable
{
    /// <summary>The executable, as this process sees it.</summary>
    public string Path => path;

    public void Dispose() => inUse.Dispose();
}
