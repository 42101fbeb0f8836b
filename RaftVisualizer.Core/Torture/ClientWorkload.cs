using RaftVisualizer.Core.Simulation;

namespace RaftVisualizer.Core.Torture;

/// <summary>
/// Simulated clients for a torture run: several at once, each with at most one operation in
/// flight, putting, appending, reading and deleting a few keys. Every written value is unique,
/// so a read names the write it saw.
/// </summary>
internal sealed class ClientWorkload
{
    private readonly Cluster _cluster;
    private readonly SimRandom _random;
    private readonly NemesisProfile _profile;
    private readonly string[] _keys;
    private readonly int _clients;
    private readonly List<ClientOperation> _open = new();
    private int _nextValue;

    public ClientWorkload(Cluster cluster, SimRandom random, NemesisProfile profile)
    {
        _cluster = cluster;
        _random = random;
        _profile = profile;
        _keys = new[] { "x", "y", "z" }[..(2 + random.Next(2))];
        _clients = 2 + random.Next(Math.Max(1, profile.MaxClients - 1));
    }

    public TimeSpan NextInterval() => TimeSpan.FromMilliseconds(5 + _random.Next((int)_profile.MaxClientInterval.TotalMilliseconds - 5));

    /// <summary>Starts one operation if a client is free.</summary>
    public void Tick()
    {
        _open.RemoveAll(op => op.IsCompleted);
        if (_open.Count >= _clients) return;
        var key = _keys[_random.Next(_keys.Length)];
        var roll = _random.NextDouble();
        NodeId? via = null;
        KvCommand command;
        if (roll < _profile.ReadShare)
        {
            command = KvCommand.Get(key);
            if (_profile.ReadsAvoidLeader && _random.Chance(0.7))
            {
                var others = _cluster.Nodes.Where(n => n.Id != _cluster.Leader).Select(n => n.Id).ToArray();
                via = others[_random.Next(others.Length)];
            }
        }
        else
        {
            var write = (roll - _profile.ReadShare) / (1 - _profile.ReadShare);
            var value = $"{++_nextValue}";
            command = write < 0.5 ? KvCommand.Put(key, "v" + value) : write < 0.85 ? KvCommand.Append(key, value + ";") : KvCommand.Delete(key);
        }
        _open.Add(_cluster.Submit(command, via));
    }

    public bool AllDone => _open.TrueForAll(op => op.IsCompleted);
}
