using System.Security.Cryptography;
using System.Text;

namespace LxcSnap.Tasks;

/// <summary>
/// The fingerprint of what the provisioning targets are given: the targets' names and the content
/// of every <c>LxcSnapProvisioningInputs</c> file. It is recorded with the transaction, and a later
/// build whose fingerprint is the same skips provisioning, as MSBuild skips a target whose inputs
/// are older than its outputs. Content, not times: a checkout or a copy touches every file's time
/// without changing what provisioning would do, and a time can go backwards.
/// </summary>
internal static class ProvisioningInputs
{
    /// <summary>Changes when the way the fingerprint is made changes, so that an old one never matches a new one by accident.</summary>
    private const string Format = "lxcsnap provisioning inputs 1";

    /// <param name="targets">The provisioning targets, in the order they run.</param>
    /// <param name="files">The input files, as the items give them (relative to the project directory or full).</param>
    /// <param name="projectDirectory">What relative item paths are relative to.</param>
    /// <returns><c>sha256:</c> and 64 hex digits, and the inputs that are not files (missing, or directories): they count as changed.</returns>
    public static (string Fingerprint, IReadOnlyList<string> NotFiles) Fingerprint(IEnumerable<string> targets, IEnumerable<string> files, string projectDirectory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
        Add(Format + "\n");
        Add("targets\0" + string.Join(";", targets) + "\n");

        var notFiles = new List<string>();
        var paths = files.Select(file => Path.GetFullPath(file, projectDirectory)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            string content;
            if (File.Exists(path))
            {
                using var stream = File.OpenRead(path);
                content = Convert.ToHexString(SHA256.HashData(stream));
            }
            else
            {
                notFiles.Add(path);
                content = "not a file";
            }
            Add("file\0" + path + "\0" + content + "\n");
        }
        return ("sha256:" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), notFiles);
    }
}
