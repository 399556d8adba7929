namespace LxcSnap.Core.Containers;

/// <summary>A container as liblxc addresses it: an lxcpath and a name.</summary>
public sealed record ContainerRef(string LxcPath, string Name)
{
    /// <summary>The container's own directory, <c>LXCPATH/NAME</c>.</summary>
    public string Directory => Path.Combine(LxcPath, Name);

    public string ConfigFile => Path.Combine(Directory, "config");

    /// <summary>True when a config file exists, which is what liblxc's is_defined checks.</summary>
    public bool ConfigExists => File.Exists(ConfigFile);

    public override string ToString() => $"'{Name}' in {LxcPath}";
}
