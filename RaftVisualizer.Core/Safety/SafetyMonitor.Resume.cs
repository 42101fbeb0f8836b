using RaftVisualizer.Core.Raft;

namespace RaftVisualizer.Core.Safety;

/// <summary>A monitor for a cluster that starts from disks read back from storage.</summary>
public sealed partial class SafetyMonitor
{
    /// <summary>
    /// Before any event: takes each server's term, vote and log from its disk, as if the events that
    /// built them had been seen. Everything up to the highest snapshot has committed; the commits
    /// before the restart are otherwise unknown, so committed entries are learned afresh from here on.
    /// Log Matching is checked across the disks' entries at once.
    /// </summary>
    internal void Resume(IEnumerable<(NodeId Id, DurableState Disk)> disks)
    {
        var all = disks.ToList();
        long floor = 0, floorTerm = 0;
        foreach (var (_, disk) in all)
            if (disk.Log.BaseIndex > floor) (floor, floorTerm) = (disk.Log.BaseIndex, disk.Log.BaseTerm);
        _committedTerms.StartAt(floor);
        _committedTerms.Add(floorTerm);
        _appliedAt.StartAt(floor + 1);
        _shapes.StartAt(all.Count == 0 ? 1 : all.Min(d => d.Disk.Log.BaseIndex) + 1);

        foreach (var (id, disk) in all)
        {
            var n = id.Value;
            _logs[n] = disk.Log.Clone();
            _term[n] = disk.CurrentTerm;
            _commit[n] = _applied[n] = disk.Log.BaseIndex;
            if (disk.VotedFor is { } candidate) _vote[(id, disk.CurrentTerm)] = candidate;
            var prevTerm = disk.Log.BaseTerm;
            foreach (var e in disk.Log.Entries)
            {
                var shape = new EntryShape(e, prevTerm);
                if (_shapes.Find(e.Index, e.Term) is { } known)
                {
                    if (!known.SameAs(shape))
                        Violate(SafetyProperty.LogMatching, TimeSpan.Zero,
                            $"{id}'s disk has entry {e.Index} of term {e.Term} as \"{e.Command}\" after term {prevTerm}, but another disk has \"{known.Command}\" after term {known.PrevTerm}.");
                }
                else _shapes.Add(e.Index, shape);
                prevTerm = e.Term;
            }
        }
    }
}
