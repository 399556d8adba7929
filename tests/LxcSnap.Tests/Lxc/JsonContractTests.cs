using System.Globalization;
using System.Text.Json;
using LxcSnap.Core;
using LxcSnap.Core.Comparison;
using LxcSnap.Core.Containers;
using LxcSnap.Core.Copying;
using LxcSnap.Core.Provisioning;
using LxcSnap.Core.Retention;
using LxcSnap.Core.Snapshots;
using LxcSnap.Tests.Infrastructure;

namespace LxcSnap.Tests.Lxc;

/// <summary>
/// lxc-snap's --json against docs/lxc-snap.schema.json: every command's real output, results and
/// errors, on a real container; stdout holds the one document and nothing else.
/// </summary>
[Trait("Category", "Lxc")]
public sealed class JsonContractTests : IDisposable
{
    private readonly LxcSandbox _sandbox = LxcSandbox.Create();

    /// <summary>Runs lxc-snap --json with the sandbox's lxcpath; the document it printed, checked against the schema.</summary>
    private (ProcessResult Result, JsonElement Document) Json(params string[] arguments)
    {
        var result = PublishedCli.Run(_sandbox.Cli(["--json", .. arguments]));
        var document = JsonContract.Validated(result.Stdout, $"lxc-snap --json {string.Join(' ', arguments)} ({result.ExitCode})");
        Assert.Equal(1, document.GetProperty("schemaVersion").GetInt32());
        return (result, document);
    }

    private JsonElement Succeeds(params string[] arguments)
    {
        var (result, document) = Json(arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return document;
    }

    [Fact]
    public void Every_result_document_matches_the_schema()
    {
        _sandbox.CreateBusybox("web");
        var comment = Path.Combine(_sandbox.Root, "comment");
        File.WriteAllText(comment, "first\n");

        var version = Succeeds("--version");
        var created = Succeeds("-c", comment, "web");
        var containers = Succeeds("-l");
        var listed = Succeeds("-l", "web");
        var diffed = Succeeds("diff", "web_0");
        var restored = Succeeds("-r", "web_0", "copy");
        var replaced = Succeeds("-r", "web_0", "copy", "--force");
        var begun = Succeeds("begin", "web", "--label", "deploy");
        var ended = Succeeds("end", "web", "--label", "deploy", "--success");
        var listedWithRoles = Succeeds("-l", "web");
        var dryRun = Succeeds("prune", "web", "--keep", "1", "--dry-run");
        var pruned = Succeeds("prune", "web", "--keep", "2");
        var wouldDestroy = Succeeds("-d", "web_2", "--dry-run");
        var wouldReplace = Succeeds("-r", "web_1", "copy", "--force", "--dry-run");
        var destroyed = Succeeds("-d", "web_2");

        Assert.Equal(Shell.Check("lxc-create", "--version").Trim(), version.GetProperty("liblxc").GetString());
        Assert.Equal("web_0", created.GetProperty("snapshot").GetProperty("name").GetString());
        Assert.Equal("first\n", created.GetProperty("snapshot").GetProperty("comment").GetString());
        Assert.Equal("fullCopy", created.GetProperty("copy").GetProperty("method").GetString());
        Assert.Equal(["web"], containers.GetProperty("containers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("snapshot", Assert.Single(listed.GetProperty("snapshots").EnumerateArray()).GetProperty("provenance").GetProperty("command").GetString());
        Assert.True(diffed.GetProperty("identical").GetBoolean());
        Assert.False(restored.GetProperty("replaced").GetBoolean());
        Assert.True(replaced.GetProperty("replaced").GetBoolean());
        Assert.Equal("open", begun.GetProperty("transaction").GetProperty("outcome").GetString());
        Assert.Equal("succeeded", ended.GetProperty("transaction").GetProperty("outcome").GetString());
        Assert.Equal(["before", "after"], listedWithRoles.GetProperty("snapshots").EnumerateArray().Skip(1)
            .Select(s => s.GetProperty("provisioning").GetProperty("step").GetString()));
        Assert.True(dryRun.GetProperty("dryRun").GetBoolean());
        Assert.Equal(["beyondNewest", "beyondNewest", "amongNewest"], dryRun.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("reason").GetString()));
        Assert.Equal([true, false, false], pruned.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("destroy").GetBoolean()));
        Assert.True(wouldDestroy.GetProperty("dryRun").GetBoolean());
        Assert.True(wouldReplace.GetProperty("dryRun").GetBoolean());
        Assert.True(wouldReplace.GetProperty("replaced").GetBoolean());
        Assert.Equal(JsonValueKind.Null, wouldReplace.GetProperty("copy").ValueKind);
        Assert.Equal("web_2", destroyed.GetProperty("snapshot").GetString());
        Assert.False(destroyed.GetProperty("dryRun").GetBoolean());
        Assert.Equal(["web_1"], StoreSnapshots());
    }

    [Fact]
    public void Run_keeps_stdout_for_the_json_and_sends_the_commands_output_to_stderr()
    {
        _sandbox.CreateBusybox("web");

        var (succeeded, success) = Json("run", "web", "--", "/bin/sh", "-c", "echo provisioning output; echo to stderr >&2");
        var (failed, failure) = Json("run", "web", "--", "/bin/sh", "-c", "echo about to fail; exit 3");

        Assert.Equal(0, succeeded.ExitCode);
        Assert.Equal("succeeded", success.GetProperty("transaction").GetProperty("outcome").GetString());
        Assert.Contains("provisioning output", succeeded.Stderr);
        Assert.Contains("to stderr", succeeded.Stderr);
        Assert.Equal(3, failed.ExitCode);
        Assert.Equal("rolledBack", failure.GetProperty("transaction").GetProperty("outcome").GetString());
        Assert.Contains("about to fail", failed.Stderr);
    }

    [Fact]
    public void Errors_are_one_document_on_stdout_and_text_on_stderr()
    {
        _sandbox.CreateBusybox("web");
        PublishedCli.Run(_sandbox.Cli("web"));
        PublishedCli.Run(_sandbox.Cli("-r", "web_0", "taken"));

        foreach (var (arguments, kind, exitCode) in new (string[], string, int)[]
                 {
                     (["--frobnicate", "web"], "usage", 2),
                     (["web/../x"], "invalidArgument", 2),
                     (["nosuch"], "containerNotFound", 1),
                     (["-d", "web_7"], "snapshotNotFound", 1),
                     (["diff", "web_7"], "snapshotNotFound", 1),
                     (["-r", "web_0", "taken"], "targetExists", 1),
                     (["end", "web", "--success"], "transactionNotFound", 1),
                 })
        {
            var (result, document) = Json(arguments);
            Assert.Equal(exitCode, result.ExitCode);
            var error = document.GetProperty("error");
            Assert.Equal(kind, error.GetProperty("kind").GetString());
            Assert.StartsWith("lxc-snap: ", result.Stderr);
            Assert.Contains(error.GetProperty("problem").GetString()!, result.Stderr);
        }
        Assert.Equal(["web_0"], StoreSnapshots());
    }

    [Fact]
    public void Times_are_utc_with_milliseconds_and_read_back_with_the_documented_jq_idiom()
    {
        _sandbox.CreateBusybox("web");
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        // Taken and listed 5 h 30 min east of UTC: ts holds that local time, the JSON the instant.
        var india = new Dictionary<string, string> { ["TZ"] = "Asia/Kolkata" };
        var created = JsonContract.Validated(PublishedCli.Run(_sandbox.Cli("--json", "web"), india).Stdout, "snapshot");
        var begun = Succeeds("begin", "web");
        var listing = Path.Combine(_sandbox.Root, "listing.json");
        File.WriteAllText(listing, PublishedCli.Run(_sandbox.Cli("--json", "-l", "web"), india).Stdout);
        var after = DateTimeOffset.UtcNow.AddSeconds(2);

        var snapshotTime = Utc(created.GetProperty("snapshot").GetProperty("time").GetString()!);
        var startedAt = Utc(begun.GetProperty("transaction").GetProperty("startedAt").GetString()!);
        Assert.InRange(snapshotTime, before, after);
        Assert.InRange(startedAt, before, after);
        var seconds = Shell.Run("jq", "-r", ".snapshots[0].time | sub(\"\\\\.[0-9]+Z$\"; \"Z\") | fromdateiso8601", listing);
        Assert.True(seconds.ExitCode == 0, seconds.ToString());
        Assert.Equal(snapshotTime.ToUnixTimeSeconds(), long.Parse(seconds.Stdout.Trim(), CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset Utc(string time) =>
        DateTimeOffset.ParseExact(time, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private List<string> StoreSnapshots() =>
        Directory.GetDirectories(_sandbox.StorePath).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order().ToList()!;

    public void Dispose() => _sandbox.Dispose();
}

/// <summary>The schema's enumerations are exactly what lxc-snap can print, so that the contract stays complete.</summary>
[Trait("Category", "Unit")]
public sealed class JsonSchemaCompletenessTests
{
    private static IEnumerable<string> Names<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));

    [Fact]
    public void Every_error_kind_is_in_the_schema_and_in_docs_json()
    {
        var kinds = Names<LxcSnapError>().Append(LxcSnapErrors.UsageKind).ToHashSet();
        Assert.Equal(kinds.Order(), JsonContract.Enumeration("$defs", "error", "properties", "error", "properties", "kind").Order());
        var documentation = File.ReadAllText(Path.Combine(PublishedCli.RepositoryRoot(), "docs", "json.md"));
        Assert.All(kinds, kind => Assert.Contains($"`{kind}`", documentation));
    }

    [Fact]
    public void Every_enumeration_lxc_snap_prints_is_in_the_schema()
    {
        Assert.Equal(Names<CopyKind>().Order(), JsonContract.Enumeration("$defs", "copy", "properties", "method").Order());
        Assert.Equal(Enum.GetValues<ContentCopyMethod>().Where(m => m != ContentCopyMethod.None).Select(m => JsonNamingPolicy.CamelCase.ConvertName(m.ToString())).Order(),
            JsonContract.Enumeration("$defs", "copy", "properties", "dataCopiedBy", "items").Order());
        Assert.Equal(Names<PruneReason>().Order(),
            JsonContract.Enumeration("$defs", "pruned", "properties", "snapshots", "items", "properties", "reason").Order());
        Assert.Equal(Names<ProvisioningOutcome>().Order(), JsonContract.Enumeration("$defs", "transaction", "properties", "outcome").Order());
        Assert.Equal(Names<BackingStoreKind>().Order(), JsonContract.Enumeration("$defs", "backingStore").Order());
        var change = new[] { "$defs", "diff", "properties", "changes", "items", "properties" };
        Assert.Equal(Names<ChangeKind>().Order(), JsonContract.Enumeration([.. change, "change"]).Order());
        Assert.Equal(Enum.GetValues<ChangeKind>().Select(Cli.DiffText.Mark).Order(StringComparer.Ordinal), JsonContract.Enumeration([.. change, "status"]).Order(StringComparer.Ordinal));
        Assert.Equal(Enum.GetValues<MetadataDifference>().Where(m => m != MetadataDifference.None).Select(m => JsonNamingPolicy.CamelCase.ConvertName(m.ToString())).Order(),
            JsonContract.Enumeration([.. change, "metadata", "items"]).Order());
        Assert.Equal(Names<ComparisonMethod>().Order(), JsonContract.Enumeration("$defs", "diff", "properties", "method").Order());
        Assert.Equal(Core.Store.Provenance.Tools.Order(), JsonContract.Enumeration("$defs", "provenance", "properties", "tool").Order());
        Assert.Equal(Core.Store.Provenance.Commands.Order(), JsonContract.Enumeration("$defs", "provenance", "properties", "command").Order());
    }
}
