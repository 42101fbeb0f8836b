namespace RaftVisualizer.Core;

public enum KvCommandKind { NoOp, Put, Get, Delete, Append }

/// <summary>A state-machine command. Prints as a person reads a log: put k=v, get k, delete k, append k=v, no-op.</summary>
public sealed record KvCommand(KvCommandKind Kind, string Key, string? Value)
{
    public static readonly KvCommand NoOp = new(KvCommandKind.NoOp, "", null);

    public static KvCommand Put(string key, string value) => new(KvCommandKind.Put, key, value);
    public static KvCommand Get(string key) => new(KvCommandKind.Get, key, null);
    public static KvCommand Delete(string key) => new(KvCommandKind.Delete, key, null);
    public static KvCommand Append(string key, string value) => new(KvCommandKind.Append, key, value);

    public bool IsWrite => Kind is KvCommandKind.Put or KvCommandKind.Delete or KvCommandKind.Append;

    public override string ToString() => Kind switch
    {
        KvCommandKind.Put => $"put {Key}={Value}",
        KvCommandKind.Get => $"get {Key}",
        KvCommandKind.Delete => $"delete {Key}",
        KvCommandKind.Append => $"append {Key}={Value}",
        _ => "no-op",
    };
}
