using LxcSnap.Core.Containers;

namespace LxcSnap.Tests.Unit;

/// <summary>
/// The rewriting of LXC's own files, on files made here: a config's paths moved between
/// directories, and the dependency records (lxc_snapshots, lxc_rdepends) kept exactly true.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RecordKeepingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lxcsnap-tests", $"records-{Guid.NewGuid():N}"[..16]);

    public RecordKeepingTests() => Directory.CreateDirectory(_root);

    private ContainerRef Container(string lxcPath, string name, string? config = null, params ContainerRef[] dependsOn)
    {
        var container = new ContainerRef(Path.Combine(_root, lxcPath), name);
        Directory.CreateDirectory(container.Directory);
        File.WriteAllText(container.ConfigFile, config ?? $"lxc.uts.name = {name}\n");
        if (dependsOn.Length > 0)
            File.WriteAllText(Path.Combine(container.Directory, "lxc_rdepends"), string.Concat(dependsOn.Select(d => $"{d.LxcPath}\n{d.Name}\n")));
        return container;
    }

    private static string[] Recorded(ContainerRef container)
    {
        var file = Path.Combine(container.Directory, "lxc_snapshots");
        return File.Exists(file) ? File.ReadAllLines(file) : [];
    }

    [Fact]
    public void Relocating_a_config_moves_its_own_paths_and_no_others()
    {
        var web = Container("stage", "web", """
            lxc.rootfs.path = overlay:/lxc/base/rootfs:/stage/web/overlay/delta
            lxc.mount.fstab = /stage/web/fstab
            lxc.hook.pre-start = /stage/web2/hook
            lxc.log.file = /stage/web
            """.Replace("/stage", Path.Combine(_root, "stage"), StringComparison.Ordinal));

        ContainerConfig.RelocatePaths(web, web.Directory, "/var/lib/lxc/web");

        var config = File.ReadAllText(web.ConfigFile);
        Assert.Contains("lxc.rootfs.path = overlay:/lxc/base/rootfs:/var/lib/lxc/web/overlay/delta", config);
        Assert.Contains("lxc.mount.fstab = /var/lib/lxc/web/fstab", config);
        Assert.Contains($"lxc.hook.pre-start = {_root}/stage/web2/hook", config);
        Assert.Contains("lxc.log.file = /var/lib/lxc/web", config);
    }

    [Fact]
    public void Reconciling_drops_staged_copies_that_are_gone_and_keeps_every_other_record()
    {
        var baseContainer = Container("lxc", "base");
        var live = Container("store", "web_0", dependsOn: baseContainer);
        var gone = new ContainerRef(Path.Combine(_root, "lxc", ".lxcsnap", "staging", "1.ab"), "web_1");
        var foreign = new ContainerRef("/elsewhere", "not-ours");
        File.WriteAllText(Path.Combine(baseContainer.Directory, "lxc_snapshots"),
            string.Concat(new[] { live, gone, foreign }.Select(d => $"{d.LxcPath}\n{d.Name}\n")));

        Dependencies.Reconcile(baseContainer);

        Assert.Equal([live.LxcPath, live.Name, foreign.LxcPath, foreign.Name], Recorded(baseContainer));
    }

    [Fact]
    public void A_verified_entry_is_listed_exactly_when_it_depends_on_the_container()
    {
        var baseContainer = Container("lxc", "base");
        var dependent = Container("store", "web_0", dependsOn: baseContainer);
        var unrelated = Container("store", "db_0");

        Dependencies.Reconcile(baseContainer, verify: dependent);
        Dependencies.Reconcile(baseContainer, verify: unrelated);
        Assert.Equal([dependent.LxcPath, dependent.Name], Recorded(baseContainer));

        File.Delete(Path.Combine(dependent.Directory, "lxc_rdepends"));
        Dependencies.Reconcile(baseContainer, verify: dependent);
        Assert.False(File.Exists(Path.Combine(baseContainer.Directory, "lxc_snapshots")), "liblxc deletes an empty lxc_snapshots; so do we");
    }

    [Fact]
    public void A_departing_staged_copy_is_dropped_while_it_still_depends_on_the_container()
    {
        var baseContainer = Container("lxc", "base");
        var staged = Container(Path.Combine("store", ".lxcsnap", "staging", "1.ab"), "web_0", dependsOn: baseContainer);
        var published = Container("store", "web_1", dependsOn: baseContainer);
        File.WriteAllText(Path.Combine(baseContainer.Directory, "lxc_snapshots"),
            string.Concat(new[] { staged, published }.Select(d => $"{d.LxcPath}\n{d.Name}\n")));

        Dependencies.Reconcile(baseContainer);
        Assert.Equal([staged.LxcPath, staged.Name, published.LxcPath, published.Name], Recorded(baseContainer));

        Dependencies.Reconcile(baseContainer, departing: staged);
        Assert.Equal([published.LxcPath, published.Name], Recorded(baseContainer));
    }

    [Fact]
    public void Registering_a_name_before_it_exists_protects_the_layer_and_is_idempotent()
    {
        var baseContainer = Container("lxc", "base");
        var final = new ContainerRef(Path.Combine(_root, "store"), "web_7");

        Dependencies.Register(baseContainer, final);
        Dependencies.Register(baseContainer, final);

        Assert.Equal([final.LxcPath, final.Name], Recorded(baseContainer));
    }

    [Fact]
    public void The_pre_2014_count_format_is_left_alone()
    {
        var baseContainer = Container("lxc", "base");
        File.WriteAllText(Path.Combine(baseContainer.Directory, "lxc_snapshots"), "3\n");

        Dependencies.Reconcile(baseContainer, new ContainerRef("/x", "y"));
        Dependencies.Register(baseContainer, new ContainerRef("/x", "z"));

        Assert.Equal(["3"], Recorded(baseContainer));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
